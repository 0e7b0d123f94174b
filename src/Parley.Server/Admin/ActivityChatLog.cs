using Parley.Core;

namespace Parley.Server.Admin;

/// <summary>chat.log as before, with every line also shown in the admin page's activity log.</summary>
internal sealed class ActivityChatLog(IChatLog inner, ActivityLog activity) : IChatLog
{
    public void Write(DateTimeOffset time, string line)
    {
        inner.Write(time, line);
        activity.Add("chat", line);
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
}
