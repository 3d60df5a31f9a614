using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1Alpha;

namespace CctvEdge.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1alpha.ServerReflection</c> over the descriptors protoc compiled into the services' assemblies:
/// lists the services and hands out the files that define a symbol or carry a name, with the files they import, so a
/// tool such as grpcurl can build requests without the .proto files. Named as in Grpc.Reflection.
/// </summary>
public sealed class ReflectionServiceImpl : ServerReflection.ServerReflectionBase
{
    private readonly IReadOnlyList<string> _services;
    private readonly Dictionary<string, FileDescriptor> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _filesBySymbol = new(StringComparer.Ordinal);

    /// <summary>Reflects <paramref name="services"/> and the reflection service itself.</summary>
    public ReflectionServiceImpl(IEnumerable<ServiceDescriptor> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var all = services.Append(ServerReflection.Descriptor).DistinctBy(s => s.FullName).ToList();
        _services = all.Select(s => s.FullName).ToList();
        foreach (var service in all)
        {
            Index(service.File);
        }
    }

    public ReflectionServiceImpl(params ServiceDescriptor[] services)
        : this((IEnumerable<ServiceDescriptor>)services)
    {
    }

    public override async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requestStream, IServerStreamWriter<ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            var response = Answer(request);
            response.ValidHost = request.Host;
            response.OriginalRequest = request;
            await responseStream.WriteAsync(response).ConfigureAwait(false);
        }
    }

    private ServerReflectionResponse Answer(ServerReflectionRequest request) => request.MessageRequestCase switch
    {
        ServerReflectionRequest.MessageRequestOneofCase.ListServices => new ServerReflectionResponse
        {
            ListServicesResponse = new ListServiceResponse { Service = { _services.Select(name => new ServiceResponse { Name = name }) } },
        },
        ServerReflectionRequest.MessageRequestOneofCase.FileByFilename =>
            _filesByName.TryGetValue(request.FileByFilename, out var file) ? WithDependencies(file) : NotFound($"No file named '{request.FileByFilename}'."),
        ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol =>
            _filesBySymbol.TryGetValue(request.FileContainingSymbol, out var file) ? WithDependencies(file) : NotFound($"No symbol '{request.FileContainingSymbol}'."),
        // Proto3 services here declare no extensions.
        ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension => NotFound("This server's files declare no extensions."),
        ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType => NotFound("This server's files declare no extensions."),
        _ => Error(StatusCode.InvalidArgument, "The request names no question."),
    };

    /// <summary>The file first, then everything it imports (transitively), each once.</summary>
    private static ServerReflectionResponse WithDependencies(FileDescriptor file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var response = new FileDescriptorResponse();
        var pending = new Queue<FileDescriptor>([file]);
        while (pending.TryDequeue(out var next))
        {
            if (seen.Add(next.Name))
            {
                response.FileDescriptorProto.Add(next.SerializedData);
                foreach (var dependency in next.Dependencies)
                {
                    pending.Enqueue(dependency);
                }
            }
        }

        return new ServerReflectionResponse { FileDescriptorResponse = response };
    }

    private static ServerReflectionResponse NotFound(string message) => Error(StatusCode.NotFound, message);

    private static ServerReflectionResponse Error(StatusCode code, string message) =>
        new() { ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message } };

    private void Index(FileDescriptor file)
    {
        if (!_filesByName.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var service in file.Services)
        {
            _filesBySymbol[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _filesBySymbol[method.FullName] = file;
            }
        }

        IndexTypes(file, file.MessageTypes, file.EnumTypes);
        foreach (var dependency in file.Dependencies)
        {
            Index(dependency);
        }
    }

    private void IndexTypes(FileDescriptor file, IEnumerable<MessageDescriptor> messages, IEnumerable<EnumDescriptor> enums)
    {
        foreach (var type in enums)
        {
            _filesBySymbol[type.FullName] = file;
        }

        foreach (var message in messages)
        {
            _filesBySymbol[message.FullName] = file;
            IndexTypes(file, message.NestedTypes, message.EnumTypes);
        }
    }
}
