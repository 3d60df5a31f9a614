using System.Text.Json.Nodes;
using Bunit;
using CctvEdge.Web.Components.Config;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace CctvEdge.Web.Tests;

/// <summary>
/// The settings form generated from a schema shaped like the motion plugin's (as the node publishes it), rendered with
/// bUnit: every edit lands in the camera's settings JSON with the schema's type.
/// </summary>
public sealed class SettingsFormTests : RadzenContext
{
    private const string Schema = """
        {"type":"object","properties":{
          "Enabled":{"type":"boolean","default":true},
          "Threshold":{"type":"integer","default":25,"minimum":1,"maximum":254},
          "Gate":{"type":"object","properties":{"Width":{"type":"number","default":3},"Label":{"type":"string","default":"gate"}}},
          "Levels":{"type":"array","items":{"type":"integer"}},
          "Profiles":{"type":"array","items":{"type":"object","properties":{"Name":{"type":"string"},"Threshold":{"type":["integer","null"]}}}},
          "Zones":{"type":"array","items":{"type":"object","properties":{"Name":{"type":"string"},"Points":{"type":"array","items":{"type":"array","items":{"type":"number"}}}}}},
          "Weights":{"type":"object","additionalProperties":{"type":"number"}}
        }}
        """;

    private readonly JsonObject _settings = [];
    private int _changes;

    [Fact]
    public void NestedObject_FieldsOfItsOwn_WrittenIntoTheObject()
    {
        var form = Render();

        form.Find("[data-setting='Gate.Width'] input").Change("4.5");
        form.Find("[data-setting='Gate.Label'] input").Change("back gate");

        Assert.Equal("""{"Gate":{"Width":4.5,"Label":"back gate"}}""", _settings.ToJsonString());
        Assert.Equal(2, _changes);

        // Cleared fields fall back to the default: the emptied object goes as a whole.
        form.Find("[data-setting='Gate.Width'] input").Change("");
        form.Find("[data-setting='Gate.Label'] input").Change("");
        Assert.Equal("{}", _settings.ToJsonString());
    }

    [Fact]
    public void ArrayOfObjects_RowsAddedEditedAndRemoved_EachANestedForm()
    {
        var form = Render();
        var profiles = "[data-setting=Profiles]";

        form.Find($"{profiles} [data-testid=setting-row-add]").Click();
        form.Find($"{profiles} [data-setting='Profiles.0.Name'] input").Change("night");
        form.Find($"{profiles} [data-setting='Profiles.0.Threshold'] input").Change("12.6");
        form.Find($"{profiles} [data-testid=setting-row-add]").Click();

        Assert.Equal("""{"Profiles":[{"Name":"night","Threshold":13},{}]}""", _settings.ToJsonString());
        Assert.Equal(2, form.FindAll($"{profiles} [data-testid=setting-row]").Count);

        form.FindAll($"{profiles} [data-testid=setting-row-remove]")[0].Click();
        form.Find($"{profiles} [data-testid=setting-row-remove]").Click();
        Assert.Equal("{}", _settings.ToJsonString());
    }

    [Fact]
    public void ArrayOfNumbers_ListOfInputs_NeverANull()
    {
        var form = Render();

        form.Find("[data-setting=Levels] [data-testid=setting-row-add]").Click();
        form.Find("[data-setting=Levels] [data-testid=setting-row-add]").Click();
        form.FindAll("[data-setting=Levels] [data-testid=setting-row] input")[1].Change("7");
        Assert.Equal("""{"Levels":[0,7]}""", _settings.ToJsonString());

        // A cleared row keeps a number: an integer list must not hold null.
        form.FindAll("[data-setting=Levels] [data-testid=setting-row] input")[1].Change("");
        Assert.Equal("""{"Levels":[0,0]}""", _settings.ToJsonString());
    }

    [Fact]
    public void ShapeTheFormCannotBuild_JsonTextArea_ValidJsonOnly()
    {
        var form = Render();

        form.Find("[data-setting=Weights] textarea").Change("""{"a": 1""");
        Assert.Contains("not valid JSON", form.Find("[data-testid=setting-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal("{}", _settings.ToJsonString());

        form.Find("[data-setting=Weights] textarea").Change("""{"a": 1}""");
        Assert.Equal("""{"Weights":{"a":1}}""", _settings.ToJsonString());
        Assert.Empty(form.FindAll("[data-testid=setting-error]"));
    }

    [Fact]
    public void Polygons_DrawnClosedEditedAsNumbersAndDeleted()
    {
        var form = Render();
        var editor = form.FindComponent<PolygonEditor>();

        form.Find("[data-testid=polygon-draw]").Click();
        editor.InvokeAsync(() => editor.Instance.CanvasTapped(0.1, 0.2));
        editor.InvokeAsync(() => editor.Instance.CanvasTapped(0.5, 0.2));
        Assert.True(form.Find("[data-testid=polygon-close]").HasAttribute("disabled"));
        editor.InvokeAsync(() => editor.Instance.CanvasTapped(0.123456, 0.7));
        // A tap on the first corner closes the drawing.
        editor.InvokeAsync(() => editor.Instance.HandleTapped(-1, 0));

        Assert.Equal("""{"Zones":[{"Name":"zone 1","Points":[[0.1,0.2],[0.5,0.2],[0.1235,0.7]]}]}""", _settings.ToJsonString());
        Assert.Equal(3, form.FindAll("[data-testid=polygon-handle]").Count);

        editor.InvokeAsync(() => editor.Instance.PointMoved(0, 1, 0.6, 0.25));
        form.FindAll("[data-testid=polygon-row] [data-testid=polygon-point]")[2].QuerySelector("input")!.Change("1.5");
        form.Find("input[data-testid=polygon-name], [data-testid=polygon-name] input").Change("drive");
        Assert.Equal("""{"Zones":[{"Name":"drive","Points":[[0.1,0.2],[0.6,0.25],[1,0.7]]}]}""", _settings.ToJsonString());

        form.Find("[data-testid=polygon-delete]").Click();
        Assert.Equal("{}", _settings.ToJsonString());
    }

    private IRenderedComponent<SettingsForm> Render() => Context.Render<SettingsForm>(p => p
        .Add(f => f.PluginId, "motion")
        .Add(f => f.Schema, JsonNode.Parse(Schema)!.AsObject())
        .Add(f => f.Settings, _settings)
        .Add(f => f.OnChanged, EventCallback.Factory.Create(this, () => _changes++)));
}
