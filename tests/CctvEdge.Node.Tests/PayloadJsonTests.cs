using System.Text.Json;
using System.Text.Json.Serialization;
using CctvEdge.Node.Plugins;

namespace CctvEdge.Node.Tests;

public sealed class PayloadJsonTests
{
    [Fact]
    public void Serialize_TypicalPayload_SameJsonAsWebDefaults()
    {
        var payload = new Sample(
            3,
            "gate",
            DayOfWeek.Friday,
            new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero),
            [0.5, 1.25],
            new Dictionary<string, int> { ["cows"] = 4 },
            new Inner(true, null),
            Hidden: "x");

        Assert.Equal(JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), PayloadJson.Serialize(payload));
    }

    [Fact]
    public void Serialize_NotFiniteNumber_Refused()
    {
        Assert.Throws<ArgumentException>(() => PayloadJson.Serialize(new Inner(false, double.NaN)));
    }

    public sealed record Sample(int Count, string Gate, DayOfWeek Day, DateTimeOffset At, double[] Levels, Dictionary<string, int> Animals, Inner Detail, [property: JsonIgnore] string Hidden)
    {
        [JsonPropertyName("renamed")]
        public string Other { get; init; } = "y";
    }

    public sealed record Inner(bool Open, double? Level);
}
