namespace Parley.Core;

/// <summary>When chat.log is rotated: chat.log becomes chat.log.1, the older ones shift up, the oldest beyond <see cref="Keep"/> is deleted.</summary>
public sealed class ChatLogRotation
{
    /// <summary>Rotate before a write would take the file past this many bytes; 0 never rotates by size.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Rotate when the first line of a new (local) day is written.</summary>
    public bool Daily { get; set; } = true;

    /// <summary>How many rotated files to keep (chat.log.1 … chat.log.N).</summary>
    public int Keep { get; set; } = 14;
}
