using CctvEdge.Node.Cameras;
using CctvEdge.Node.Cameras.Push;
using CctvEdge.Node.Metrics;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Node.Uplink;
using CctvEdge.Node.Uplink.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Configuration;

/// <summary>Binds and validates the node's config sections; any mistake stops the agent at start with its key.</summary>
internal static class NodeConfiguration
{
    public static IServiceCollection AddNodeConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        AddSection<NodeOptions>(services, configuration, NodeOptions.Section);
        AddSection<ServerConnectionOptions>(services, configuration, ServerConnectionOptions.Section);
        AddSection<FfmpegOptions>(services, configuration, FfmpegOptions.Section);
        AddSection<NodeMetricsOptions>(services, configuration, NodeMetricsOptions.Section);
        AddSection<UploadPolicyOptions>(services, configuration, UploadPolicyOptions.Section);
        services.AddSingleton<IValidateOptions<UploadPolicyOptions>, UploadPolicyValidator>();
        services.AddSingleton<IValidateOptions<NodeMetricsOptions>, NodeMetricsOptionsValidator>();
        services.AddOptions<CamerasOptions>()
            .Configure<IOptions<NodeOptions>>((options, node) => BindStartCameras(options, configuration, node.Value))
            .ValidateOnStart();
        AddSection<HardwareOptions>(services, configuration, HardwareOptions.Section);
        AddSection<MicrocontrollerOptions>(services, configuration, MicrocontrollerOptions.Section);
        services.AddSingleton<IValidateOptions<MicrocontrollerOptions>, MicrocontrollerOptionsValidator>();
        AddSection<PushOptions>(services, configuration, PushOptions.Section);
        services.AddSingleton<IValidateOptions<PushOptions>, PushOptionsValidator>();
        services.AddOptions<SensorsOptions>()
            .Configure(options => BindSensors(options, configuration.GetSection(SensorsOptions.Section)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SensorsOptions>, SensorsOptionsValidator>();
        services.AddSingleton<NodeConfigurationValidator>();
        services.AddSingleton<IValidateOptions<NodeOptions>>(sp => sp.GetRequiredService<NodeConfigurationValidator>());
        services.AddSingleton<IValidateOptions<ServerConnectionOptions>>(sp => sp.GetRequiredService<NodeConfigurationValidator>());
        services.AddSingleton<IValidateOptions<FfmpegOptions>>(sp => sp.GetRequiredService<NodeConfigurationValidator>());
        services.AddSingleton<IValidateOptions<CamerasOptions>>(sp => sp.GetRequiredService<NodeConfigurationValidator>());
        return services;
    }

    private static void AddSection<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>()
            .Configure(options => BindStrict(configuration.GetSection(section), options, section))
            .ValidateOnStart();

    /// <summary>Binds the <c>Cameras</c> section afresh (after a reload of the config file); throws like the start does.</summary>
    public static CamerasOptions ReadCameras(IConfiguration configuration)
    {
        var options = new CamerasOptions();
        BindCameras(options, configuration.GetSection(CamerasOptions.Section));
        return options;
    }

    /// <summary>The cameras the node starts with: the fleet hub's last accepted version if there is one, else the config file's.</summary>
    private static void BindStartCameras(CamerasOptions options, IConfiguration configuration, NodeOptions node)
    {
        var source = CentralConfigFile.TryRead(node.ResolvedDataDirectory) ?? ReadCameras(configuration);
        options.Items.AddRange(source.Items);
        options.Version = source.Version;
        options.Json = source.Json;
    }

    private static void BindCameras(CamerasOptions options, IConfigurationSection cameras)
    {
        foreach (var child in cameras.GetChildren())
        {
            var camera = new CameraOptions { Path = child.Path };
            BindStrict(child, camera, child.Path);
            if (camera.Source.Kind == CameraSourceKinds.Push)
            {
                // A push camera has no stream to keep in a ring: its clips are made from the pictures it sends.
                camera.Recording.Enabled = false;
            }

            foreach (var plugin in camera.Plugins.Keys.ToList())
            {
                camera.Plugins[plugin] = Detached(camera.Plugins[plugin]);
            }

            options.Items.Add(camera);
        }

        options.Json = ConfigurationJson.Write(cameras);
    }

    private static void BindSensors(SensorsOptions options, IConfigurationSection sensors)
    {
        foreach (var child in sensors.GetChildren())
        {
            var sensor = new SensorOptions { Path = child.Path };
            BindStrict(child, sensor, child.Path);
            sensor.Settings = sensor.Settings is null ? null : Detached(sensor.Settings);
            options.Items.Add(sensor);
        }
    }

    /// <summary>
    /// A copy of a section that a later reload of the file cannot change: bound sections are live views of the
    /// configuration, and a configuration that was refused must not leak into the one still running.
    /// </summary>
    private static IConfigurationSection Detached(IConfigurationSection section) =>
        new ConfigurationBuilder().AddInMemoryCollection(section.AsEnumerable().Where(kv => kv.Value is not null)).Build().GetSection(section.Path);

    /// <summary>Binds with unknown keys as errors (a typo must not silently fall back to a default).</summary>
    private static void BindStrict<T>(IConfiguration section, T options, string path)
        where T : class
    {
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the value; report it like any other validation failure.
            throw new OptionsValidationException(path, typeof(T), [$"{path}: {ex.Message}"]);
        }
    }
}
