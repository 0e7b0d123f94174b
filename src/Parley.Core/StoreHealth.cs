using Microsoft.Extensions.Logging;

namespace Parley.Core;

/// <summary>
/// What the operator hears about a failing message store (full disk, I/O errors). A full disk fails
/// every batch, so reporting each one would bury the log: one error when failing starts (with the
/// reason), a reminder a minute, and one line with the toll when storing works again. Used by the
/// writer's loop only, so it needs no locking.
/// </summary>
internal sealed class StoreHealth(TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(1);

    private long _refusedThisSpell;
    private DateTimeOffset _failingSince;
    private DateTimeOffset _lastReport;
    private bool _failing;

    public void Failed(Exception error, int messages)
    {
        _refusedThisSpell += messages;
        var now = time.GetUtcNow();
        if (!_failing)
        {
            _failing = true;
            _failingSince = _lastReport = now;
            logger.LogError(
                error,
                "The message store cannot save messages: {Reason}. Messages are refused (senders get store_failed, nobody else sees them) until it can; chat, history and commands go on. Free space in the data directory; storing resumes by itself",
                StoreFailures.Reason(error));
            return;
        }

        if (now - _lastReport >= ReminderInterval)
        {
            _lastReport = now;
            logger.LogError("The message store still cannot save messages ({Reason}); {Count} refused since {Since:u}", StoreFailures.Reason(error), _refusedThisSpell, _failingSince);
        }
    }

    public void Succeeded()
    {
        if (!_failing)
        {
            return;
        }

        _failing = false;
        logger.LogWarning(
            "The message store is saving again after {Seconds:0} s; {Count} messages were refused meanwhile",
            (time.GetUtcNow() - _failingSince).TotalSeconds,
            _refusedThisSpell);
        _refusedThisSpell = 0;
    }
}
