using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CctvEdge.Harness;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CctvEdge.Testing;

/// <summary>A message the server took: who signed in, the envelope's recipients and the parsed message.</summary>
public sealed record ReceivedMail(string? User, IReadOnlyList<string> Recipients, MimeMessage Message);

/// <summary>
/// A real SMTP server (the SmtpServer library) on 127.0.0.1 with STARTTLS on a self-signed certificate and sign-in
/// required over TLS only, as a mail provider's submission port behaves. It keeps what it is sent.
/// </summary>
public sealed class FakeSmtp : IAsyncDisposable
{
    public const string User = "farm@example.com";
    public const string Password = "smtp-password-0123";
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly Task _running;

    private FakeSmtp(int port, X509Certificate2 certificate)
    {
        Port = port;
        _certificate = certificate;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .AllowUnsecureAuthentication(false)
                .AuthenticationRequired(true)
                .Certificate(certificate))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(Received));
        services.Add(new Authenticator());
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The SHA-256 of the server's certificate, as a channel pins it.</summary>
    public string CertificateSha256 => Convert.ToHexString(SHA256.HashData(_certificate.RawData));

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    public static FakeSmtp Start() => new(FreePort.Next(), SelfSigned());

    /// <summary>A certificate no system trusts, for 127.0.0.1: the client must pin it.</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake smtp", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so SslStream on Linux can use the private key as a server's.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        _stop.Dispose();
        _certificate.Dispose();
    }

    private sealed class Store(ConcurrentQueue<ReceivedMail> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            context.Properties.TryGetValue("User", out var user);
            received.Enqueue(new ReceivedMail(user as string, transaction.To.Select(m => m.User + "@" + m.Host).ToList(), message));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            var ok = user == User && password == Password;
            if (ok)
            {
                context.Properties["User"] = user;
            }

            return Task.FromResult(ok);
        }
    }
}
