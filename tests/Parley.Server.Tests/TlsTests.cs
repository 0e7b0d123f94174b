using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Parley.Client;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task Chat_over_tls_reaches_plain_text_users_and_the_fingerprint_can_be_pinned()
    {
        await using var server = await TestServer.StartAsync(o => { o.Tls = true; o.TlsPort = 0; });
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(server.DataDirectory, "tls-selfsigned.pem"));
        var fingerprint = ChatClient.Fingerprint(certificate);

        await using var plain = await server.JoinTextAsync("plain");
        await using var secure = await ChatClient.ConnectAsync("127.0.0.1", server.TlsEndPoint.Port, new ChatClientOptions { Tls = true, PinnedFingerprint = fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant() });
        Assert.Equal(fingerprint, secure.ServerCertificateFingerprint);
        await secure.JoinAsync("secure");
        await secure.SendMessageAsync("over tls");
        await plain.ExpectAsync("secure: over tls");
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_unless_insecure_or_pinned_to_its_fingerprint()
    {
        await using var server = await TestServer.StartAsync(o => { o.Tls = true; o.TlsPort = 0; });
        var port = server.TlsEndPoint.Port;
        await Assert.ThrowsAsync<AuthenticationException>(() => ChatClient.ConnectAsync("127.0.0.1", port, new ChatClientOptions { Tls = true }));
        await Assert.ThrowsAsync<AuthenticationException>(() => ChatClient.ConnectAsync("127.0.0.1", port, new ChatClientOptions { Tls = true, PinnedFingerprint = new string('A', 64) }));
        await using var insecure = await ChatClient.ConnectAsync("127.0.0.1", port, new ChatClientOptions { Tls = true, AllowUntrustedCertificate = true });
        Assert.Equal("insecure", (await insecure.JoinAsync("insecure")).Username);
    }

    [Fact]
    public async Task Only_tls_1_2_or_later_is_negotiated_and_the_self_signed_certificate_survives_a_restart()
    {
        using var data = new TempDataDirectory("parley-tls");
        string first;
        await using (var server = await TestServer.StartAsync(o => { o.Tls = true; o.TlsPort = 0; }, dataDirectory: data.Path))
        {
            await using var tls = await HandshakeAsync(server.TlsEndPoint, SslProtocols.None);
            Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {tls.SslProtocol}");
            first = ChatClient.Fingerprint(tls.RemoteCertificate!);

            // A client that offers only TLS 1.1 gets no connection (the obsolete value is the point here).
#pragma warning disable SYSLIB0039
            await Assert.ThrowsAnyAsync<Exception>(async () => await HandshakeAsync(server.TlsEndPoint, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        }

        await using (var again = await TestServer.StartAsync(o => { o.Tls = true; o.TlsPort = 0; }, dataDirectory: data.Path))
        {
            await using var tls = await HandshakeAsync(again.TlsEndPoint, SslProtocols.None);
            Assert.Equal(first, ChatClient.Fingerprint(tls.RemoteCertificate!));
        }
    }

    [Fact]
    public async Task A_certificate_from_pem_files_is_used()
    {
        using var directory = new TempDataDirectory("parley-pem");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=chat.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "cert.pem"), made.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "key.pem"), key.ExportPkcs8PrivateKeyPem());

        await using var server = await TestServer.StartAsync(o =>
        {
            o.Tls = true;
            o.TlsPort = 0;
            o.TlsCertificatePath = Path.Combine(directory.Path, "cert.pem");
            o.TlsKeyPath = Path.Combine(directory.Path, "key.pem");
        });
        await using var tls = await HandshakeAsync(server.TlsEndPoint, SslProtocols.None);
        Assert.Equal("CN=chat.example.test", tls.RemoteCertificate!.Subject);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "tls-selfsigned.pem")));
    }

    [Fact]
    public async Task With_tls_the_web_port_speaks_only_https_with_hsts_and_wss_works()
    {
        await using var server = await TestServer.StartAsync(o => { o.Tls = true; o.TlsPort = 0; });
        Assert.Equal("https", server.WebUri.Scheme);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = LineClient.DefaultTimeout };
        using var health = await http.GetAsync(new Uri(server.WebUri, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("max-age=31536000", health.Headers.GetValues("Strict-Transport-Security").Single());

        // The admin page is not reachable over plain HTTP at all.
        using var plain = new HttpClient { Timeout = LineClient.DefaultTimeout };
        var plainAdmin = new UriBuilder(server.WebUri) { Scheme = "http", Path = "/admin" }.Uri;
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(plainAdmin));

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        await socket.ConnectAsync(new UriBuilder(server.WebUri) { Scheme = "wss", Path = "/ws" }.Uri, timeout.Token);
        await socket.SendAsync("{\"type\":\"join\",\"username\":\"wss\"}"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.StartsWith("{\"type\":\"welcome\"", Encoding.UTF8.GetString(buffer, 0, received.Count), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_tls_handshake_is_dropped()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Tls = true;
            o.TlsPort = 0;
            o.TlsHandshakeTimeout = TimeSpan.FromSeconds(1);
        });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.TlsEndPoint);
        await tcp.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01 }); // the start of a ClientHello, then nothing
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await tcp.GetStream().ReadAsync(new byte[256], timeout.Token);
        Assert.Equal(0, read);
    }

    internal static async Task<SslStream> HandshakeAsync(IPEndPoint endPoint, SslProtocols protocols)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        return tls;
    }
}
