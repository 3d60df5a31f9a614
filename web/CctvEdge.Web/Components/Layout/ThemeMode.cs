namespace CctvEdge.Web.Components.Layout;

/// <summary>
/// The reviewer's theme: the system's (the default), or forced dark or light. Kept in a cookie that the server reads
/// to render the stylesheets' media (App.razor) and theme.js writes when the switch is used.
/// </summary>
internal static class ThemeMode
{
    public const string Cookie = "cctvedge-theme";
    public const string System = "system";
    public const string Dark = "dark";
    public const string Light = "light";

    private static readonly string[] Cycle = [System, Dark, Light];

    public static string Parse(string? value) => Cycle.Contains(value) ? value! : System;

    public static string Next(string mode) => Cycle[(Array.IndexOf(Cycle, Parse(mode)) + 1) % Cycle.Length];

    /// <summary>The media attribute of the light and the dark stylesheet; the same rule as theme.js.</summary>
    public static (string Light, string Dark) Media(string mode) => Parse(mode) switch
    {
        Dark => ("not all", "all"),
        Light => ("all", "not all"),
        _ => ("not all and (prefers-color-scheme: dark)", "(prefers-color-scheme: dark)"),
    };

    public static string Icon(string mode) => Parse(mode) switch
    {
        Dark => "dark_mode",
        Light => "light_mode",
        _ => "brightness_auto",
    };
}
