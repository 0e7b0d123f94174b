using System.CommandLine;
using System.Text;
using Parley.Cli.Chat;
using Parley.Protocol;

namespace Parley.Cli;

/// <summary>`parley chat [HOST] [PORT]`: the console client (see docs/client.md).</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Server address or name", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Argument<int>("PORT") { Description = "Server chat port", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => 5555 };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                result.AddError("PORT must be between 1 and 65535");
            }
        });
        var user = new Option<string?>("--user", "-u") { Description = "Your name (1-32 letters, digits, '_', '-', '.'); asked for when missing" };
        user.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && UsernameRules.Validate(name) is { } problem)
            {
                result.AddError($"--user: {problem}");
            }
        });
        var noColor = new Option<bool>("--no-color") { Description = "No colours (also when NO_COLOR is set or output is not a terminal)" };
        var reconnect = new Option<bool>("--reconnect") { Description = "When the connection is lost, retry with backoff and rejoin under the same name" };

        var downloads = new Option<string>("--download-dir") { Description = "Where accepted files are saved (never overwriting: 'report (1).pdf')", DefaultValueFactory = _ => "received_files" };
        var autoAccept = new Option<bool>("--auto-accept") { Description = "Save every file shared with you without waiting for /accept ID" };
        var tls = new Option<bool>("--tls") { Description = "Connect over TLS (the server's --tls-port; PORT defaults to 5556)" };
        var insecure = new Option<bool>("--insecure") { Description = "With --tls: accept a certificate that does not validate (self-signed); compare the fingerprint shown with the server's log" };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "With --tls: accept a certificate that does not validate only if its SHA-256 fingerprint is this one" };

        var command = new Command("chat", "Chat from the terminal. Type /help once connected. Reads lines from standard input when it is a pipe or a file, and exits once the server has confirmed the last one.")
        {
            host, port, user, noColor, reconnect, downloads, autoAccept, tls, insecure, fingerprint,
        };

        command.SetAction(async (parse, _) =>
        {
            var inputIsTerminal = !Console.IsInputRedirected;
            var outputIsTerminal = !Console.IsOutputRedirected;
            var useTls = parse.GetValue(tls) || parse.GetValue(insecure) || parse.GetValue(fingerprint) is not null;
            var options = new ChatOptions(parse.GetValue(host)!, useTls && parse.GetResult(port) is null or { Implicit: true } ? 5556 : parse.GetValue(port))
            {
                Tls = useTls,
                Insecure = parse.GetValue(insecure),
                Fingerprint = parse.GetValue(fingerprint),
                User = parse.GetValue(user),
                Reconnect = parse.GetValue(reconnect),
                Interactive = inputIsTerminal && outputIsTerminal,
                InputIsTerminal = inputIsTerminal,
                DownloadDirectory = parse.GetValue(downloads)!,
                AutoAccept = parse.GetValue(autoAccept),
            };
            var palette = new Palette(Palette.ShouldColor(parse.GetValue(noColor), outputIsTerminal, Environment.GetEnvironmentVariable));
            var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            var screen = new Screen(output, palette, options.Interactive, TerminalWidth);
            return await new ChatApp(options, screen, Console.Error, TimeProvider.System).RunAsync();
        });
        return command;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0; // unknown: the screen assumes 80
        }
    }
}
