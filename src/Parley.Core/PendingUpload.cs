namespace Parley.Core;

/// <summary>
/// An upload slot handed out for a <c>file_offer</c>: what was offered, where it will be announced
/// (<see cref="Room"/> for a public share, <see cref="Target"/> for a private one, both fixed at the
/// offer) and how far its bytes have come. <see cref="Busy"/> is guarded by locking the instance.
/// </summary>
internal sealed class PendingUpload(string id, string token, string sender, string? target, string? room, string name, long size, string? expectedSha256, long now)
{
    private long _lastActivity = now;

    public string Id { get; } = id;
    public string Token { get; } = token;
    public string Sender { get; } = sender;
    public string? Target { get; } = target;
    public string? Room { get; } = room;
    public string Name { get; } = name;
    public long Size { get; } = size;
    public string? ExpectedSha256 { get; } = expectedSha256;
    public long Offset { get; set; }
    public bool Busy { get; set; }
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public void Touch(long now) => Interlocked.Exchange(ref _lastActivity, now);
}
