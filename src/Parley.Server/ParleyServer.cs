using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Server.Admin;
using Parley.Server.Transport;
using Parley.Server.Web;
using Parley.Storage.Sqlite;

namespace Parley.Server;

/// <summary>
/// The whole server in one object: Kestrel with the TCP chat endpoint and the web endpoint, the hub,
/// and chat.log. Used by `parley serve` and, on ephemeral ports, by the tests.
/// </summary>
public sealed class ParleyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Listeners _listeners;
    private readonly FileChatLog _chatLog;
    private ILoggerFactory? _earlyLogging;
    private readonly IMessageStore _store;

    private ParleyServer(WebApplication app, Listeners listeners, FileChatLog chatLog, IMessageStore store, ServerOptions options)
    {
        _app = app;
        _listeners = listeners;
        _chatLog = chatLog;
        _store = store;
        Options = options;
        Hub = app.Services.GetRequiredService<Hub>();
        app.Services.GetRequiredService<FileLinks>().WebPort = () => WebEndPoint?.Port;
    }

    public ServerOptions Options { get; }

    public Hub Hub { get; }

    /// <summary>The bound chat endpoint (the real port when 0 was asked for). Valid after start.</summary>
    public IPEndPoint ChatEndPoint => (IPEndPoint)(_listeners.Chat ?? _listeners.Tls ?? throw new InvalidOperationException("Not started")).EndPoint;

    /// <summary>The bound TLS chat endpoint, or null without TLS. Valid after start.</summary>
    public IPEndPoint? TlsEndPoint => (IPEndPoint?)_listeners.Tls?.EndPoint;

    /// <summary>Whether the web port serves HTTPS/WSS.</summary>
    public bool WebIsHttps => Options.Tls;

    public IPEndPoint? WebEndPoint => (IPEndPoint?)_listeners.Web?.EndPoint;

    public string ChatLogPath => _chatLog.Path;

    /// <summary>chat.log itself: whether it is failing and how many lines it lost (for operators and tests).</summary>
    public FileChatLog ChatLog => _chatLog;

    public IServiceProvider Services => _app.Services;

    public static ParleyServer Create(ServerOptions options, Action<ILoggingBuilder>? configureLogging = null, TimeProvider? time = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        // Parley has its own settings (flags, PARLEY_*, parley.json), not appsettings.json. Without these two, the
        // host would look for appsettings in the current directory and watch it recursively for changes: run
        // from a home directory, that is an inotify watch and a heap object for every directory under it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(1));

        // No log line shows scopes, yet capturing them would cost every connection three objects for as long as
        // it lives (Kestrel opens a scope per connection, kept in an AsyncLocal).
        builder.Services.Configure<LoggerFilterOptions>(o => o.CaptureScopes = false);
        var clock = time ?? TimeProvider.System;
        // chat.log and the certificate exist before the host does, so they log through their own factory.
        var earlyLogging = CreateEarlyLogging(configureLogging);
        var chatLog = new FileChatLog(Path.Combine(options.DataDirectory, "chat.log"), clock.LocalTimeZone, options.ChatLog, earlyLogging.CreateLogger("Parley.ChatLog"));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Hub);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<IChatLog>(chatLog);
        var store = OpenStore(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<Hub>();
        var admission = new ConnectionAdmission(options.Hub.Abuse, clock);
        builder.Services.AddSingleton(admission);
        builder.Services.AddHostedService<HubShutdownService>();
        builder.Services.AddSingleton<IdleMemoryTrimmer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IdleMemoryTrimmer>());
        ParleyWeb.AddServices(builder, options, chatLog, clock);

        var listeners = new Listeners();
        var address = ResolveAddress(options.Host);
        // Chat traffic is many small writes: sending inline from the connection's write loop saves a
        // thread-pool hop per delivery (measured in docs/benchmarks.md).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineScheduling);

        // Registered after the socket transport so Kestrel asks it first; it takes only LeanEndPoints.
        builder.Services.AddSingleton<IConnectionListenerFactory, LeanSocketTransportFactory>();
        var lean = options.Transport == "lean";
        var guard = new ChatPortGuard(admission, options);
        builder.Services.AddSingleton(guard);
        var certificate = options.Tls ? TlsCertificates.Load(options, earlyLogging.CreateLogger("Parley.Server.Tls")) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (options.Port >= 0)
            {
                kestrel.Listen(ChatPort(address, options.Port, lean), listen =>
                {
                    listen.UseConnectionHandler<ChatConnectionHandler>();
                    listeners.Chat = listen;
                });
            }

            if (certificate is not null)
            {
                kestrel.Listen(ChatPort(address, options.TlsPort, lean), listen =>
                {
                    // Admission runs before the handshake, so a flood of half-open handshakes is limited too.
                    listen.Use(guard.TlsMiddleware());
                    listen.UseHttps(Https(certificate, options));
                    listen.UseConnectionHandler<ChatConnectionHandler>();
                    listeners.Tls = listen;
                });
            }

            if (options.WebPort >= 0)
            {
                kestrel.Listen(address, options.WebPort, listen =>
                {
                    if (certificate is not null)
                    {
                        listen.UseHttps(Https(certificate, options));
                    }

                    listeners.Web = listen;
                });
            }
        });

        var app = builder.Build();
        app.MapGet("/healthz", (Hub hub) => Results.Json(new { status = "ok", connections = hub.ConnectionCount, users = hub.UserCount }));
        ParleyWeb.Map(app);

        return new ParleyServer(app, listeners, chatLog, store, options) { _earlyLogging = earlyLogging };
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var logger = _app.Services.GetRequiredService<ILogger<ParleyServer>>();
        logger.LogInformation(
            "Parley is listening: chat on {Chat} (nc/telnet/JSON lines), web on {Web}, data in {Data}",
            _listeners.Chat?.EndPoint.ToString() ?? "off (TLS only)",
            WebEndPoint is null ? "off" : WebEndPoint + (WebIsHttps ? " (HTTPS/WSS only)" : string.Empty),
            Path.GetFullPath(Options.DataDirectory));
        if (TlsEndPoint is { } tls)
        {
            logger.LogInformation("TLS chat on {Tls} (TLS 1.2 or later)", tls);
        }

        ParleyWeb.LogAdminAccess(_app.Services, WebEndPoint);
    }

    /// <summary>The token for /admin and /api/: the configured one, or the one generated at start-up.</summary>
    public string AdminToken => _app.Services.GetRequiredService<AdminAuth>().Token;

    /// <summary>
    /// Reads operator commands (/say, /kick, /list, /approve, /reject, ...) from <paramref name="input"/>
    /// on a background thread until it ends; the server keeps running when it does.
    /// </summary>
    public Task AttachConsole(TextReader input, TextWriter output)
    {
        var console = _app.Services.GetRequiredService<OperatorConsole>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                console.Run(input, output);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // stdin went away: the console stops, the server does not.
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "Parley operator console",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs until SIGINT/SIGTERM (or <paramref name="cancellationToken"/>), then shuts down gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        await _chatLog.DisposeAsync().ConfigureAwait(false);
        _earlyLogging?.Dispose();
        _store.Dispose();
    }

    private static HttpsConnectionAdapterOptions Https(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, ServerOptions options) => new()
    {
        ServerCertificate = certificate,
        SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        HandshakeTimeout = options.TlsHandshakeTimeout,
    };

    private static ILoggerFactory CreateEarlyLogging(Action<ILoggingBuilder>? configureLogging) =>
        LoggerFactory.Create(configureLogging ?? (l => l.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })));

    /// <summary>The store <paramref name="options"/> ask for: DATA/parley.db (migrated to the current schema) or memory.</summary>
    public static IMessageStore OpenStore(ServerOptions options) => options.Store.ToLowerInvariant() switch
    {
        "sqlite" => OpenSqlite(Path.Combine(options.DataDirectory, SqliteMessageStore.FileName)),
        "memory" => new MemoryMessageStore(options.Hub.HistoryMax > 0 ? options.Hub.HistoryMax : MemoryMessageStore.DefaultMaxMessages),
        _ => throw new ArgumentException($"--store must be 'sqlite' or 'memory', not '{options.Store}'"),
    };

    // Without its store the server must not run: accounts and bans would silently stop applying.
    private static SqliteMessageStore OpenSqlite(string path)
    {
        try
        {
            return SqliteMessageStore.Open(path);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new IOException($"cannot open the message store {path}: {ex.Message} (is the data directory writable, with free space?)", ex);
        }
    }

    private static IPAddress ResolveAddress(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ArgumentException($"Cannot resolve host '{host}'", nameof(host));
    }

    private static IPEndPoint ChatPort(IPAddress address, int port, bool lean) =>
        lean ? new LeanEndPoint(address, port) : new IPEndPoint(address, port);

    // Kestrel configures its endpoints when it starts; this is where they land.
    private sealed class Listeners
    {
        public ListenOptions? Chat { get; set; }

        public ListenOptions? Web { get; set; }

        public ListenOptions? Tls { get; set; }
    }
}
