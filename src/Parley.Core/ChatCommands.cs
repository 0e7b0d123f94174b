using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>The chat commands: the table rows and their handlers.</summary>
internal static class ChatCommands
{
    public static CommandTable CreateTable()
    {
        var table = new CommandTable();
        table.Add(new CommandDefinition("say", "TEXT", "send TEXT to everyone", 1, 1, Say) { Hidden = true, Stored = true });
        table.Add(new CommandDefinition("msg", "/msg NAME TEXT", "send a private message (also /private)", 2, 2, Private) { Aliases = ["private", "pm", "w"], Stored = true });
        table.Add(new CommandDefinition("color", "/color COLOUR TEXT", $"send TEXT in a colour: {string.Join(", ", ChatColors.All)}", 2, 2, Color) { Aliases = ["colour"], Stored = true });
        table.Add(new CommandDefinition("who", "/who [PAGE]", "list who is online (also /users); large rooms list a page at a time", 0, 1, Who) { Aliases = ["users"] });
        table.Add(new CommandDefinition("ping", "/ping", "check the connection (answers PONG)", 0, 0, Ping));
        table.Add(new CommandDefinition("help", "/help", "show this list", 0, 0, Help) { RequiresJoin = false });
        FileCommands.Register(table);
        table.Add(new CommandDefinition("quit", "/quit", "leave the chat (also /exit, /q, /leave)", 0, 0, Quit) { Aliases = ["exit", "q", "leave"], Unmetered = true, RequiresJoin = false });
        RoomCommands.AddTo(table);
        AccountCommands.AddTo(table);
        return table;
    }

    private static void Say(CommandContext ctx)
    {
        if (RoomCommands.TargetRoom(ctx) is { } room && Clean(ctx, ctx.Arg(0)) is { } content)
        {
            ctx.Hub.Broadcast(ctx.Session, room, content, ctx.Color);
        }
    }

    private static void Color(CommandContext ctx)
    {
        if (ChatColors.Normalize(ctx.Arg(0)) is not { } color)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.InvalidColor, $"Unknown colour '{TextSanitizer.Clean(ctx.Arg(0))}'; use one of {string.Join(", ", ChatColors.All)}");
            return;
        }

        if (RoomCommands.TargetRoom(ctx) is { } room && Clean(ctx, ctx.Arg(1)) is { } content)
        {
            ctx.Hub.Broadcast(ctx.Session, room, content, color);
        }
    }

    private static void Private(CommandContext ctx)
    {
        var hub = ctx.Hub;
        var name = ctx.Arg(0);
        var content = ctx.Arg(1);
        var color = ctx.Color;

        // "/private NAME /color COLOUR TEXT" combines the two.
        if (TextCommand.TryParse(content, out var inner) && inner.Name is "color" or "colour")
        {
            var parts = TextCommand.SplitArguments(inner.Rest, 2);
            if (parts.Length < 2)
            {
                hub.SendError(ctx.Session, ErrorCodes.Usage, "Usage: /msg NAME /color COLOUR TEXT");
                return;
            }

            color = ChatColors.Normalize(parts[0]);
            if (color is null)
            {
                hub.SendError(ctx.Session, ErrorCodes.InvalidColor, $"Unknown colour '{TextSanitizer.Clean(parts[0])}'; use one of {string.Join(", ", ChatColors.All)}");
                return;
            }

            content = parts[1];
        }

        if (hub.Find(name) is not { } target)
        {
            // A registered user gets it at their next login; anyone else must be online.
            if (hub.Store.FindAccount(name) is { } account)
            {
                if (Clean(ctx, content) is { } later)
                {
                    hub.SendOffline(ctx.Session, account.Name, later, color);
                }

                return;
            }

            hub.SendError(ctx.Session, ErrorCodes.UnknownUser, $"User '{TextSanitizer.Clean(name)}' is not online");
            return;
        }

        if (Clean(ctx, content) is { } clean)
        {
            hub.SendPrivate(ctx.Session, target, clean, color);
        }
    }

    // Words after /who that are not a page number are ignored, as they always were.
    private static void Who(CommandContext ctx) =>
        ctx.Hub.Who(ctx.Session, ParsePage(ctx.OptionalArg(0)) ?? Math.Max(ctx.Request?.Page ?? 1, 1));

    private static int? ParsePage(string? arg) =>
        int.TryParse(arg, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : null;

    // A page number from a command argument or the JSON request's "page"; 1 when neither says; null (answered) when malformed.
    internal static int? Page(CommandContext ctx, string? arg, string usage)
    {
        if (arg is null)
        {
            return ctx.Request?.Page is { } requested ? Math.Max(requested, 1) : 1;
        }

        if (ParsePage(arg) is { } page)
        {
            return page;
        }

        ctx.Hub.SendError(ctx.Session, ErrorCodes.Usage, $"Usage: {usage} (PAGE is a number from 1)");
        return null;
    }

    private static void Ping(CommandContext ctx) => ctx.Session.Send(ctx.Hub.Frame(PongEvent.Instance));

    private static void Help(CommandContext ctx)
    {
        var entries = ctx.Hub.Commands.Visible.Select(c => new HelpEntry(c.Usage, c.Description)).ToArray();
        ctx.Session.Send(ctx.Hub.Frame(new HelpEvent(entries)));
    }

    private static void Quit(CommandContext ctx) => ctx.Hub.Quit(ctx.Session);

    // Message text as others will see it; null (with an error to the sender) when nothing visible is left.
    internal static string? Clean(CommandContext ctx, string content)
    {
        var clean = TextSanitizer.Clean(content);
        if (TextSanitizer.IsBlank(clean))
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.EmptyMessage, "Message is empty");
            return null;
        }

        return clean;
    }
}
