using System.CommandLine;
using Parley.Cli.Soak;

namespace Parley.Cli;

/// <summary>
/// `parley soak`: a long-running reliability run (connect/disconnect churn plus steady chat) against a
/// server started in this process, reporting its memory, handles and threads over time. Kept apart
/// from `parley bench` (throughput scenarios) on purpose: a soak asks "does anything leak?", not "how fast?".
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes", "-m") { Description = "How long to run", DefaultValueFactory = _ => 5 };
        var steady = new Option<int>("--clients") { Description = "Clients that stay connected and chat the whole time", DefaultValueFactory = _ => 50 };
        var churn = new Option<int>("--churn") { Description = "Clients per second that connect, join, say one line and leave (half politely, half by dropping the socket)", DefaultValueFactory = _ => 20 };
        var rate = new Option<double>("--rate") { Description = "Messages per second from each steady client", DefaultValueFactory = _ => 1 };
        var report = new Option<int>("--report") { Description = "Seconds between samples", DefaultValueFactory = _ => 30 };
        var data = new Option<string?>("--data") { Description = "Data directory for the server (default: a temporary one, deleted afterwards)" };
        var command = new Command("soak", "Soak test: churn plus steady chat against an in-process server; samples memory, handles and threads so leaks show")
        {
            minutes, steady, churn, rate, report, data,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new SoakSettings(
                TimeSpan.FromMinutes(parse.GetValue(minutes)),
                Math.Max(1, parse.GetValue(steady)),
                Math.Max(0, parse.GetValue(churn)),
                Math.Max(0.1, parse.GetValue(rate)),
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(report))),
                parse.GetValue(data));
            return await new SoakRun(settings, Console.Out).RunAsync(cancellationToken);
        });
        return command;
    }
}
