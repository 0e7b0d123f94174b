using System.CommandLine;
using System.Net.Sockets;
using Parley.Core;
using Parley.Server;
using Parley.Server.Web;

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
        var maxFileSize = new Option<string>("--max-file-size") { Description = "Largest file users may share (e.g. 100MiB); larger offers are refused before any byte is sent", DefaultValueFactory = _ => "100MiB" };
        var filesQuota = new Option<string>("--files-quota") { Description = "Total size of stored files plus uploads in progress (e.g. 10GiB)", DefaultValueFactory = _ => "10GiB" };
        var maxUploads = new Option<int>("--max-uploads-per-user") { Description = "Uploads one user may have in progress at once (0: no cap)", DefaultValueFactory = _ => new FileTransferOptions().MaxUploadsPerUser };
        var fileRetention = new Option<string>("--file-retention") { Description = "How long shared files stay downloadable (e.g. 7d, 12h)", DefaultValueFactory = _ => "7d" };
        var publicUrl = new Option<string?>("--public-url") { Description = "The web port's address as users reach it (e.g. https://chat.example.org), for file links; default: the address each client connected to" };
        var tls = new Option<bool>("--tls") { Description = "Serve chat over TLS on --tls-port and the web port over HTTPS/WSS only; without --tls-cert a self-signed certificate is made in the data directory" };
        var tlsPort = new Option<int>("--tls-port") { Description = "TLS chat port (with --tls); --port -1 turns the plain one off", DefaultValueFactory = _ => defaults.TlsPort };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate file (implies --tls)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key file for --tls-cert (if not in the certificate file)" };
        var allowedOrigins = new Option<string?>("--allowed-origins") { Description = "Comma-separated origins (https://host:port) whose pages may open the WebSocket besides this server's own; * for any" };
        var trustedProxy = new Option<string[]>("--trusted-proxy") { Description = "Reverse proxy address or network (e.g. 10.0.0.5, 10.0.0.0/8) whose X-Forwarded-For the web port believes, so per-address limits see the browser's address; repeat or comma-separate. Headers from anyone else are ignored", Arity = ArgumentArity.ZeroOrMore };
        var maxPerIp = new Option<int>("--max-connections-per-ip") { Description = "Chat/WebSocket connections open at once from one address (0: no limit)", DefaultValueFactory = _ => defaults.Hub.Abuse.MaxConnectionsPerIp };
        var newPerIp = new Option<int>("--max-new-connections-per-ip") { Description = "New connections a minute from one address (0: no limit)", DefaultValueFactory = _ => defaults.Hub.Abuse.MaxNewConnectionsPerIpPerMinute };
        var limitLoopback = new Option<bool>("--limit-loopback") { Description = "Apply the per-address limits to 127.0.0.1/::1 too (exempt by default)" };
        var ipRate = new Option<double>("--ip-rate-limit") { Description = "Messages per second from one address over all its connections (burst: twice that); 0: off", DefaultValueFactory = _ => defaults.Hub.Abuse.IpRateLimit };
        var floodStrikes = new Option<int>("--flood-strikes") { Description = "Dropped over-rate messages that earn a mute; as many again, a disconnect", DefaultValueFactory = _ => defaults.Hub.Abuse.FloodStrikes };
        var floodMute = new Option<int>("--flood-mute") { Description = "Seconds a flooder is muted", DefaultValueFactory = _ => (int)defaults.Hub.Abuse.FloodMute.TotalSeconds };
        var lineTimeout = new Option<int>("--line-timeout") { Description = "Seconds a connection may hold an unfinished line before it is closed", DefaultValueFactory = _ => (int)defaults.Hub.Abuse.PartialLineTimeout.TotalSeconds };
        var keepAlive = new Option<int>("--keepalive") { Description = "Seconds of silence before TCP keepalive probes a chat connection (then 3 probes 10 s apart); 0: OS default", DefaultValueFactory = _ => (int)defaults.KeepAliveIdle!.Value.TotalSeconds };
        var logMaxMb = new Option<int>("--log-max-mb") { Description = "Rotate chat.log when it would pass this many MiB (0: never by size)", DefaultValueFactory = _ => (int)(defaults.ChatLog.MaxBytes / (1024 * 1024)) };
        var logDaily = new Option<bool>("--log-daily") { Description = "Rotate chat.log at the first line of each new day", DefaultValueFactory = _ => defaults.ChatLog.Daily };
        var logKeep = new Option<int>("--log-keep") { Description = "Rotated chat.log files to keep (chat.log.1 ... chat.log.N)", DefaultValueFactory = _ => defaults.ChatLog.Keep };
        var store = new Option<string>("--store") { Description = "Where messages, rooms and accounts live: sqlite (DATA/parley.db) or memory (forgotten at exit)", DefaultValueFactory = _ => defaults.Store };
        var transport = new Option<string>("--transport") { Description = "Chat-port sockets: lean (Parley's own: least memory per idle connection, fastest fan-out) or kestrel (Kestrel's socket transport); see docs/operations.md", DefaultValueFactory = _ => defaults.Transport };
        var memoryTrim = new Option<int>("--memory-trim-mb") { Description = "Once the server is quiet, give memory back to the system if the heap grew by this many MiB (a burst of joins); 0: never", DefaultValueFactory = _ => (int)(defaults.MemoryTrim.GrowthBytes / (1024 * 1024)) };
        var maxRooms = new Option<int>("--max-rooms") { Description = "Rooms there may be at most (each keeps its last --history-replay messages in memory); admins may create more; 0: no limit", DefaultValueFactory = _ => defaults.Hub.MaxRooms };
        var maxRoomsPerUser = new Option<int>("--max-rooms-per-user") { Description = "Rooms one user may create (admins: no limit); 0: no limit", DefaultValueFactory = _ => defaults.Hub.MaxRoomsPerUser };
        var historyReplay = new Option<int>("--history-replay") { Description = "Messages of a room replayed on joining it (0: none)", DefaultValueFactory = _ => defaults.Hub.HistoryReplay };
        var historyDays = new Option<int>("--history-days") { Description = "Delete messages older than this many days (hourly cleanup); 0 keeps them", DefaultValueFactory = _ => defaults.Hub.HistoryDays };
        var historyMax = new Option<int>("--history-max") { Description = "Keep at most this many messages, newest first (hourly cleanup); 0: no limit (with --store memory: 1,000,000)", DefaultValueFactory = _ => defaults.Hub.HistoryMax };
        var largeRoom = new Option<int>("--large-room") { Description = "From this many members a room is large: joins/leaves are summarised, member lists are paged this many names at a time (0: never)", DefaultValueFactory = _ => defaults.Hub.LargeRoom };
        var presenceInterval = new Option<int>("--presence-interval") { Description = "Seconds between a large room's join/leave summaries", DefaultValueFactory = _ => (int)defaults.Hub.PresenceInterval.TotalSeconds };
        var requireAccounts = new Option<bool>("--require-accounts") { Description = "Refuse unregistered names (create accounts with `parley admin create`)" };
        var config = new Option<string?>("--config") { Description = "JSON settings file (keys are the option names, e.g. \"max-clients\"); default ./parley.json if present" };

        var command = new Command("serve", "Run the chat server. Settings also come from PARLEY_* environment variables (e.g. PARLEY_MAX_CLIENTS) and the config file.")
        {
            portArgument, port, host, webPort, data, maxClients, rateLimit, motd, logPrivate, loginTimeout, adminToken, approveJoins, maxFileSize, filesQuota, maxUploads, fileRetention, publicUrl,
            tls, tlsPort, tlsCert, tlsKey, allowedOrigins, trustedProxy, maxPerIp, newPerIp, limitLoopback, ipRate, floodStrikes, floodMute, lineTimeout, keepAlive,
            logMaxMb, logDaily, logKeep, store, transport, memoryTrim, maxRooms, maxRoomsPerUser, historyReplay, historyDays, historyMax, largeRoom, presenceInterval, requireAccounts, config,
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
                    PublicUrl = settings.Get(publicUrl),
                    Files = new FileTransferOptions
                    {
                        Directory = "",
                        MaxFileSize = Units.ParseSize(settings.Get(maxFileSize), "--max-file-size"),
                        QuotaBytes = Units.ParseSize(settings.Get(filesQuota), "--files-quota"),
                        Retention = Units.ParseDuration(settings.Get(fileRetention), "--file-retention"),
                        MaxUploadsPerUser = settings.Get(maxUploads),
                    },
                    Store = settings.Get(store),
                    Transport = settings.Get(transport),
                    MemoryTrim = new MemoryTrimOptions { GrowthBytes = settings.Get(memoryTrim) * 1024L * 1024 },
                    Hub = new HubOptions
                    {
                        MaxClients = settings.Get(maxClients),
                        RateLimit = settings.Get(rateLimit),
                        Motd = settings.Get(motd),
                        LogPrivate = settings.Get(logPrivate),
                        LoginTimeout = TimeSpan.FromSeconds(settings.Get(loginTimeout)),
                        ApproveJoins = settings.Get(approveJoins),
                        MaxRooms = settings.Get(maxRooms),
                        MaxRoomsPerUser = settings.Get(maxRoomsPerUser),
                        HistoryReplay = settings.Get(historyReplay),
                        HistoryDays = settings.Get(historyDays),
                        HistoryMax = settings.Get(historyMax),
                        RequireAccounts = settings.Get(requireAccounts),
                        LargeRoom = settings.Get(largeRoom),
                        PresenceInterval = TimeSpan.FromSeconds(settings.Get(presenceInterval)),
                        Abuse = new AbuseOptions
                        {
                            MaxConnectionsPerIp = settings.Get(maxPerIp),
                            MaxNewConnectionsPerIpPerMinute = settings.Get(newPerIp),
                            ExemptLoopback = !settings.Get(limitLoopback),
                            IpRateLimit = settings.Get(ipRate),
                            FloodStrikes = settings.Get(floodStrikes),
                            FloodMute = TimeSpan.FromSeconds(settings.Get(floodMute)),
                            PartialLineTimeout = TimeSpan.FromSeconds(settings.Get(lineTimeout)),
                        },
                    },
                    Tls = settings.Get(tls) || settings.Get(tlsCert) is not null,
                    TlsPort = settings.Get(tlsPort),
                    TlsCertificatePath = settings.Get(tlsCert),
                    TlsKeyPath = settings.Get(tlsKey),
                    AllowedOrigins = settings.Get(allowedOrigins)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                    TrustedProxies = settings.GetList(trustedProxy),
                    KeepAliveIdle = settings.Get(keepAlive) > 0 ? TimeSpan.FromSeconds(settings.Get(keepAlive)) : null,
                    ChatLog = new ChatLogRotation
                    {
                        MaxBytes = settings.Get(logMaxMb) * 1024L * 1024,
                        Daily = settings.Get(logDaily),
                        Keep = settings.Get(logKeep),
                    },
                };
                Validate(options);
            }
            catch (Exception ex) when (ex is SettingsException or InvalidDataException or FileNotFoundException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"parley serve: {ex.Message}");
                return 2;
            }

            ParleyServer created;
            try
            {
                created = ParleyServer.Create(options);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"parley serve: cannot start: {ex.Message}");
                return 2;
            }

            await using var server = created;

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
        if (options.Port is < -1 or > 65535 || (options.Port == -1 && !options.Tls))
        {
            throw new ArgumentException($"--port must be between 0 and 65535 (or -1 with --tls), not {options.Port}");
        }

        if (options.TlsPort is < 0 or > 65535)
        {
            throw new ArgumentException($"--tls-port must be between 0 and 65535, not {options.TlsPort}");
        }

        if (options.TlsCertificatePath is { } cert && !File.Exists(cert))
        {
            throw new ArgumentException($"--tls-cert: no such file: {cert}");
        }

        if (options.TlsKeyPath is { } key && !File.Exists(key))
        {
            throw new ArgumentException($"--tls-key: no such file: {key}");
        }

        foreach (var proxy in options.TrustedProxies)
        {
            TrustedProxies.Parse(proxy);
        }

        if (options.Hub.Abuse.MaxConnectionsPerIp < 0 || options.Hub.Abuse.MaxNewConnectionsPerIpPerMinute < 0 || options.Hub.Abuse.IpRateLimit < 0 || options.Hub.Abuse.FloodStrikes < 0)
        {
            throw new ArgumentException("per-address limits and --flood-strikes must be 0 (off) or more");
        }

        if (options.Hub.Abuse.PartialLineTimeout <= TimeSpan.Zero || options.Hub.Abuse.FloodMute <= TimeSpan.Zero)
        {
            throw new ArgumentException("--line-timeout and --flood-mute must be at least 1 second");
        }

        if (options.ChatLog.MaxBytes < 0 || options.ChatLog.Keep < 1)
        {
            throw new ArgumentException("--log-max-mb must be 0 or more and --log-keep at least 1");
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

        if (options.PublicUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"--public-url must be an absolute http:// or https:// address, not '{url}'");
        }

        if (options.Files.MaxUploadsPerUser < 0)
        {
            throw new ArgumentException("--max-uploads-per-user must be 0 or more");
        }

        if (options.Files.MaxFileSize < 1 || options.Files.QuotaBytes < options.Files.MaxFileSize)
        {
            throw new ArgumentException("--max-file-size must be at least 1 byte and at most --files-quota");
        }

        if (options.Store is not ("sqlite" or "memory"))
        {
            throw new ArgumentException($"--store must be sqlite or memory, not '{options.Store}'");
        }

        if (options.MemoryTrim.GrowthBytes < 0)
        {
            throw new ArgumentException("--memory-trim-mb must be 0 (never) or more");
        }

        if (options.Transport is not ("lean" or "kestrel"))
        {
            throw new ArgumentException($"--transport must be lean or kestrel, not '{options.Transport}'");
        }

        if (options.Hub.HistoryReplay < 0 || options.Hub.HistoryDays < 0 || options.Hub.HistoryMax < 0 || options.Hub.MaxRooms < 0 || options.Hub.MaxRoomsPerUser < 0)
        {
            throw new ArgumentException("--history-replay, --history-days, --history-max, --max-rooms and --max-rooms-per-user must be 0 or more");
        }

        if (options.Hub.LargeRoom < 0 || options.Hub.PresenceInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("--large-room must be 0 or more and --presence-interval at least 1 second");
        }

        if (options.Hub.LoginTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("--login-timeout must be at least 1 second");
        }
    }
}
