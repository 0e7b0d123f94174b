using Parley.Protocol;

namespace Parley.Core;

/// <summary>The room, history and search commands: table rows and handlers.</summary>
internal static class RoomCommands
{
    public static void AddTo(CommandTable table)
    {
        table.Add(new CommandDefinition("join", "/join #ROOM [private]", "join or create a room and talk there (private: invitation only)", 1, 2, Join));
        table.Add(new CommandDefinition("part", "/part [#ROOM]", "leave a room (the current one by default)", 0, 1, Part));
        table.Add(new CommandDefinition("rooms", "/rooms", "list rooms with members and topic", 0, 0, ctx => ctx.Hub.ListRooms(ctx.Session)));
        table.Add(new CommandDefinition("names", "/names [#ROOM] [PAGE]", "list a room's members (a page at a time in a large room)", 0, 2, Names));
        table.Add(new CommandDefinition("topic", "/topic [TEXT]", "show or (operator) set the current room's topic", 0, 1, Topic));
        table.Add(new CommandDefinition("invite", "/invite NAME", "(operator) let NAME into the current private room", 1, 1, ctx => ctx.Hub.Invite(ctx.Session, ctx.Arg(0))));
        table.Add(new CommandDefinition("kick", "/kick NAME [REASON]", "(operator) remove NAME from the current room; (admin) from the server", 1, 2, Kick));
        table.Add(new CommandDefinition("history", "/history [N]", "show the current room's last N messages", 0, 1, History) { Reads = true });
        table.Add(new CommandDefinition("search", "/search WORDS", "find messages with all the WORDS in rooms you can see", 1, 1, Search) { Reads = true });
    }

    /// <summary>The room a message goes to: the JSON request's <c>room</c> if given (the sender must be in it), else the current room.</summary>
    public static Room? TargetRoom(CommandContext ctx)
    {
        if (ctx.Request?.Room is not { } name)
        {
            return ctx.Hub.CurrentRoom(ctx.Session);
        }

        if (ctx.Hub.FindRoom(name) is { } room && ctx.Hub.IsMember(room, ctx.Session))
        {
            return room;
        }

        ctx.Hub.SendError(ctx.Session, ErrorCodes.NotInRoom, $"You are not in {TextSanitizer.Clean(name)}; /join it first");
        return null;
    }

    private static void Join(CommandContext ctx)
    {
        var flag = ctx.OptionalArg(1);
        if (flag is not null && !string.Equals(flag, "private", StringComparison.OrdinalIgnoreCase))
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.Usage, "Usage: /join #ROOM [private]");
            return;
        }

        if (ctx.Hub.FindRoom(ctx.Arg(0)) is null && RoomLimitReached(ctx) is { } refusal)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.TooManyRooms, refusal);
            return;
        }

        ctx.Hub.JoinRoom(ctx.Session, ctx.Arg(0), flag is not null);
    }

    private static void Names(CommandContext ctx)
    {
        // "/names 2" pages the current room; "/names #room 2" another one.
        var room = ctx.OptionalArg(0);
        var pageArg = ctx.OptionalArg(1);
        if (room is not null && !room.StartsWith('#') && pageArg is null)
        {
            (room, pageArg) = (null, room);
        }

        if (ChatCommands.Page(ctx, pageArg, "/names [#ROOM] [PAGE]") is { } page)
        {
            ctx.Hub.Names(ctx.Session, room ?? ctx.Request?.Room, page);
        }
    }

    // Rooms live for good and each keeps its last --history-replay messages in memory, so without a cap one
    // client could make the server hold more and more by creating rooms at the flood-control rate. Checked
    // outside the hub's lock: concurrent creations can pass the cap by at most one each, which keeps it a bound.
    private static string? RoomLimitReached(CommandContext ctx)
    {
        var options = ctx.Hub.Options;
        if (ctx.Session.IsAdmin || (options.MaxRooms <= 0 && options.MaxRoomsPerUser <= 0))
        {
            return null;
        }

        var (total, owned) = ctx.Hub.CountRooms(ctx.Session.Username!);
        if (options.MaxRooms > 0 && total >= options.MaxRooms)
        {
            return $"The server has as many rooms as it allows ({options.MaxRooms}); join an existing one (/rooms)";
        }

        if (options.MaxRoomsPerUser > 0)
        {
            if (owned >= options.MaxRoomsPerUser)
            {
                return $"You already created {owned} rooms, the most one user may ({options.MaxRoomsPerUser})";
            }
        }

        return null;
    }

    private static void Part(CommandContext ctx) => ctx.Hub.PartRoom(ctx.Session, ctx.OptionalArg(0) ?? ctx.Request?.Room);

    private static void Topic(CommandContext ctx)
    {
        if (ctx.OptionalArg(0) is not { } text)
        {
            ctx.Hub.SetTopic(ctx.Session, null);
            return;
        }

        ctx.Hub.SetTopic(ctx.Session, TextSanitizer.Clean(text).Trim());
    }

    private static void Kick(CommandContext ctx)
    {
        var reason = TextSanitizer.Clean(ctx.OptionalArg(1) ?? string.Empty);
        if (ctx.Hub.TryKickFromRoom(ctx.Session, ctx.Arg(0), reason))
        {
            return;
        }

        if (!ctx.Session.IsAdmin)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.NotPermitted, "Only a room's operator can kick from it (and only admins from the server)");
            return;
        }

        if (!ctx.Hub.Kick(ctx.Arg(0), string.IsNullOrWhiteSpace(reason) ? $"by {ctx.Session.Username}" : $"{reason} (by {ctx.Session.Username})"))
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.UnknownUser, $"User '{TextSanitizer.Clean(ctx.Arg(0))}' is not online");
        }
    }

    private static void History(CommandContext ctx)
    {
        int? limit = ctx.Request?.Limit;
        if (ctx.OptionalArg(0) is { } text)
        {
            if (!int.TryParse(text, out var n) || n < 1)
            {
                ctx.Hub.SendError(ctx.Session, ErrorCodes.Usage, "Usage: /history [N] (N a number, 1 or more)");
                return;
            }

            limit = n;
        }

        ctx.Hub.SendHistory(ctx.Session, ctx.Request?.Room, ctx.Request?.Before, limit);
    }

    private static void Search(CommandContext ctx) => ctx.Hub.Search(ctx.Session, ctx.Arg(0), ctx.Request?.Limit);
}
