using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

/// <summary>Settings a plugin declares: bound and validated for the plugin, described as JSON Schema for the server.</summary>
public sealed class PluginSettingsTests
{
    [Fact]
    public void For_DeclaredSettings_DescribesTypesDefaultsRangesAndDescriptions()
    {
        using var schema = JsonDocument.Parse(SettingsSchema.For(typeof(GatePlugin)));

        var root = schema.RootElement;
        Assert.Equal("GateSettings", root.GetProperty("title").GetString());
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        var step = root.GetProperty("properties").GetProperty("Step");
        Assert.Equal("integer", step.GetProperty("type").GetString());
        Assert.Equal(2, step.GetProperty("default").GetInt32());
        Assert.Equal(1, step.GetProperty("minimum").GetDouble());
        Assert.Equal(100, step.GetProperty("maximum").GetDouble());
        Assert.Equal("Animals per count.", step.GetProperty("description").GetString());
        var label = root.GetProperty("properties").GetProperty("Label");
        Assert.Equal(20, label.GetProperty("maxLength").GetInt32());
        Assert.Equal("Label", Assert.Single(root.GetProperty("required").EnumerateArray()).GetString());
        Assert.Equal(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"], root.GetProperty("properties").GetProperty("Day").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("integer", root.GetProperty("properties").GetProperty("Zones").GetProperty("items").GetProperty("type").GetString());
        Assert.Equal("number", root.GetProperty("properties").GetProperty("Gate").GetProperty("properties").GetProperty("Width").GetProperty("type").GetString());
    }

    [Fact]
    public void For_PolygonsInAList_PointsKeepTheirNumberPairs()
    {
        using var schema = JsonDocument.Parse(SettingsSchema.For(typeof(GatePlugin)));

        // Settings -> Areas -> area -> Points -> point -> number: deeper than objects may nest, yet fully described.
        var area = schema.RootElement.GetProperty("properties").GetProperty("Areas").GetProperty("items");
        Assert.Equal("string", area.GetProperty("properties").GetProperty("Name").GetProperty("type").GetString());
        var points = area.GetProperty("properties").GetProperty("Points");
        Assert.Equal("Corners as [x, y] fractions.", points.GetProperty("description").GetString());
        Assert.Equal("array", points.GetProperty("items").GetProperty("type").GetString());
        Assert.Equal("number", points.GetProperty("items").GetProperty("items").GetProperty("type").GetString());
    }

    [Fact]
    public void For_NoDeclaredSettings_Empty()
    {
        Assert.Equal("", SettingsSchema.For(typeof(object)));
    }

    [Theory]
    [InlineData("Step", "1000", "Cameras:0:Plugins:gate:Step: The field Step must be between 1 and 100.")]
    [InlineData("Label", "", "Cameras:0:Plugins:gate:Label: The Label field is required.")]
    [InlineData("Stepp", "3", "Cameras:0:Plugins:gate: ")]
    [InlineData("Gate:Width", "9", "Cameras:0:Plugins:gate:Gate:Width: the gate is wider than 5 m")]
    public void BindSettings_InvalidValue_ThrowsNamingTheSetting(string key, string value, string expected)
    {
        var context = Context(new Dictionary<string, string?> { [key] = value });

        var ex = Assert.Throws<PluginSettingsException>(() => context.BindSettings<GateSettings>());

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BindSettings_ValidValues_BoundOverDefaults()
    {
        var settings = Context(new Dictionary<string, string?> { ["Step"] = "5", ["Zones:0"] = "3" }).BindSettings<GateSettings>();

        Assert.Equal(5, settings.Step);
        Assert.Equal("gate", settings.Label);
        Assert.Equal([3], settings.Zones);
    }

    private static PluginContext Context(Dictionary<string, string?> values)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(kv => "P:gate:" + kv.Key, kv => kv.Value)).Build().GetSection("P:gate");
        var assignment = PluginAssignment.From("Cameras:0", "gate", section);
        return new PluginContext("gate", new CameraDescriptor("yard", "Yard", 320, 180, 5), assignment, null!, null!, null!, NullLogger.Instance, TimeProvider.System);
    }

    [PluginSettings(typeof(GateSettings))]
    private sealed class GatePlugin;

    public sealed class GateSettings
    {
        [Range(1, 100)]
        [Description("Animals per count.")]
        public int Step { get; set; } = 2;

        [Required]
        [StringLength(20)]
        public string Label { get; set; } = "gate";

        public DayOfWeek Day { get; set; }

        public List<int> Zones { get; set; } = [];

        public GateSize Gate { get; set; } = new();

        public List<GateArea> Areas { get; set; } = [];
    }

    public sealed class GateArea
    {
        public string Name { get; set; } = "";

        [Description("Corners as [x, y] fractions.")]
        public double[][] Points { get; set; } = [];
    }

    public sealed class GateSize : IValidatableObject
    {
        public double Width { get; set; } = 3;

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
            Width > 5 ? [new ValidationResult("the gate is wider than 5 m", [nameof(Width)])] : [];
    }
}
