using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>A model that cannot be used fails this plugin's start with a message an installer can act on.</summary>
public sealed class BadModelTests : IDisposable
{
    private readonly TestModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public async Task StartAsync_MissingModel_SaysNoFile()
    {
        var error = await StartFailsAsync(Path.Combine(_models.Directory, "yolov8n.onnx"));
        Assert.Contains("ModelPath", error, StringComparison.Ordinal);
        Assert.Contains("no model file at", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_GarbageBytes_SaysNotOnnx()
    {
        var path = _models.Write("garbage.onnx", [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        var error = await StartFailsAsync(path);
        Assert.Contains("is not an ONNX model ONNX Runtime can load", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WrongOutputShape_NamesTheShape()
    {
        var path = _models.Write("classifier.onnx", OnnxModelWriter.ConstantOutput(new float[1000], [1, 1000]));
        var error = await StartFailsAsync(path);
        Assert.Contains("the model's output is [1, 1000]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ClassNamesNotMatchingModel_SaysSo()
    {
        var path = _models.V8(new Candidate(10, 10, 5, 5, 0, 0.9f));
        var error = await StartFailsAsync(path, s => (s.ClassNames, s.Labels) = (["cow", "sheep"], ["cow"]));
        Assert.Contains("80 classes, but 2 class names are configured", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginRunner_BadModelOnOneInstance_OtherInstancesRunOn()
    {
        // What the node does with every plugin instance (PluginInstance over PluginRunner): a failing start marks that
        // instance failed with the plugin's message; the others start and take frames.
        var limits = new CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        await using var broken = new PluginRunner<ICameraPlugin>("Plugin detection on camera gate", "", limits, NullLogger.Instance);
        await using var working = new PluginRunner<ICameraPlugin>("Plugin detection on camera yard", "", limits, NullLogger.Instance);
        var good = _models.V8(new Candidate(320, 320, 100, 200, 0, 0.9f));
        var context = new FakePluginContext(DetectionPluginTests.Settings(s => (s.ModelPath, s.MinFrames) = (good, 1)));

        var brokenStarted = await broken.StartAsync(_ => StartAsync(Path.Combine(_models.Directory, "missing.onnx")), CancellationToken.None, Explain).WaitAsync(TimeSpan.FromSeconds(30));
        var workingStarted = await working.StartAsync(async stop =>
        {
            var plugin = new DetectionPlugin();
            await plugin.StartAsync(context, stop);
            return plugin;
        }, CancellationToken.None, Explain).WaitAsync(TimeSpan.FromSeconds(30));
        working.Run();
        var outcome = await working.CallAndWaitAsync("OnColorFrameAsync", stop => ((IColorFrameAnalyzer)working.Plugin!).OnColorFrameAsync(TestFrames.Flat(640, 360, 1, 0), stop), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(brokenStarted);
        Assert.Equal(InstanceState.Failed, broken.State);
        Assert.StartsWith("invalid settings: detection setting ModelPath no model file at", broken.Error, StringComparison.Ordinal);
        Assert.True(workingStarted);
        Assert.Equal((InstanceState.Running, CallOutcome.Completed), (working.State, outcome));
        Assert.Single(context.Events);
    }

    // The node's wording for a refused start (PluginInstance.PrepareAsync).
    private static string? Explain(Exception ex) => ex is PluginSettingsException ? $"invalid settings: {ex.Message}" : null;

    private static async ValueTask<ICameraPlugin> StartAsync(string path, Action<DetectionSettings>? change = null)
    {
        var plugin = new DetectionPlugin();
        await plugin.StartAsync(new FakePluginContext(DetectionPluginTests.Settings(s =>
        {
            s.ModelPath = path;
            change?.Invoke(s);
        })), CancellationToken.None);
        return plugin;
    }

    private static async Task<string> StartFailsAsync(string path, Action<DetectionSettings>? change = null)
    {
        var error = await Assert.ThrowsAsync<PluginSettingsException>(async () => await StartAsync(path, change));
        return error.Message;
    }
}
