namespace Parley.Core;

/// <summary>The hub's policies. Defaults match docs/protocol.md and the README's options table.</summary>
public sealed class HubOptions
{
    public int MaxClients { get; set; } = 10_000;

    /// <summary>Messages per second per user (burst twice that); 0 turns flood control off.</summary>
    public double RateLimit { get; set; } = 5;

    public string? Motd { get; set; }

    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A session whose unsent frames exceed either bound is disconnected ("send queue exceeded").</summary>
    public int SendQueueFrames { get; set; } = 16_384;

    public long SendQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>Above this many unsent bytes a session is congested and input from everyone pauses (see FlowControl).</summary>
    public long SendQueueHighWater { get; set; } = 256 * 1024;

    /// <summary>How long a congested session may go without draining before it stops holding others back.</summary>
    public TimeSpan StallGrace { get; set; } = TimeSpan.FromMilliseconds(500);

    public int MaxLineBytes { get; set; } = 8 * 1024;

    /// <summary>Whether private messages are written to chat.log.</summary>
    public bool LogPrivate { get; set; }

    /// <summary>Whether each join waits for an operator's <see cref="Hub.Approve"/> or <see cref="Hub.Reject"/>.</summary>
    public bool ApproveJoins { get; set; }

    /// <summary>Per-address connection limits and flood penalties (see docs/security.md).</summary>
    public AbuseOptions Abuse { get; set; } = new();

    /// <summary>
    /// Accepted messages that may wait for the store's writer before input pauses (see FlowControl). Small,
    /// so a batch delivered at once stays within the readers' send-queue bounds.
    /// </summary>
    public int StoreBacklog { get; set; } = 256;

    /// <summary>
    /// History and search queries that may run at once, each on a thread of its own (never the store's writer);
    /// more wait their turn, and each user runs one at a time. Half the cores, at least 2, so a burst of searches
    /// leaves the rest of the machine to chat. Unused with an in-memory store, which answers at once.
    /// </summary>
    public int QueryThreads { get; set; } = Math.Max(2, Environment.ProcessorCount / 2);

    /// <summary>Rooms there may be at most (admins may create more); each holds its last <see cref="HistoryReplay"/> messages in memory. 0: no limit.</summary>
    public int MaxRooms { get; set; } = 1000;

    /// <summary>Rooms one (non-admin) user may create. 0: no limit.</summary>
    public int MaxRoomsPerUser { get; set; } = 10;

    /// <summary>How many messages of a room are replayed on joining it.</summary>
    public int HistoryReplay { get; set; } = 50;

    /// <summary>Messages older than this many days are deleted by the periodic cleanup; 0 keeps them.</summary>
    public int HistoryDays { get; set; }

    /// <summary>The cleanup keeps at most this many messages (newest); 0 means no limit.</summary>
    public int HistoryMax { get; set; }

    /// <summary>How often the retention cleanup runs (it also runs once at start-up).</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// From this many members on, a room is large: joins and leaves are summarised every <see cref="PresenceInterval"/>
    /// instead of told one by one, and member lists (welcome, /who, /names) come in pages of this many names. 0: never.
    /// </summary>
    public int LargeRoom { get; set; } = 500;

    /// <summary>How often a large room hears the summary of its joins and leaves.</summary>
    public TimeSpan PresenceInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether unregistered names are refused (accounts come from `parley admin create`).</summary>
    public bool RequireAccounts { get; set; }
}
