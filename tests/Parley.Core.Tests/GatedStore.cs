namespace Parley.Core.Tests;

/// <summary>
/// A memory store that claims to touch a disk (so the hub runs its writer and reader threads) and whose
/// commits and queries wait at gates the test opens: a query can be held "slow" for as long as a test needs.
/// Every wait is bounded, so a broken hub fails the test instead of hanging it.
/// </summary>
internal sealed class GatedStore : DelegatingStore
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly ManualResetEventSlim _appends = new(true);
    private readonly ManualResetEventSlim _queries = new(true);
    private readonly SemaphoreSlim _appendEntered = new(0);
    private readonly SemaphoreSlim _queryEntered = new(0);
    private int _queriesRunning;
    private int _maxQueriesRunning;

    /// <summary>History and search calls throw, as a store that cannot be read would.</summary>
    public bool FailQueries { get; set; }

    /// <summary>The most history and search calls that were inside the store at once.</summary>
    public int MaxQueriesRunning => Volatile.Read(ref _maxQueriesRunning);

    public override bool IsInMemory => false;

    public void HoldAppends() => _appends.Reset();

    public void ReleaseAppends() => _appends.Set();

    public void HoldQueries() => _queries.Reset();

    public void ReleaseQueries() => _queries.Set();

    /// <summary>Waits until a commit is held at the gate (counted only while appends are held).</summary>
    public Task AppendEnteredAsync() => Entered(_appendEntered, "a commit");

    /// <summary>Waits until a history or search call is held at the gate (counted only while queries are held).</summary>
    public Task QueryEnteredAsync() => Entered(_queryEntered, "a query");

    public override IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch)
    {
        Hold(_appends, _appendEntered, "appends");
        return Inner.Append(batch);
    }

    public override IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit) => Query(() => Inner.History(room, beforeId, limit));

    public override IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit) => Query(() => Inner.Search(words, rooms, limit));

    private static void Hold(ManualResetEventSlim gate, SemaphoreSlim entered, string what)
    {
        if (gate.IsSet)
        {
            return;
        }

        entered.Release();
        if (!gate.Wait(Bound))
        {
            throw new TimeoutException($"The test never released {what}");
        }
    }

    private static async Task Entered(SemaphoreSlim entered, string what)
    {
        if (!await entered.WaitAsync(Bound))
        {
            throw new TimeoutException($"Timed out waiting for {what} to reach the store");
        }
    }

    private IReadOnlyList<StoredMessage> Query(Func<IReadOnlyList<StoredMessage>> query)
    {
        var running = Interlocked.Increment(ref _queriesRunning);
        for (var max = Volatile.Read(ref _maxQueriesRunning); running > max; max = Volatile.Read(ref _maxQueriesRunning))
        {
            Interlocked.CompareExchange(ref _maxQueriesRunning, running, max);
        }

        try
        {
            Hold(_queries, _queryEntered, "queries");
            return FailQueries ? throw new IOException("Input/output error") : query();
        }
        finally
        {
            Interlocked.Decrement(ref _queriesRunning);
        }
    }
}
