namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// Declares the settings type a plugin binds with <see cref="IPluginContext.BindSettings{T}"/>, on the plugin's entry
/// type. The node publishes a JSON Schema of it to the server (names, types, defaults from a new instance, ranges and
/// descriptions from <c>System.ComponentModel.DataAnnotations</c> and <c>System.ComponentModel.DescriptionAttribute</c>),
/// so settings can be shown and edited as a form.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PluginSettingsAttribute : Attribute
{
    /// <summary>Declares <paramref name="settingsType"/> as the plugin's settings: a class with a public parameterless constructor.</summary>
    public PluginSettingsAttribute(Type settingsType)
    {
        SettingsType = settingsType;
    }

    /// <summary>The settings class.</summary>
    public Type SettingsType { get; }
}
