namespace Parley.Core.Tests;

/// <summary>A memory store whose writes fail, as on a full disk, while <see cref="Failing"/> is set; reads keep working.</summary>
internal sealed class FailingStore : DelegatingStore
{
    public bool Failing { get; set; }

    public override IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch) => Write(() => base.Append(batch));

    public override IReadOnlyList<StoredMessage> TakePending(string target) => Write(() => base.TakePending(target));

    public override int Prune(DateTimeOffset? olderThan, int? keep) => Write(() => base.Prune(olderThan, keep));

    public override void SaveRoom(RoomRecord room) => Write(() => base.SaveRoom(room));

    public override void SaveAccount(Account account) => Write(() => base.SaveAccount(account));

    public override void SaveBan(BanRecord ban) => Write(() => base.SaveBan(ban));

    public override void RemoveBan(string name) => Write(() => base.RemoveBan(name));

    private T Write<T>(Func<T> write) => Failing ? throw new IOException("No space left on device") : write();

    private void Write(Action write) => Write(() =>
    {
        write();
        return 0;
    });
}
