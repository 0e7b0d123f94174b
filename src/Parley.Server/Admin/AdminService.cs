using Parley.Core;
using Parley.Protocol;

namespace Parley.Server.Admin;

/// <summary>
/// The operator's actions and views, shared by the HTTP API (and so the admin page) and the server's
/// console, so both check input the same way and say the same things.
/// </summary>
internal sealed class AdminService(Hub hub, MessageRateMeter rate)
{
    /// <summary>Announcements are shown on one line to text users; longer ones are refused rather than cut.</summary>
    public const int MaxAnnouncementLength = 1000;

    public const string DefaultKickReason = "removed by an operator";

    public Hub Hub => hub;

    public AdminStatus Status()
    {
        var now = hub.Time.GetUtcNow();
        return new AdminStatus(
            hub.StartedAt,
            (long)(now - hub.StartedAt).TotalSeconds,
            hub.ConnectionCount,
            hub.UserCount,
            hub.PendingJoins.Count,
            hub.MessagesTotal,
            rate.MessagesPerSecond,
            hub.Options.ApproveJoins);
    }

    public IReadOnlyList<ClientView> Clients() => [.. hub.Sessions.Select(ToView)];

    public IReadOnlyList<ClientView> Pending() => [.. hub.PendingJoins.Select(ToView)];

    public AdminResult Announce(string? message)
    {
        var clean = message is null ? string.Empty : TextSanitizer.Clean(message).Trim();
        if (clean.Length == 0)
        {
            return AdminResult.Invalid("The announcement is empty");
        }

        if (clean.Length > MaxAnnouncementLength)
        {
            return AdminResult.Invalid($"The announcement is longer than {MaxAnnouncementLength} characters");
        }

        hub.Announce(clean);
        return AdminResult.Done($"Announced to {hub.UserCount} users: {clean}");
    }

    public AdminResult Kick(string? username, string? reason)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            return AdminResult.Invalid("Say whom to kick (username)");
        }

        var why = string.IsNullOrWhiteSpace(reason) ? DefaultKickReason : reason.Trim();
        return hub.Kick(username.Trim(), why)
            ? AdminResult.Done($"Kicked {username.Trim()}: {TextSanitizer.Clean(why)}")
            : AdminResult.NotFound($"No user '{TextSanitizer.Clean(username.Trim())}' is online");
    }

    public AdminResult Approve(string? username)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            return AdminResult.Invalid("Say whose join request to approve (username)");
        }

        return hub.Approve(username.Trim())
            ? AdminResult.Done($"Approved {username.Trim()}")
            : AdminResult.NotFound($"No join request from '{TextSanitizer.Clean(username.Trim())}' is waiting");
    }

    public AdminResult Reject(string? username, string? reason)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            return AdminResult.Invalid("Say whose join request to reject (username)");
        }

        return hub.Reject(username.Trim(), reason?.Trim() ?? string.Empty)
            ? AdminResult.Done($"Rejected {username.Trim()}")
            : AdminResult.NotFound($"No join request from '{TextSanitizer.Clean(username.Trim())}' is waiting");
    }

    private static ClientView ToView(SessionInfo info) => new(
        info.Id,
        info.Username,
        info.RemoteAddress,
        info.Transport,
        info.Protocol == ProtocolKind.Json ? "json" : "text",
        info.State.ToString().ToLowerInvariant(),
        info.ConnectedAt,
        info.MessagesSent);
}
