namespace CctvEdge.Grpc;

/// <summary>The methods of one service bound to their handlers; hosts turn it into endpoints.</summary>
public sealed class ServerServiceDefinition
{
    private readonly IReadOnlyList<Action<ServiceBinderBase>> _bindings;

    private ServerServiceDefinition(IReadOnlyList<IMethod> methods, IReadOnlyList<Action<ServiceBinderBase>> bindings)
    {
        Methods = methods;
        _bindings = bindings;
    }

    /// <summary>The bound methods.</summary>
    public IReadOnlyList<IMethod> Methods { get; }

    /// <summary>Starts a definition.</summary>
    public static Builder CreateBuilder() => new();

    /// <summary>Hands every method and handler to <paramref name="binder"/>.</summary>
    public void BindService(ServiceBinderBase binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        foreach (var bind in _bindings)
        {
            bind(binder);
        }
    }

    /// <summary>Collects methods and handlers.</summary>
    public sealed class Builder
    {
        private readonly List<IMethod> _methods = [];
        private readonly List<Action<ServiceBinderBase>> _bindings = [];

        /// <summary>Adds a unary method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.Unary, handler, b => b.AddMethod(method, handler));

        /// <summary>Adds a client-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.ClientStreaming, handler, b => b.AddMethod(method, handler));

        /// <summary>Adds a server-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.ServerStreaming, handler, b => b.AddMethod(method, handler));

        /// <summary>Adds a bidirectional-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            => Add(method, MethodType.DuplexStreaming, handler, b => b.AddMethod(method, handler));

        /// <summary>Finishes the definition.</summary>
        public ServerServiceDefinition Build() => new(_methods.ToArray(), _bindings.ToArray());

        private Builder Add(IMethod method, MethodType expected, Delegate handler, Action<ServiceBinderBase> bind)
        {
            ArgumentNullException.ThrowIfNull(method);
            ArgumentNullException.ThrowIfNull(handler);
            if (method.Type != expected)
            {
                throw new ArgumentException($"Method {method.FullName} is {method.Type}, but the handler is for {expected}.", nameof(method));
            }

            if (_methods.Any(m => m.FullName == method.FullName))
            {
                throw new ArgumentException($"Method {method.FullName} is already bound.", nameof(method));
            }

            _methods.Add(method);
            _bindings.Add(bind);
            return this;
        }
    }
}

/// <summary>Receives the methods of a <see cref="ServerServiceDefinition"/>; a host implements it.</summary>
public abstract class ServiceBinderBase
{
    /// <summary>Binds a unary method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler) => throw new NotSupportedException();

    /// <summary>Binds a client-streaming method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler) => throw new NotSupportedException();

    /// <summary>Binds a server-streaming method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler) => throw new NotSupportedException();

    /// <summary>Binds a bidirectional-streaming method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler) => throw new NotSupportedException();
}
