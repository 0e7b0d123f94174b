using Parley.Protocol;

namespace Parley.Core;

/// <summary>The file-sharing rows of the command table (see <see cref="FileTransfers"/>).</summary>
internal static class FileCommands
{
    public static void Register(CommandTable table)
    {
        // JSON only (the bytes need an HTTP client), so hidden from text mode's /help.
        table.Add(new CommandDefinition("file_offer", "file_offer", "offer a file: name, size, sha256 (may be empty), target (may be empty); JSON room optional", 4, 4, Offer) { Hidden = true });
    }

    private static void Offer(CommandContext ctx)
    {
        if (ctx.Hub.Files is not { } files)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.FilesDisabled, "File sharing is off on this server (it needs the web port)");
            return;
        }

        files.Offer(ctx.Session, ctx.Arg(0), ctx.Arg(1), ctx.Arg(2), ctx.Arg(3), ctx.Request?.Room);
    }
}
