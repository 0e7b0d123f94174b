using System.Globalization;
using Parley.Protocol;

namespace Parley.Core;

/// <summary>Account and admin commands: table rows and handlers. Admin-only rows check <see cref="Session.IsAdmin"/> once, here.</summary>
internal static class AccountCommands
{
    public static void AddTo(CommandTable table)
    {
        table.Add(new CommandDefinition("register", "/register PASSWORD", "claim your name: from now on it needs PASSWORD", 1, 1, ctx => ctx.Hub.Register(ctx.Session, ctx.Arg(0))) { Immediate = true });
        table.Add(new CommandDefinition("password", "/password OLD NEW", "change your password", 2, 2, ctx => ctx.Hub.ChangePassword(ctx.Session, ctx.Arg(0), ctx.Arg(1))) { Immediate = true });
        table.Add(new CommandDefinition("ban", "/ban NAME [MINUTES]", "(admin) ban NAME, for good or for MINUTES", 1, 2, AdminOnly(Ban)));
        table.Add(new CommandDefinition("unban", "/unban NAME", "(admin) lift a ban", 1, 1, AdminOnly(Unban)));
        table.Add(new CommandDefinition("announce", "/announce TEXT", "(admin) announce TEXT to everyone", 1, 1, AdminOnly(ctx => ctx.Hub.Announce(ctx.Arg(0)))));
        table.Add(new CommandDefinition("promote", "/promote NAME", "(admin) make a registered user an admin", 1, 1, AdminOnly(ctx => ctx.Hub.Promote(ctx.Session, ctx.Arg(0)))));
    }

    private static Action<CommandContext> AdminOnly(Action<CommandContext> handler) => ctx =>
    {
        if (!ctx.Session.IsAdmin)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.NotPermitted, "Only admins can do that");
            return;
        }

        handler(ctx);
    };

    private static void Ban(CommandContext ctx)
    {
        TimeSpan? duration = null;
        if (ctx.OptionalArg(1) is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1)
            {
                ctx.Hub.SendError(ctx.Session, ErrorCodes.Usage, "Usage: /ban NAME [MINUTES] (MINUTES a number, 1 or more)");
                return;
            }

            duration = TimeSpan.FromMinutes(minutes);
        }

        var name = ctx.Arg(0);
        if (UsernameRules.Validate(name) is { } invalid)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.InvalidUsername, invalid);
            return;
        }

        ctx.Hub.Ban(name, duration, ctx.Session.Username!);
        ctx.Session.Send(ctx.Hub.Frame(new Protocol.Events.InfoEvent(duration is { } d ? $"Banned {name} for {d.TotalMinutes:0} minutes" : $"Banned {name}")));
    }

    private static void Unban(CommandContext ctx)
    {
        var done = ctx.Hub.Unban(ctx.Arg(0));
        ctx.Session.Send(ctx.Hub.Frame(new Protocol.Events.InfoEvent(done ? $"Unbanned {ctx.Arg(0)}" : $"{TextSanitizer.Clean(ctx.Arg(0))} was not banned")));
    }
}
