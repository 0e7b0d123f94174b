using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Server.Admin;
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
    private readonly IMessageStore _store;

    private ParleyServer(WebApplication app, Listeners listeners, FileChatLog chatLog, IMessageStore store, ServerOptions options)
    {
        _app = app;
        _listeners = listeners;
        _chatLog = chatLog;
        _store = store;
        Options = options;
        Hub = app.Services.GetRequiredService<Hub>();
    }

    public ServerOptions Options { get; }

    public Hub Hub { get; }

    /// <summary>The bound chat endpoint (the real port when 0 was asked for). Valid after start.</summary>
    public IPEndPoint ChatEndPoint => (IPEndPoint)(_listeners.Chat ?? throw new InvalidOperationException("Not started")).EndPoint;

    public IPEndPoint? WebEndPoint => (IPEndPoint?)_listeners.Web?.EndPoint;

    public string ChatLogPath => _chatLog.Path;

    public IServiceProvider Services => _app.Services;

    public static ParleyServer Create(ServerOptions options, Action<ILoggingBuilder>? configureLogging = null, TimeProvider? time = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
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
        var clock = time ?? TimeProvider.System;
        var chatLog = new FileChatLog(Path.Combine(options.DataDirectory, "chat.log"), clock.LocalTimeZone);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Hub);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<IChatLog>(chatLog);
        var store = OpenStore(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<Hub>();
        builder.Services.AddHostedService<HubShutdownService>();
        ParleyWeb.AddServices(builder, options, chatLog, clock);

        var listeners = new Listeners();
        var address = ResolveAddress(options.Host);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.UseConnectionHandler<ChatConnectionHandler>();
                listeners.Chat = listen;
            });
            if (options.WebPort >= 0)
            {
                kestrel.Listen(address, options.WebPort, listen => listeners.Web = listen);
            }
        });

        var app = builder.Build();
        app.MapGet("/healthz", (Hub hub) => Results.Json(new { status = "ok", connections = hub.ConnectionCount, users = hub.Usernames.Count }));
        ParleyWeb.Map(app);

        return new ParleyServer(app, listeners, chatLog, store, options);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var logger = _app.Services.GetRequiredService<ILogger<ParleyServer>>();
        logger.LogInformation(
            "Parley is listening: chat on {Chat} (nc/telnet/JSON lines), web on {Web}, data in {Data}",
            ChatEndPoint,
            WebEndPoint?.ToString() ?? "off",
            Path.GetFullPath(Options.DataDirectory));
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
        _store.Dispose();
    }

    /// <summary>The store <paramref name="options"/> ask for: DATA/parley.db (migrated to the current schema) or memory.</summary>
    public static IMessageStore OpenStore(ServerOptions options) => options.Store.ToLowerInvariant() switch
    {
        "sqlite" => SqliteMessageStore.Open(Path.Combine(options.DataDirectory, SqliteMessageStore.FileName)),
        "memory" => new MemoryMessageStore(),
        _ => throw new ArgumentException($"--store must be 'sqlite' or 'memory', not '{options.Store}'"),
    };

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

    // Kestrel configures its endpoints when it starts; this is where they land.
    private sealed class Listeners
    {
        public ListenOptions? Chat { get; set; }

        public ListenOptions? Web { get; set; }
    }
}
