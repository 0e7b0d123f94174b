using System.Text;
using Parley.Protocol.Events;

namespace Parley.Protocol;

/// <summary>
/// Member lists as one line of text, the same in text mode and in the console client. A large room's list
/// is a page: the line says which, how many there are in all, and how to see more. The Append forms write into
/// the caller's builder, so the server can encode a 500-name welcome without building the line as a string first.
/// </summary>
public static class UserListText
{
    /// <summary>"Users online (N): a, b" — the welcome's list, with "and K more" when it is the first page.</summary>
    public static string Online(IReadOnlyList<string> users, int? total) => AppendOnline(new StringBuilder(), users, total).ToString();

    /// <inheritdoc cref="Online"/>
    public static StringBuilder AppendOnline(StringBuilder sb, IReadOnlyList<string> users, int? total)
    {
        sb.Append("Users online (").Append(total ?? users.Count).Append("): ").AppendJoin(", ", users);
        return AppendMore(sb, users.Count, total, "/who 2");
    }

    /// <summary>"Users in #room: a, b", with "and K more" when it is the first page.</summary>
    public static string InRoom(string room, IReadOnlyList<string> users, int? total) => AppendInRoom(new StringBuilder(), room, users, total).ToString();

    /// <inheritdoc cref="InRoom"/>
    public static StringBuilder AppendInRoom(StringBuilder sb, string room, IReadOnlyList<string> users, int? total)
    {
        sb.Append("Users in ").Append(room).Append(": ").AppendJoin(", ", users);
        return AppendMore(sb, users.Count, total, $"/names {room} 2");
    }

    /// <summary>The answer to /who or /names: the whole list, or a page of it.</summary>
    public static string Answer(UsersEvent e) => AppendAnswer(new StringBuilder(), e).ToString();

    /// <inheritdoc cref="Answer"/>
    public static StringBuilder AppendAnswer(StringBuilder sb, UsersEvent e)
    {
        sb.Append("Users");
        if (e.Room is { } room)
        {
            sb.Append(" in ").Append(room);
        }

        if (e.Page is not { } page)
        {
            return sb.Append(": ").AppendJoin(", ", e.Users);
        }

        sb.Append(" (page ").Append(page).Append(" of ").Append(e.Pages ?? page);
        if (e.UserCount is { } total)
        {
            sb.Append(", ").Append(total).Append(" in all");
        }

        sb.Append("): ").AppendJoin(", ", e.Users);
        if (page < e.Pages)
        {
            sb.Append(" -- ").Append(e.Room is null ? "/who " : $"/names {e.Room} ").Append(page + 1).Append(" for more");
        }

        return sb;
    }

    private static StringBuilder AppendMore(StringBuilder sb, int shown, int? total, string next) =>
        total is { } all && all > shown ? sb.Append(", and ").Append(all - shown).Append(" more (").Append(next).Append(')') : sb;
}
