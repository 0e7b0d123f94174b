using System.CommandLine;
using System.Net.Sockets;
using Parley.Core;
using Parley.Server;

namespace Parley.Cli;

/// <summary>`parley serve [PORT]`: runs the chat server until SIGINT/SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var portArgument = new Argument<int?>("PORT") { Description = "Chat port (same as --port)", Arity = ArgumentArity.ZeroOrOne };
        var port = new Option<int>("--port", "-p") { Description = "TCP chat port for nc/telnet and JSON-lines clients", DefaultValueFactory = _ => defaults.Port };
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 = every interface)", DefaultValueFactory = _ => defaults.Host };
        var webPort = new Option<int>("--web-port") { Description = "HTTP port for the browser client, admin page and /healthz (-1: off)", DefaultValueFactory = _ => defaults.WebPort };
        var data = new Option<string>("--data") { Description = "Data directory (chat.log lives here); created if missing", DefaultValueFactory = _ => defaults.DataDirectory };
        var maxClients = new Option<int>("--max-clients") { Description = "Most connections at once; the next one is told 'server full'", DefaultValueFactory = _ => defaults.Hub.MaxClients };
        var rateLimit = new Option<double>("--rate-limit") { Description = "Messages per second per user (burst: twice that); 0 turns flood control off", DefaultValueFactory = _ => defaults.Hub.RateLimit };
        var motd = new Option<string?>("--motd") { Description = "Message of the day, shown to everyone who joins" };
        var logPrivate = new Option<bool>("--log-private") { Description = "Also write private messages to chat.log" };
        var loginTimeout = new Option<int>("--login-timeout") { Description = "Seconds a new connection has to choose a name", DefaultValueFactory = _ => (int)defaults.Hub.LoginTimeout.TotalSeconds };
        var adminToken = new Option<string?>("--admin-token") { Description = "Token for the admin page (/admin) and API (/api/); generated and printed at start-up when not set. Prefer PARLEY_ADMIN_TOKEN: flags show in `ps`" };
        var approveJoins = new Option<bool>("--approve-joins") { Description = "Each join waits until an operator approves it (admin page, API or console /approve)" };
        var store = new Option<string>("--store") { Description = "Where messages, rooms and accounts live: sqlite (DATA/parley.db) or memory (forgotten at exit)", DefaultValueFactory = _ => defaults.Store };
        var historyReplay = new Option<int>("--history-replay") { Description = "Messages of a room replayed on joining it (0: none)", DefaultValueFactory = _ => defaults.Hub.HistoryReplay };
        var historyDays = new Option<int>("--history-days") { Description = "Delete messages older than this many days (hourly cleanup); 0 keeps them", DefaultValueFactory = _ => defaults.Hub.HistoryDays };
        var historyMax = new Option<int>("--history-max") { Description = "Keep at most this many messages, newest first (hourly cleanup); 0: no limit", DefaultValueFactory = _ => defaults.Hub.HistoryMax };
        var requireAccounts = new Option<bool>("--require-accounts") { Description = "Refuse unregistered names (create accounts with `parley admin create`)" };
        var config = new Option<string?>("--config") { Description = "JSON settings file (keys are the option names, e.g. \"max-clients\"); default ./parley.json if present" };

        var command = new Command("serve", "Run the chat server. Settings also come from PARLEY_* environment variables (e.g. PARLEY_MAX_CLIENTS) and the config file.")
        {
            portArgument, port, host, webPort, data, maxClients, rateLimit, motd, logPrivate, loginTimeout, adminToken, approveJoins,
            store, historyReplay, historyDays, historyMax, requireAccounts, config,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            ServerOptions options;
            try
            {
                var settings = Settings.Load(parse, parse.GetValue(config));
                options = new ServerOptions
                {
                    Host = settings.Get(host),
                    Port = parse.GetValue(portArgument) ?? settings.Get(port),
                    WebPort = settings.Get(webPort),
                    DataDirectory = settings.Get(data),
                    AdminToken = settings.Get(adminToken),
                    Store = settings.Get(store),
                    Hub = new HubOptions
                    {
                        MaxClients = settings.Get(maxClients),
                        RateLimit = settings.Get(rateLimit),
                        Motd = settings.Get(motd),
                        LogPrivate = settings.Get(logPrivate),
                        LoginTimeout = TimeSpan.FromSeconds(settings.Get(loginTimeout)),
                        ApproveJoins = settings.Get(approveJoins),
                        HistoryReplay = settings.Get(historyReplay),
                        HistoryDays = settings.Get(historyDays),
                        HistoryMax = settings.Get(historyMax),
                        RequireAccounts = settings.Get(requireAccounts),
                    },
                };
                Validate(options);
            }
            catch (Exception ex) when (ex is SettingsException or InvalidDataException or FileNotFoundException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"parley serve: {ex.Message}");
                return 2;
            }

            await using var server = ParleyServer.Create(options);

            // Operator commands only when a person is at the terminal; with no stdin (CI, services) the server just runs.
            if (!Console.IsInputRedirected)
            {
                _ = server.AttachConsole(Console.In, Console.Out);
            }

            try
            {
                await server.RunAsync(CancellationToken.None);
            }
            catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync($"parley serve: a port is already in use ({ex.Message}). Is another server running? Choose another with --port / --web-port.");
                return 1;
            }

            return 0;
        });
        return command;
    }

    private static void Validate(ServerOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port must be between 0 and 65535, not {options.Port}");
        }

        if (options.WebPort is < -1 or > 65535)
        {
            throw new ArgumentException($"--web-port must be between -1 (off) and 65535, not {options.WebPort}");
        }

        if (options.Hub.MaxClients < 1)
        {
            throw new ArgumentException("--max-clients must be at least 1");
        }

        if (options.Hub.RateLimit < 0)
        {
            throw new ArgumentException("--rate-limit must be 0 (off) or more");
        }

        if (options.AdminToken is { } token && (token.Length < 8 || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new ArgumentException("--admin-token must be at least 8 characters, without spaces");
        }

        if (options.Store is not ("sqlite" or "memory"))
        {
            throw new ArgumentException($"--store must be sqlite or memory, not '{options.Store}'");
        }

        if (options.Hub.HistoryReplay < 0 || options.Hub.HistoryDays < 0 || options.Hub.HistoryMax < 0)
        {
            throw new ArgumentException("--history-replay, --history-days and --history-max must be 0 or more");
        }

        if (options.Hub.LoginTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("--login-timeout must be at least 1 second");
        }
    }
}
