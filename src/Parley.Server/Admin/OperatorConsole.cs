using System.Globalization;
using System.Text;
using Parley.Protocol;

namespace Parley.Server.Admin;

/// <summary>
/// Commands typed on the server's own terminal: the admin page's actions without a browser. Reads
/// until its input ends (Ctrl+D or a closed stdin); the server keeps running either way.
/// </summary>
internal sealed class OperatorConsole(AdminService admin)
{
    private static readonly string[] HelpLines =
    [
        "Operator commands:",
        "  /list                  connected clients (also /who)",
        "  /pending               join requests waiting for approval",
        "  /status                uptime, connections, messages per second",
        "  /say TEXT              announce TEXT to everyone (also /announce)",
        "  /kick NAME [REASON]    disconnect a user, telling them why",
        "  /approve NAME          let a waiting join request in",
        "  /reject NAME [REASON]  turn a waiting join request away",
        "  /help                  this list",
    ];

    /// <summary>Runs one command line and returns what to print (one or more lines, no trailing newline).</summary>
    public string Execute(string line)
    {
        line = line.Trim();
        if (line.Length == 0)
        {
            return string.Empty;
        }

        if (!TextCommand.TryParse(line, out var command))
        {
            return "Operator commands start with '/'. Type /help for the list (use /say TEXT to announce).";
        }

        switch (command.Name.ToLowerInvariant())
        {
            case "help" or "?":
                return string.Join('\n', HelpLines);
            case "list" or "who" or "clients":
                return List();
            case "pending":
                return Pending();
            case "status":
                return Status();
            case "say" or "announce":
                return admin.Announce(command.Rest).Message;
            case "kick":
                {
                    var args = TextCommand.SplitArguments(command.Rest, 2);
                    return args.Length == 0 ? "Usage: /kick NAME [REASON]" : admin.Kick(args[0], args.Length > 1 ? args[1] : null).Message;
                }

            case "approve" or "accept":
                {
                    var args = TextCommand.SplitArguments(command.Rest, 1);
                    return args.Length == 0 ? "Usage: /approve NAME" : admin.Approve(args[0]).Message;
                }

            case "reject" or "deny":
                {
                    var args = TextCommand.SplitArguments(command.Rest, 2);
                    return args.Length == 0 ? "Usage: /reject NAME [REASON]" : admin.Reject(args[0], args.Length > 1 ? args[1] : null).Message;
                }

            default:
                return $"Unknown operator command '/{TextSanitizer.Clean(command.Name)}'. Type /help for the list.";
        }
    }

    /// <summary>Reads command lines until the input ends. Blocking: run it on its own thread.</summary>
    public void Run(TextReader input, TextWriter output)
    {
        output.WriteLine("Operator console ready: type /help for commands.");
        while (input.ReadLine() is { } line)
        {
            string answer;
            try
            {
                answer = Execute(line);
            }
            catch (Exception ex)
            {
                answer = "Command failed: " + ex.Message;
            }

            if (answer.Length > 0)
            {
                output.WriteLine(answer);
            }
        }
    }

    private string List()
    {
        var clients = admin.Clients();
        if (clients.Count == 0)
        {
            return "No clients connected.";
        }

        var sb = new StringBuilder().Append("Clients (").Append(clients.Count).Append("):");
        foreach (var c in clients)
        {
            sb.Append('\n').AppendFormat(
                CultureInfo.InvariantCulture,
                "  #{0,-5} {1,-20} {2,-8} {3,-22} {4,-10} since {5:HH:mm:ss}  {6} sent",
                c.Id,
                c.Username ?? "(no name)",
                c.Transport + "/" + c.Protocol,
                c.Address,
                c.State,
                TimeZoneInfo.ConvertTime(c.ConnectedAt, admin.Hub.Time.LocalTimeZone),
                c.MessagesSent);
        }

        return sb.ToString();
    }

    private string Pending()
    {
        var pending = admin.Pending();
        if (!admin.Hub.Options.ApproveJoins)
        {
            return "Join approval is off (start the server with --approve-joins to turn it on).";
        }

        if (pending.Count == 0)
        {
            return "No join requests are waiting.";
        }

        return "Waiting for approval: " + string.Join(", ", pending.Select(p => $"{p.Username} ({p.Address})")) + "\nUse /approve NAME or /reject NAME [REASON].";
    }

    private string Status()
    {
        var s = admin.Status();
        var uptime = TimeSpan.FromSeconds(s.UptimeSeconds);
        return string.Format(
            CultureInfo.InvariantCulture,
            "Up {0}d {1:hh\\:mm\\:ss}; {2} connections, {3} users, {4} waiting; {5} messages ({6:0.##}/s); join approval {7}",
            (int)uptime.TotalDays,
            uptime,
            s.Connections,
            s.Users,
            s.Pending,
            s.MessagesTotal,
            s.MessagesPerSecond,
            s.ApproveJoins ? "on" : "off");
    }
}
