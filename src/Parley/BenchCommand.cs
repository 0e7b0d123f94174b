using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Parley.Bench;

namespace Parley.Cli;

/// <summary>
/// `parley bench connections|fanout|latency`: a load generator for any Parley server, like
/// redis-benchmark or nats bench. Progress goes to stderr; the summary table (or, with --json,
/// one JSON object) to stdout. Exit codes: 0 the run completed (losses are results), 1 a
/// connections run where not every connection registered, 2 bad options, 3 a fan-out that could
/// not set up, 4 the watchdog ended a run that overran all its bounds.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Load-test a Parley server: connection capacity, fan-out throughput and loss, latency. Run the server with --rate-limit 0 for fan-out runs.");
        command.Subcommands.Add(Scenario(BenchScenario.Connections, "Open N connections, register each, verify with a probe broadcast, hold them; server memory per connection with --server-pid"));
        command.Subcommands.Add(Scenario(BenchScenario.Fanout, "R receivers and K senders in one room: deliveries/s, loss, duplicates, latency"));
        command.Subcommands.Add(Scenario(BenchScenario.Latency, "Fan-out at a fixed rate (default 1000 msg/s to 100 receivers): latency percentiles"));

        // The soak test also answers as `parley bench soak`, the name issue #8 gave it.
        command.Subcommands.Add(SoakCommand.Create());
        return command;
    }

    private static Command Scenario(BenchScenario scenario, string description)
    {
        var latency = scenario == BenchScenario.Latency;
        var proto = new Option<BenchProtocol>("--proto") { Description = "text (what nc sends) or json (JSON lines)", DefaultValueFactory = _ => BenchProtocol.Text };
        var host = new Option<string>("--host") { Description = "Server address", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Server chat port", DefaultValueFactory = _ => 5555 };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object instead of the table" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display on stderr" };
        var serverPid = new Option<int?>("--server-pid") { Description = "PID of a local server: its memory (VmRSS/VmHWM) and CPU are read from /proc" };
        var sourceIps = new Option<string?>("--source-ips") { Description = "Loopback source addresses, round-robin: 127.0.0.2-127.0.0.9 or a,b,c (for more than ~28,000 connections)" };
        var maxInflight = new Option<int>("--max-inflight") { Description = "Connects plus registrations in flight at once", DefaultValueFactory = _ => 256 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds bounding the connect phase and, separately, the measured phase", DefaultValueFactory = _ => 60 };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds per connection for connect plus registration", DefaultValueFactory = _ => 30 };
        var probeTimeout = new Option<double>("--probe-timeout") { Description = "Seconds for the probe broadcast to reach every client", DefaultValueFactory = _ => 15 };
        var namePrefix = new Option<string?>("--name-prefix") { Description = "Usernames are PREFIX + index (default: b + the run id)" };
        var noWelcome = new Option<bool>("--no-welcome") { Description = "Do not wait for a welcome line (servers without one); registered = name line written" };
        var command = new Command(scenario.ToString().ToLowerInvariant(), description)
        {
            proto, host, port, json, quiet, serverPid, sourceIps, maxInflight, timeout, connectTimeout, probeTimeout, namePrefix, noWelcome,
        };

        Option<int>? count = null;
        Option<double>? hold = null;
        Option<int>? receivers = null, senders = null, messages = null, size = null;
        Option<double?>? rate = null;
        Option<double>? warmup = null, drain = null;
        if (scenario == BenchScenario.Connections)
        {
            count = new Option<int>("--count", "-n") { Description = "Connections to open", DefaultValueFactory = _ => 1000 };
            hold = new Option<double>("--hold") { Description = "Seconds to hold them open after the probe", DefaultValueFactory = _ => 5 };
            command.Options.Add(count);
            command.Options.Add(hold);
        }
        else
        {
            receivers = new Option<int>("--receivers", "-r") { Description = "Clients that only receive", DefaultValueFactory = _ => latency ? 100 : 1000 };
            senders = new Option<int>("--senders", "-k") { Description = "Clients that send (and receive each other's messages)", DefaultValueFactory = _ => latency ? 1 : 10 };
            messages = new Option<int>("--messages", "-m") { Description = "Measured messages in total", DefaultValueFactory = _ => latency ? 10_000 : 5000 };
            rate = new Option<double?>("--rate") { Description = "Aggregate messages per second (default: unthrottled" + (latency ? "; latency: 1000)" : ")") };
            size = new Option<int>("--size") { Description = "Bytes of text per message", DefaultValueFactory = _ => 64 };
            warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured messages first (at --rate, or 1000/s)", DefaultValueFactory = _ => 0 };
            drain = new Option<double>("--drain") { Description = "After the last send, seconds without a new delivery that end the run as stalled", DefaultValueFactory = _ => 10 };
            foreach (var option in new Option[] { receivers, senders, messages, rate, size, warmup, drain })
            {
                command.Options.Add(option);
            }
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            BenchOptions options;
            try
            {
                options = new BenchOptions
                {
                    Scenario = scenario,
                    Protocol = parse.GetValue(proto),
                    Host = parse.GetValue(host)!,
                    Port = parse.GetValue(port),
                    ServerPid = parse.GetValue(serverPid),
                    SourceAddresses = ParseSourceAddresses(parse.GetValue(sourceIps)),
                    MaxInflight = parse.GetValue(maxInflight),
                    Timeout = Seconds(parse.GetValue(timeout), "--timeout"),
                    ConnectTimeout = Seconds(parse.GetValue(connectTimeout), "--connect-timeout"),
                    ProbeTimeout = Seconds(parse.GetValue(probeTimeout), "--probe-timeout"),
                    NamePrefix = parse.GetValue(namePrefix),
                    NoWelcome = parse.GetValue(noWelcome),
                };
                if (count is not null && hold is not null)
                {
                    options.Count = parse.GetValue(count);
                    options.Hold = Seconds(parse.GetValue(hold), "--hold");
                }
                else
                {
                    options.Receivers = parse.GetValue(receivers!);
                    options.Senders = parse.GetValue(senders!);
                    options.Messages = parse.GetValue(messages!);
                    options.Rate = parse.GetValue(rate!) ?? (latency ? 1000 : null);
                    options.Size = parse.GetValue(size!);
                    options.Warmup = Seconds(parse.GetValue(warmup!), "--warmup");
                    options.Drain = Seconds(parse.GetValue(drain!), "--drain");
                }

                options.Validate();
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"parley bench: {ex.Message}");
                return 2;
            }

            return await RunAsync(options, parse.GetValue(json), parse.GetValue(quiet), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(BenchOptions options, bool json, bool quiet, CancellationToken cancellationToken)
    {
        // Run socket continuations on the epoll thread, as an epoll load generator would: no thread-pool
        // hop per receive, so the client costs less and its latency stamps are closer to the read().
        // Read once when the first socket starts, so it must be set before that; an explicit setting wins.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true; // end the phase in progress and still report
            interrupted.Cancel();
        });
        using var watchdog = new Timer(_ =>
        {
            Console.Error.WriteLine("parley bench: watchdog: the run overran all its time bounds");
            Environment.Exit(4);
        }, null, WatchdogBound(options), Timeout.InfiniteTimeSpan);

        var display = quiet ? null : new BenchProgressDisplay(Console.Error);
        var result = await BenchRunner.RunAsync(options, display is null ? null : display.Show, interrupted.Token);
        display?.Finish();
        await Console.Out.WriteAsync(json ? BenchReport.ToJson(result) + Environment.NewLine : BenchReport.ToTable(result));
        return result.Outcome switch
        {
            BenchOutcome.Completed => 0,
            BenchOutcome.Incomplete => 1,
            _ => 3,
        };
    }

    private static TimeSpan WatchdogBound(BenchOptions options) =>
        options.Timeout + options.ProbeTimeout + options.Warmup + TimeSpan.FromSeconds(10) + options.Timeout + options.Drain + options.Hold + TimeSpan.FromSeconds(60);

    private static TimeSpan Seconds(double value, string name) =>
        double.IsFinite(value) && value >= 0 && value < 1e6 ? TimeSpan.FromSeconds(value) : throw new ArgumentException($"{name} must be a number of seconds");

    private static IReadOnlyList<IPAddress> ParseSourceAddresses(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Parse)];
        }

        var first = Parse(text[..dash]).GetAddressBytes();
        var last = Parse(text[(dash + 1)..]).GetAddressBytes();
        if (first[0] != last[0] || first[1] != last[1] || first[2] != last[2] || first[3] > last[3])
        {
            throw new ArgumentException("--source-ips range must stay within one /24 and go upwards, e.g. 127.0.0.2-127.0.0.9");
        }

        var addresses = new List<IPAddress>();
        for (int b = first[3]; b <= last[3]; b++)
        {
            addresses.Add(new IPAddress([first[0], first[1], first[2], (byte)b]));
        }

        return addresses;

        static IPAddress Parse(string s) => IPAddress.TryParse(s.Trim(), out var a) ? a : throw new ArgumentException($"--source-ips: '{s}' is not an IPv4 address");
    }
}
