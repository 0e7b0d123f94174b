using System.Text;
using Parley.Protocol.Events;

namespace Parley.Protocol;

/// <summary>
/// Member lists as one line of text, the same in text mode and in the console client. A large room's list
/// is a page: the line says which, how many there are in all, and how to see more.
/// </summary>
public static class UserListText
{
    /// <summary>"Users online (N): a, b" — the welcome's list, with "and K more" when it is the first page.</summary>
    public static string Online(IReadOnlyList<string> users, int? total)
    {
        var sb = new StringBuilder("Users online (").Append(total ?? users.Count).Append("): ").AppendJoin(", ", users);
        AppendMore(sb, users.Count, total, "/who 2");
        return sb.ToString();
    }

    /// <summary>"Users in #room: a, b", with "and K more" when it is the first page.</summary>
    public static string InRoom(string room, IReadOnlyList<string> users, int? total)
    {
        var sb = new StringBuilder("Users in ").Append(room).Append(": ").AppendJoin(", ", users);
        AppendMore(sb, users.Count, total, $"/names {room} 2");
        return sb.ToString();
    }

    /// <summary>The answer to /who or /names: the whole list, or a page of it.</summary>
    public static string Answer(UsersEvent e)
    {
        if (e.Page is not { } page)
        {
            return e.Room is { } room ? $"Users in {room}: {string.Join(", ", e.Users)}" : $"Users: {string.Join(", ", e.Users)}";
        }

        var sb = new StringBuilder(e.Room is null ? "Users" : "Users in " + e.Room);
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

        return sb.ToString();
    }

    private static void AppendMore(StringBuilder sb, int shown, int? total, string next)
    {
        if (total is { } all && all > shown)
        {
            sb.Append(", and ").Append(all - shown).Append(" more (").Append(next).Append(')');
        }
    }
}
