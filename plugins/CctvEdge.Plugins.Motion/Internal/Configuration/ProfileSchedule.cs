namespace CctvEdge.Plugins.Motion.Internal.Configuration;

/// <summary>
/// The day/night profiles of one camera: which one applies at a local time of day, and the settings it makes. The
/// profiles' settings are built once here, so switching at dusk costs nothing in the frame loop.
/// </summary>
internal sealed class ProfileSchedule
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private readonly MotionSettings _base;
    private readonly MotionProfile[] _profiles;
    private readonly MotionSettings[] _settings;

    public ProfileSchedule(MotionSettings settings)
    {
        _base = settings;
        _profiles = [.. settings.Profiles];
        _settings = [.. _profiles.Select(settings.WithProfile)];
    }

    /// <summary>The profile in force at <paramref name="timeOfDay"/>, or -1 for the camera's own settings.</summary>
    public int ActiveAt(TimeSpan timeOfDay)
    {
        for (var i = 0; i < _profiles.Length; i++)
        {
            if (Contains(_profiles[i], timeOfDay))
            {
                return i;
            }
        }

        return -1;
    }

    public MotionSettings SettingsFor(int profile) => profile < 0 ? _base : _settings[profile];

    public string? NameFor(int profile) => profile < 0 ? null : _profiles[profile].Name;

    public static void Validate(MotionSettings settings)
    {
        var profiles = settings.Profiles;
        SettingsRules.Check(profiles is not null, nameof(settings.Profiles), null, "a list of profiles");
        SettingsRules.Check(profiles!.Count <= SettingsRules.MaxProfiles, nameof(settings.Profiles), profiles.Count + " profiles", $"at most {SettingsRules.MaxProfiles} profiles");
        for (var i = 0; i < profiles.Count; i++)
        {
            var p = profiles[i] ?? throw SettingsRules.Invalid($"Profiles[{i}]", "is empty");
            var name = $"Profiles[{i}]";
            SettingsRules.Check(!string.IsNullOrWhiteSpace(p.Name) && p.Name.Length <= PolygonRules.MaxNameLength, name + ".Name", p.Name, $"1 to {PolygonRules.MaxNameLength} characters");
            name += $" ('{p.Name}')";
            SettingsRules.Check(p.From >= TimeSpan.Zero && p.From < Day, name + ".From", p.From, "a time of day from 00:00 to 23:59");
            SettingsRules.Check(p.To >= TimeSpan.Zero && p.To < Day, name + ".To", p.To, "a time of day from 00:00 to 23:59");
            SettingsRules.Check(p.From != p.To, name + ".To", p.To, "different from From");
            SettingsRules.ValidateTunables(settings.WithProfile(p), name + ".");
            for (var j = 0; j < i; j++)
            {
                var other = profiles[j];
                if (Contains(p, other.From) || Contains(other, p.From))
                {
                    throw SettingsRules.Invalid(name, $"overlaps Profiles[{j}] ('{other.Name}'); at most one profile may apply at a time");
                }

                SettingsRules.Check(!string.Equals(p.Name, other.Name, StringComparison.OrdinalIgnoreCase), name + ".Name", p.Name, "unique");
            }
        }
    }

    private static bool Contains(MotionProfile p, TimeSpan t) => p.From < p.To ? t >= p.From && t < p.To : t >= p.From || t < p.To;
}
