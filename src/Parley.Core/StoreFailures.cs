using System.Data.Common;
using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// A command whose write the store refuses (full disk, I/O error: a <see cref="DbException"/> from any
/// ADO.NET store, or an <see cref="IOException"/>) is answered with store_failed instead of letting the
/// exception end the connection: on a full disk `/register` used to disconnect the user. Messages do
/// not come through here; the group-commit writer answers those.
/// </summary>
internal static class StoreFailures
{
    public static Action<CommandContext> Guard(Action<CommandContext> handler) => ctx =>
    {
        try
        {
            handler(ctx);
        }
        catch (Exception ex) when (ex is DbException or IOException)
        {
            ctx.Hub.SendError(ctx.Session, ErrorCodes.StoreFailed, $"The server could not save that ({Reason(ex)}): it may not have taken effect, or may not survive a restart; try again later");
        }
    };

    /// <summary>The exception's message as one short clause (SQLite's end in a full stop).</summary>
    public static string Reason(Exception ex) => ex.Message.TrimEnd('.', ' ');
}
