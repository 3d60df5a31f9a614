using CctvEdge.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage.Objects;

/// <summary>Registers the <c>ClipStorage</c> section and the clip object store it chooses.</summary>
internal static class ClipObjectStoreServices
{
    public static IServiceCollection AddClipObjectStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClipStorageOptions>()
            .Configure(o => ServerHostExtensions.BindStrict(configuration.GetSection(ClipStorageOptions.Section), o, ClipStorageOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClipStorageOptions>, ClipStorageOptionsValidator>();
        services.AddSingleton<IClipObjectStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<ClipStorageOptions>>().Value;
            return storage.UsesS3
                ? new S3ClipObjectStore(storage.S3)
                : new FileSystemClipObjectStore(sp.GetRequiredService<IOptions<ServerOptions>>().Value.ResolvedClipsDirectory);
        });
        return services;
    }
}
