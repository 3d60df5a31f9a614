using System.ComponentModel.DataAnnotations;
using System.Reflection;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Configuration;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// Checks bound plugin settings against their DataAnnotations attributes and <see cref="IValidatableObject"/>. The
/// attributes are read and run one by one instead of through <see cref="Validator"/>, whose type cache would pin the
/// plugin's load context in memory after the plugin is removed.
/// </summary>
internal static class SettingsValidation
{
    private const int MaxDepth = 4;

    /// <summary>
    /// Binds a plugin's settings strictly (an unknown name or a wrong type is an error, not a silent default) and checks
    /// them; every problem is a <see cref="PluginSettingsException"/> naming <paramref name="path"/>.
    /// </summary>
    public static T Bind<T>(IConfiguration settings, string path)
        where T : class, new()
    {
        var bound = new T();
        try
        {
            settings.Bind(bound, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new PluginSettingsException($"{path}: {ex.Message}", ex);
        }

        Check(bound, path);
        return bound;
    }

    /// <summary>Throws <see cref="PluginSettingsException"/> naming the first invalid setting under <paramref name="path"/>.</summary>
    public static void Check(object settings, string path, int depth = 0)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(settings);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                var context = new ValidationContext(settings) { MemberName = property.Name, DisplayName = property.Name };
                if (attribute.GetValidationResult(value, context) is { } failed && failed != ValidationResult.Success)
                {
                    throw new PluginSettingsException($"{path}:{property.Name}: {failed.ErrorMessage}");
                }
            }

            // Nested settings objects (a gate's size, a zone) are checked by the same rules, under their own path.
            if (value is not null && depth < MaxDepth && property.PropertyType.IsClass && property.PropertyType != typeof(string) && value is not System.Collections.IEnumerable)
            {
                Check(value, $"{path}:{property.Name}", depth + 1);
            }
        }

        if (settings is IValidatableObject validatable
            && validatable.Validate(new ValidationContext(settings)).FirstOrDefault(r => r != ValidationResult.Success) is { } problem)
        {
            var member = problem.MemberNames.FirstOrDefault();
            throw new PluginSettingsException($"{path}{(member is null ? "" : ":" + member)}: {problem.ErrorMessage}");
        }
    }
}
