using System.Runtime.CompilerServices;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>Plugins added, replaced and removed while the node runs, and plugin config changed at run time.</summary>
public sealed class PluginHostTests : PluginTestBase
{
    [Fact]
    public async Task Run_FolderDroppedWhileRunning_InstanceStartsAndProduces()
    {
        await using var host = await StartAsync(new() { ["counting:Enabled"] = "true" });
        Assert.Contains("not installed", host.Instance("counting")!.Error, StringComparison.Ordinal);

        Folders.Add("counting", "CountingPlugin");

        await Eventually.TrueAsync(() => host.Instance("counting")?.State == InstanceState.Running, Timeout, "the dropped plugin to start");
        await FeedUntilAsync(host, () => Results("counting") > 0, "its first result");
    }

    [Fact]
    public async Task Run_FolderReplacedInPlace_OldDrainedAndUnloadedNewVersionRuns()
    {
        var folder = Folders.Add("emitter", "EventEmitterPlugin");
        await using var host = await StartAsync(new() { ["emitter:Enabled"] = "true" });
        var old = host.Instance("emitter")!;
        await FeedUntilAsync(host, () => Results("emitter") > 0, "the first version's events");
        var oldContext = ContextOf(old);

        Folders.Add("emitter", "EventEmitterPlugin", version: "2.0.0");

        await Eventually.TrueAsync(() => host.Instance("emitter") is { Version: "2.0.0", State: InstanceState.Running }, Timeout, "version 2.0.0 to run");
        Assert.NotSame(old, host.Instance("emitter"));
        old = null;
        await AssertCollectedAsync(oldContext);
        var before = Results("emitter");
        await FeedUntilAsync(host, () => Results("emitter") > before, "the new version's events");
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public async Task Run_FolderRemoved_InstanceStopsAndContextUnloads()
    {
        var folder = Folders.Add("counting", "CountingPlugin");
        await using var host = await StartAsync(new() { ["counting:Enabled"] = "true" });
        var context = ContextOf(host.Instance("counting")!);

        Directory.Delete(folder, recursive: true);

        await Eventually.TrueAsync(() => host.Instance("counting")?.Error.Contains("not installed", StringComparison.Ordinal) == true, Timeout, "the instance to report the plugin gone");
        await AssertCollectedAsync(context);
    }

    [Fact]
    public async Task Reload_ReconfigurablePluginGetsNewSettings_SameInstanceReportsThem()
    {
        Folders.Add("stepper", "ReconfigurableSteppingPlugin");
        await using var host = await StartAsync(new() { ["stepper:Step"] = "1" });
        var instance = host.Instance("stepper")!;

        host.SetAndReload("stepper:Step", "7");

        await FeedUntilAsync(host, () => LastStep("stepper") == 7, "the new step");
        Assert.Same(instance, host.Instance("stepper"));
    }

    [Fact]
    public async Task Reload_OtherPluginGetsNewSettings_Restarted()
    {
        Folders.Add("stepper", "SteppingPlugin");
        await using var host = await StartAsync(new() { ["stepper:Step"] = "1" });
        var instance = host.Instance("stepper")!;

        host.SetAndReload("stepper:Step", "7");

        await Eventually.TrueAsync(() => !ReferenceEquals(host.Instance("stepper"), instance), Timeout, "a restarted instance");
        await FeedUntilAsync(host, () => LastStep("stepper") == 7, "the new step");
    }

    [Theory]
    [InlineData("SteppingPlugin")]
    [InlineData("ReconfigurableSteppingPlugin")]
    public async Task Reload_InvalidSettings_OldSettingsKeptAndReported(string entryType)
    {
        Folders.Add("stepper", entryType);
        await using var host = await StartAsync(new() { ["stepper:Step"] = "3" });

        host.SetAndReload("stepper:Step", "1000");

        await Eventually.TrueAsync(() => host.Instance("stepper")?.Warning.Contains("Step", StringComparison.Ordinal) == true, Timeout, "the refusal to be reported");
        Assert.Contains("Cameras:0:Plugins:stepper:Step", host.Instance("stepper")!.Warning, StringComparison.Ordinal);
        Assert.Equal(InstanceState.Running, host.Instance("stepper")!.State);
        await FeedUntilAsync(host, () => LastStep("stepper") == 3, "results with the old step");
    }

    [Fact]
    public async Task Reload_PluginDisabledThenEnabled_StopsAndStartsAgain()
    {
        Folders.Add("counting", "CountingPlugin");
        await using var host = await StartAsync(new() { ["counting:Enabled"] = "true" });

        host.SetAndReload("counting:Enabled", "false");
        await Eventually.TrueAsync(() => host.Instance("counting") is null, Timeout, "the instance to stop");

        host.SetAndReload("counting:Enabled", "true");
        await Eventually.TrueAsync(() => host.Instance("counting")?.State == InstanceState.Running, Timeout, "the instance to start again");
    }

    [Fact]
    public async Task Run_PluginSleepsForever_ReportedHungWhileNeighbourProduces()
    {
        Folders.Add("sleeping", "SleepingPlugin");
        Folders.Add("counting", "CountingPlugin");
        await using var host = await StartAsync(new() { ["sleeping:Enabled"] = "true", ["counting:Enabled"] = "true" }, hangSeconds: 1);

        await FeedUntilAsync(host, () => host.Instance("sleeping")!.State == InstanceState.Failed, "the sleeping plugin to be switched off");

        Assert.StartsWith("hung: OnFrameAsync", host.Instance("sleeping")!.Error, StringComparison.Ordinal);
        var before = Results("counting");
        await FeedUntilAsync(host, () => Results("counting") > before + 3, "the neighbour to go on");
    }

    [Fact]
    public async Task Run_PluginOverBudget_CountedAndStillRunning()
    {
        Folders.Add("slow", "SlowPlugin");
        await using var host = await StartAsync(new() { ["slow:Enabled"] = "true" });

        await FeedUntilAsync(host, () => host.Instance("slow")!.Counters.OverBudget >= 2, "two calls over the 100 ms budget");

        Assert.Equal(InstanceState.Running, host.Instance("slow")!.State);
    }

    [Fact]
    public async Task Reload_ConfigFileEdited_NewAssignmentsReadFromTheFile()
    {
        var file = Temp.Combine("node.json");
        await File.WriteAllTextAsync(file, Config(step: 1));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { Args = [], ContentRootPath = Temp.Path });
        builder.AddNodeConfigurationFile(file);
        var cameras = new CameraConfiguration(Microsoft.Extensions.Options.Options.Create(NodeConfiguration.ReadCameras(builder.Configuration)));
        using var reloader = new LocalConfigReloader(
            builder.Configuration,
            cameras,
            new NodeConfigurationValidator(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LocalConfigReloader>.Instance);
        string Step() => PluginAssignment.ForCameras(cameras.Current.Items)["yard"].Single().Settings["Step"];

        await File.WriteAllTextAsync(file, Config(step: 5));

        await Eventually.TrueAsync(() => Step() == "5", Timeout, "the edited step to be read");
        await File.WriteAllTextAsync(file, Config(step: 6).Replace("\"Enabled\": true", "\"Enabled\": \"maybe\"", StringComparison.Ordinal));
        await Task.Delay(1500);
        Assert.Equal("5", Step());
        Assert.Equal(0UL, cameras.Version);
    }

    private static string Config(int step) =>
        $$"""{ "Node": { "Id": "n" }, "Cameras": [ { "Id": "yard", "Source": { "Kind": "synthetic" }, "Plugins": { "stepper": { "Enabled": true, "Step": {{step}} } } } ] }""";

    private Task<TestPluginHost> StartAsync(Dictionary<string, string?> plugins, double hangSeconds = 30) =>
        TestPluginHost.StartAsync(Folders, Outbox, Temp.Combine("camera"), plugins, hangSeconds);

    /// <summary>Feeds a frame every 50 ms until <paramref name="condition"/> holds.</summary>
    private static async Task FeedUntilAsync(TestPluginHost host, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        for (var number = 0; !condition(); number++)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await TestCamera.FeedAsync(host.Camera, 1, T0.AddSeconds(number), firstNumber: number).WaitAsync(Timeout);
            await Task.Delay(50);
        }
    }

    private double? LastStep(string pluginId) => All().LastOrDefault(r => r.PluginId == pluginId)?.Measurement.Value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(PluginInstance instance) => instance.Plugin!.Load.Context;

    private static async Task AssertCollectedAsync(WeakReference context)
    {
        await Eventually.TrueAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !context.IsAlive;
            },
            Timeout,
            "the old load context to be collected");
    }
}
