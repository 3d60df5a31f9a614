using CctvEdge.Harness;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Sensors;
using CctvEdge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests.Sensors;

public sealed class SensorConfigurationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Node:Id"] = "barn",
        ["Node:PluginsDirectory"] = RepositoryPaths.NodePluginsDirectory,
        ["Server:Address"] = "http://127.0.0.1:5081",
        ["Cameras:0:Id"] = "yard",
        ["Cameras:0:Source:Kind"] = "synthetic",
        ["Sensors:0:Id"] = "barn-climate",
        ["Sensors:0:Name"] = "Barn",
        ["Sensors:0:Plugin"] = "sense",
        ["Sensors:0:Camera"] = "yard",
        ["Sensors:0:Settings:Device"] = "bme280",
        ["Sensors:0:Settings:Address"] = "0x76",
        ["Sensors:1:Id"] = "gate",
        ["Sensors:1:Plugin"] = "sense",
        ["Sensors:1:Settings:Device"] = "mpu6050",
        ["Sensors:1:Settings:Address"] = "0x68",
    };

    [Fact]
    public void Options_ValidSensors_BindWithTheirPathsAndSettings()
    {
        var sensors = Resolve(Valid).Items;

        Assert.Equal(["barn-climate", "gate"], sensors.Select(s => s.Id));
        Assert.Equal(("Sensors:0", "yard", "bme280", "0x76"), (sensors[0].Path, sensors[0].Camera, sensors[0].Kind, sensors[0].Settings!["Address"]));
        Assert.Equal(("gate", "mpu6050"), (sensors[1].DisplayName, sensors[1].Kind));
    }

    [Theory]
    [InlineData("Sensors:1:Plugin", "sens", "Sensors:1:Plugin 'sens' is not installed")]
    [InlineData("Sensors:1:Plugin", null, "Sensors:1:Plugin is required")]
    [InlineData("Sensors:1:Id", "barn-climate", "Sensors:1:Id 'barn-climate' is used by another sensor")]
    [InlineData("Sensors:1:Id", "Gate 1", "Sensors:1:Id 'Gate 1' is invalid")]
    [InlineData("Sensors:1:Camera", "orchard", "Sensors:1:Camera 'orchard' is not a camera of this node")]
    [InlineData("Sensors:1:Settings:Address", "118", "Sensors:1:Settings:Address: I2C bus 1 address 0x76 is already used by sensor 'barn-climate'")]
    [InlineData("Sensors:1:Settings:Address", "0x90", "Sensors:1:Settings:Address '0x90' is not a 7-bit I2C address")]
    [InlineData("Sensors:1:Settings:Pin", "60", "Sensors:1:Settings:Pin '60' is out of range")]
    [InlineData("Sensors:1:Settings:Bus", "one", "Sensors:1:Settings:Bus 'one' is not a bus number")]
    [InlineData("Sensors:1:Enabeld", "false", "Enabeld")]
    public void Options_BadSensor_FailsWithMessageNamingTheKey(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_SameAddressOnAnotherBus_IsFine()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["Sensors:1:Settings:Address"] = "0x76", ["Sensors:1:Settings:Bus"] = "3" };

        Assert.Equal(2, Resolve(settings).Items.Count);
    }

    [Fact]
    public void Options_DisabledSensor_ClaimsNoDevice()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["Sensors:1:Settings:Address"] = "0x76", ["Sensors:1:Enabled"] = "false" };

        Assert.Equal(2, Resolve(settings).Items.Count);
    }

    [Fact]
    public void Options_Microcontroller_IsBuiltInAndTakesOnlyTokenAndOutputs()
    {
        var board = new Dictionary<string, string?>(Valid)
        {
            ["Sensors:2:Id"] = "vib-1",
            ["Sensors:2:Plugin"] = "microcontroller",
            ["Sensors:2:Settings:Token"] = "s3cret",
            ["Sensors:2:Settings:Outputs:relay"] = "false",
        };
        Assert.Equal(3, Resolve(board).Items.Count);

        board["Sensors:2:Settings:Tokn"] = "typo";
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(board));

        Assert.Contains(ex.Failures, f => f.Contains("Sensors:2:Settings:Tokn is not a microcontroller setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agent_SensorWithUnknownPlugin_ExitsWithCode2AndNamesTheKey()
    {
        using var temp = new TempDirectory();
        var config = temp.Combine("node.json");
        await File.WriteAllTextAsync(config, """
            { "Node": { "Id": "barn" }, "Cameras": [],
              "Sensors": [ { "Id": "freezer", "Plugin": "thermometer", "Settings": { "Device": "ds18b20" } } ] }
            """);

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", config], temp.Path);

        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Sensors:0:Plugin 'thermometer' is not installed", agent.Output, StringComparison.Ordinal);
    }

    private static SensorsOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddNodeConfiguration(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SensorsOptions>>().Value;
    }
}
