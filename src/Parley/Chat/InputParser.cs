using Parley.Protocol;

namespace Parley.Cli.Chat;

/// <summary>
/// Reads a typed line: a slash command, or a message to everyone. Commands the client knows are
/// checked here so a mistake is explained at once; any other <c>/command</c> is passed through to
/// the server (which may know it, e.g. newer commands), and <c>//text</c> sends "/text" as a message.
/// </summary>
internal static class InputParser
{
    /// <summary>The commands as /help shows them: usage and what it does.</summary>
    public static IReadOnlyList<(string Usage, string Description)> Commands { get; } =
    [
        ("/msg NAME TEXT", "private message to NAME (also /private)"),
        ("/color COLOUR TEXT", $"message in a colour: {string.Join(", ", ChatColors.All)}"),
        ("/private NAME /color COLOUR TEXT", "private message in a colour"),
        ("/send [#ROOM|@NAME] PATH", "share a file in your current room, in ROOM, or privately with NAME"),
        ("/accept ID", "save a file someone shared (also /get ID)"),
        ("/who", "who is online (also /users)"),
        ("/ping", "round-trip time to the server"),
        ("/help", "this list"),
        ("/quit", "leave (also /exit, /q, /leave, Ctrl+C, Ctrl+D)"),
        ("//TEXT", "send a message that starts with '/'"),
    ];

    /// <summary>Every command name and alias, for completion.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["/msg", "/private", "/color", "/send", "/accept", "/get", "/who", "/users", "/ping", "/help", "/quit", "/exit", "/leave"];

    public static UserAction Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return new UserAction.Nothing();
        }

        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            return new UserAction.Say(line[1..], null);
        }

        if (!TextCommand.TryParse(line, out var command))
        {
            return new UserAction.Say(line, null);
        }

        return command.Name switch
        {
            "msg" or "private" or "pm" or "w" => ParsePrivate(command),
            "color" or "colour" => ParseSayInColor(command.Rest),
            "send" => ParseSend(command.Rest),
            "accept" or "get" => TextCommand.SplitArguments(command.Rest, 1) is [var id] ? new UserAction.Accept(id) : new UserAction.Mistake($"Usage: /{command.Name} ID (the number shown with the file)"),
            // "/who 2" asks the server for a page of a large room's list.
            "who" or "users" => command.Rest.Trim().Length == 0 ? new UserAction.Who() : new UserAction.PassThrough(line.Trim()),
            "ping" => new UserAction.Ping(),
            "help" or "?" => new UserAction.Help(),
            "quit" or "exit" or "q" or "leave" => new UserAction.Quit(),
            "" => new UserAction.Mistake("Type /help for the list of commands, or //TEXT to send a message starting with '/'."),
            _ => new UserAction.PassThrough(line.Trim()),
        };
    }

    private static UserAction ParsePrivate(TextCommand command)
    {
        var args = TextCommand.SplitArguments(command.Rest, 2);
        if (args.Length < 2)
        {
            return new UserAction.Mistake($"Usage: /{command.Name} NAME TEXT");
        }

        // "/private NAME /color COLOUR TEXT" combines the two.
        if (TextCommand.TryParse(args[1], out var inner) && inner.Name is "color" or "colour")
        {
            var (color, text, error) = ParseColor(inner.Rest, $"/{command.Name} NAME /color COLOUR TEXT");
            return error is null ? new UserAction.Private(args[0], text!, color) : new UserAction.Mistake(error);
        }

        return new UserAction.Private(args[0], args[1], null);
    }

    // The path is the rest of the line, spaces and all; a leading @NAME makes it private, a leading #ROOM
    // picks the room (like the server's /join #ROOM, /names #ROOM). A path that starts with # can be quoted.
    private static UserAction ParseSend(string rest)
    {
        rest = rest.Trim();
        string? target = null;
        string? room = null;
        if (rest.StartsWith('@') || rest.StartsWith('#'))
        {
            var args = TextCommand.SplitArguments(rest, 2);
            if (rest[0] == '@')
            {
                target = args[0][1..];
            }
            else
            {
                room = args[0];
            }

            rest = args.Length > 1 ? args[1] : "";
        }

        if (rest.Length == 0 || target is "" || room is "#")
        {
            return new UserAction.Mistake("Usage: /send PATH, /send #ROOM PATH or /send @NAME PATH");
        }

        if (rest.Length >= 2 && rest[0] is '"' or '\'' && rest[^1] == rest[0])
        {
            rest = rest[1..^1]; // a path pasted in quotes
        }

        return new UserAction.SendFile(target, rest, room);
    }

    private static UserAction ParseSayInColor(string rest)
    {
        var (color, text, error) = ParseColor(rest, "/color COLOUR TEXT");
        return error is null ? new UserAction.Say(text!, color) : new UserAction.Mistake(error);
    }

    private static (string? Color, string? Text, string? Error) ParseColor(string rest, string usage)
    {
        var args = TextCommand.SplitArguments(rest, 2);
        if (args.Length < 2)
        {
            return (null, null, $"Usage: {usage} (colours: {string.Join(", ", ChatColors.All)})");
        }

        if (ChatColors.Normalize(args[0]) is not { } color)
        {
            return (null, null, $"Unknown colour '{args[0]}'. Choose one of {string.Join(", ", ChatColors.All)}.");
        }

        return (color, args[1], null);
    }
}
