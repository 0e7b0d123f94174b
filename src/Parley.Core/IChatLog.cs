namespace Parley.Core;

/// <summary>The human-readable chat record (chat.log). Writes must never block the caller.</summary>
public interface IChatLog
{
    void Write(DateTimeOffset time, string line);

    /// <summary>Completes when every line written so far is on disk.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
