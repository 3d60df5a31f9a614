using System.Text;
using CctvEdge.Plugins.Motion.Internal.Configuration;
using Microsoft.Extensions.Configuration;

namespace CctvEdge.Plugins.Motion.Tests.Configuration;

public sealed class SettingsBindingTests
{
    private const string NodeConfig = """
        {
          "Cameras": [
            {
              "Id": "yard",
              "Plugins": {
                "motion": {
                  "Enabled": true,
                  "Threshold": 30,
                  "Adaptive": true,
                  "AdaptiveK": 2.5,
                  "Masks": [ { "Name": "road", "Points": [[0, 0.8], [1, 0.8], [1, 1], [0, 1]] } ],
                  "Zones": [
                    { "Name": "gate", "Points": [[0.1, 0.2], [0.4, 0.2], [0.4, 0.6]] },
                    { "Name": "yard", "Points": [[0.5, 0.1], [0.9, 0.1], [0.9, 0.7], [0.5, 0.7]] }
                  ],
                  "Profiles": [ { "Name": "night", "From": "19:30", "To": "06:00", "Threshold": 40, "MinAreaPercent": 0.2 } ]
                }
              }
            }
          ]
        }
        """;

    [Fact]
    public void Bind_NodeJsonConfig_BindsPolygonsAndProfilesStrictly()
    {
        var settings = Bind(NodeConfig);

        settings.Validate();
        Assert.Equal(30, settings.Threshold);
        Assert.True(settings.Adaptive);
        Assert.Equal(2.5, settings.AdaptiveK);
        Assert.Equal("road", Assert.Single(settings.Masks).Name);
        Assert.Equal(["gate", "yard"], settings.Zones.Select(z => z.Name));
        Assert.Equal([0.4, 0.6], settings.Zones[0].Points[2]);
        var night = Assert.Single(settings.Profiles);
        Assert.Equal((TimeSpan.FromHours(19.5), TimeSpan.FromHours(6), 40, 0.2), (night.From, night.To, night.Threshold, night.MinAreaPercent));
        Assert.Null(night.Alpha);
    }

    [Fact]
    public void Bind_ReadmeExample_IsValid()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("```json\n{\n  \"Cameras\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no motion configuration example");
        var json = readme[(start + 8)..readme.IndexOf("```", start + 8, StringComparison.Ordinal)];

        var settings = Bind(json);

        MotionSetup.Create(settings, 320, 180);
        Assert.NotEmpty(settings.Zones);
    }

    [Theory]
    [InlineData("""{ "Treshold": 30 }""")]
    [InlineData("""{ "Zones": [ { "Name": "gate", "Pionts": [[0, 0], [1, 0], [1, 1]] } ] }""")]
    [InlineData("""{ "Profiles": [ { "Name": "night", "From": "25:00", "To": "06:00" } ] }""")]
    [InlineData("""{ "Zones": [ { "Name": "gate", "Points": [["left", 0], [1, 0], [1, 1]] } ] }""")]
    public void Bind_UnknownKeyOrWrongType_Throws(string json)
    {
        Assert.Throws<InvalidOperationException>(() => Bind(json, "$"));
    }

    /// <summary>Binds the way the node does: the camera's plugin block, without the host's Enabled key, strictly.</summary>
    private static MotionSettings Bind(string json, string section = "Cameras:0:Plugins:motion")
    {
        var root = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        IConfiguration block = section == "$" ? root : root.GetSection(section);
        var values = block.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null && kv.Key != "Enabled");
        var settings = new MotionSettings();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
        return settings;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CctvEdge.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("CctvEdge.sln not found above the test binaries.");
    }
}
