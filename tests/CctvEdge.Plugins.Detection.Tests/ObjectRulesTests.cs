using CctvEdge.Plugins.Detection.Internal.Configuration;
using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Tests;

public sealed class ObjectRulesTests
{
    private const int Person = 0;
    private const int Car = 2;
    private const int Dog = 16;

    [Fact]
    public void Accepts_MinScoresPerLabel_OverrideMinScore()
    {
        var rules = Rules(new DetectionSettings { MinScore = 0.5, MinScores = new() { ["person"] = 0.6, ["car"] = 0.4 }, Labels = ["person", "car", "bus"], MinBoxAreaPercent = 0 });

        Assert.False(Accepts(rules, Person, 0.55f));
        Assert.True(Accepts(rules, Person, 0.6f));
        Assert.True(Accepts(rules, Car, 0.45f));
        Assert.False(Accepts(rules, 5, 0.45f)); // bus: the general 0.5
        Assert.False(Accepts(rules, Dog, 0.99f)); // not a reported label
        Assert.Equal(0.4f, rules.LowestScore);
    }

    [Fact]
    public void Accepts_BoxBelowMinArea_Refused()
    {
        var rules = Rules(new DetectionSettings { MinBoxAreaPercent = 1 });

        Assert.False(rules.Accepts(new DetectedObject(new Box(0, 0, 90, 100), Person, 0.9f), 1000, 1000, []));
        Assert.True(rules.Accepts(new DetectedObject(new Box(0, 0, 100, 100), Person, 0.9f), 1000, 1000, []));
    }

    [Fact]
    public void Accepts_RequiredZone_JudgedByBottomCentre()
    {
        var rules = Rules(new DetectionSettings
        {
            Zones = [new DetectionZone { Name = "yard", Points = [[0, 0], [1, 0], [1, 0.5], [0, 0.5]] }],
            RequiredZones = ["yard"],
        });
        var zones = new List<string>();

        // Mostly inside the zone, but standing below it: as in Frigate, the feet decide.
        Assert.False(rules.Accepts(new DetectedObject(new Box(100, 100, 200, 600), Person, 0.9f), 1000, 1000, zones));
        Assert.Empty(zones);
        Assert.True(rules.Accepts(new DetectedObject(new Box(100, 100, 200, 450), Person, 0.9f), 1000, 1000, zones));
        Assert.Equal(["yard"], zones);
    }

    [Fact]
    public void Alerts_DefaultMap_PersonVehicleAndIntrusionInRequiredZone()
    {
        var rules = Rules(new DetectionSettings
        {
            Zones = [new DetectionZone { Name = "gate", Points = [[0, 0], [1, 0], [1, 1]] }],
            RequiredZones = ["gate"],
        });

        Assert.Equal(["vehicle"], rules.Alerts("truck", ["gate"]));
        Assert.Equal(["person", "intrusion"], rules.Alerts("person", ["gate"]));
        Assert.Equal(["person"], rules.Alerts("person", []));
        Assert.Empty(rules.Alerts("bicycle", ["gate"]));
    }

    [Fact]
    public void Alerts_ConfiguredMap_AddsAndSilences()
    {
        var settings = new DetectionSettings { IntrusionAlert = "" };
        settings.AlertTypes["dog"] = "animal";
        settings.AlertTypes["car"] = "";

        var rules = Rules(settings);

        Assert.Equal(["animal"], rules.Alerts("dog", []));
        Assert.Empty(rules.Alerts("car", []));
    }

    [Fact]
    public void Create_LabelTheModelLacks_NamesIt()
    {
        var error = Assert.Throws<DetectionSettingsException>(() => new ObjectRules(new DetectionSettings { Labels = ["person", "tractor"] }, CocoNames.All));
        Assert.Contains("'tractor'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Backend", "tensorrt")]
    [InlineData("ModelPath", "")]
    [InlineData("RequiredZones", "nowhere")]
    [InlineData("MinScores:person", "1.5")]
    [InlineData("EveryNthFrame", "0")]
    public void Validate_BadValue_NamesTheSetting(string setting, string value)
    {
        var s = new DetectionSettings { ModelPath = "/models/yolov8n.onnx" };
        switch (setting)
        {
            case "Backend": s.Backend = value; break;
            case "ModelPath": s.ModelPath = value; break;
            case "RequiredZones": s.RequiredZones = [value]; break;
            case "MinScores:person": s.MinScores["person"] = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "EveryNthFrame": s.EveryNthFrame = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var error = Assert.Throws<DetectionSettingsException>(s.Validate);
        Assert.StartsWith($"detection setting {setting} must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OpencvHogWithoutAModel_Valid_OnnxWithoutOne_Refused()
    {
        new DetectionSettings { Backend = "opencv-hog" }.Validate();
        var error = Assert.Throws<DetectionSettingsException>(new DetectionSettings { Backend = "onnx" }.Validate);
        Assert.StartsWith("detection setting ModelPath must be", error.Message, StringComparison.Ordinal);
    }

    private static ObjectRules Rules(DetectionSettings settings) => new(settings, CocoNames.All);

    private static bool Accepts(ObjectRules rules, int classId, float score) =>
        rules.Accepts(new DetectedObject(new Box(0, 0, 100, 100), classId, score), 1000, 1000, []);
}
