using System.Text.Json.Nodes;
using CctvEdge.Web.Components.Config;

namespace CctvEdge.Web.Tests;

/// <summary>How the settings form reads a plugin's JSON Schema: which field edits what, and what it falls back to.</summary>
public sealed class SchemaShapeTests
{
    [Theory]
    [InlineData("""{"type":"integer"}""", nameof(FieldKind.Integer))]
    [InlineData("""{"type":"number","default":0.05}""", nameof(FieldKind.Number))]
    [InlineData("""{"type":["number","null"]}""", nameof(FieldKind.Number))]
    [InlineData("""{"type":"boolean"}""", nameof(FieldKind.Boolean))]
    [InlineData("""{"type":"string","format":"duration"}""", nameof(FieldKind.Text))]
    [InlineData("""{"type":"string","enum":["Sunday","Monday"]}""", nameof(FieldKind.Choice))]
    [InlineData("""{"type":"object","properties":{"Width":{"type":"number"}}}""", nameof(FieldKind.Group))]
    [InlineData("""{"type":"array","items":{"type":"number"}}""", nameof(FieldKind.List))]
    [InlineData("""{"type":"array","items":{"type":"object","properties":{"Name":{"type":"string"},"From":{"type":"string"}}}}""", nameof(FieldKind.List))]
    [InlineData("""{"type":"array","items":{"type":"array","items":{"type":"number"}}}""", nameof(FieldKind.List))]
    [InlineData("""{"type":"array","items":{"type":"object","properties":{"Name":{"type":"string"},"Points":{"type":"array","items":{"type":"array","items":{"type":"number"}}}}}}""", nameof(FieldKind.Polygons))]
    public void Of_ShapesTheFormCanBuild(string schema, string expected)
    {
        Assert.Equal(expected, SchemaShape.Of(JsonNode.Parse(schema) as JsonObject).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{}""")]
    [InlineData("""{"oneOf":[{"type":"number"},{"type":"string"}]}""")]
    [InlineData("""{"type":"number","anyOf":[{"minimum":1}]}""")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"number"}}""")]
    [InlineData("""{"type":"array","items":{}}""")]
    [InlineData("""{"type":"array"}""")]
    [InlineData("""{"type":["number","string"]}""")]
    [InlineData("""{"type":"array","items":{"type":"array","items":{"oneOf":[]}}}""")]
    public void Of_ShapesItCannotBuild_Json(string? schema)
    {
        Assert.Equal(FieldKind.Json, SchemaShape.Of(schema is null ? null : JsonNode.Parse(schema) as JsonObject));
    }

    [Fact]
    public void IsPolygonList_PixelCoordinates_LeftToTheRowForm()
    {
        var pixels = JsonNode.Parse("""{"type":"array","items":{"type":"object","properties":{"Points":{"type":"array","items":{"type":"array","items":{"type":"number","maximum":1920}}}}}}""")!.AsObject();

        Assert.Equal(FieldKind.List, SchemaShape.Of(pixels));
    }

    [Fact]
    public void Number_Integer_RoundedAndWithinItsRange()
    {
        var threshold = JsonNode.Parse("""{"type":"integer","minimum":1,"maximum":254}""")!.AsObject();

        Assert.Equal("13", SchemaShape.Number(threshold, 12.6).ToJsonString());
        Assert.Equal("254", SchemaShape.Number(threshold, 300).ToJsonString());
        Assert.Equal("0.25", SchemaShape.Number(JsonNode.Parse("""{"type":"number"}""")!.AsObject(), 0.25).ToJsonString());
    }

    [Theory]
    [InlineData("""{"type":"integer","minimum":3}""", "3")]
    [InlineData("""{"type":"number","default":0.5}""", "0.5")]
    [InlineData("""{"type":"boolean"}""", "false")]
    [InlineData("""{"type":"string","enum":["a","b"]}""", "\"a\"")]
    [InlineData("""{"type":"object","properties":{"X":{"type":"number"}}}""", "{}")]
    [InlineData("""{"type":"array","items":{"type":"number"}}""", "[]")]
    public void NewValue_OfTheSchemasType(string schema, string expected)
    {
        Assert.Equal(expected, SchemaShape.NewValue(JsonNode.Parse(schema)!.AsObject()).ToJsonString());
    }
}
