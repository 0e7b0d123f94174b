namespace Parley.Core.Tests;

/// <summary>
/// The in-memory store answers history and search on reader threads while the writer appends (a test store
/// wrapping it runs that way, and --store memory answers on every session's thread): every answer must be a
/// consistent view.
/// </summary>
public sealed class MemoryStoreConcurrencyTests
{
    private const int Batches = 300;
    private const int BatchSize = 4;

    [Fact]
    public async Task History_and_search_stay_consistent_while_batches_are_appended()
    {
        var store = new MemoryMessageStore();
        var writing = 2;
        var problems = new List<string>();
        var roles = new[] { "writer #a", "writer #b", "history", "search" };

        await Concurrently.RunAsync(roles, (role, _) =>
        {
            if (role.StartsWith("writer", StringComparison.Ordinal))
            {
                var room = role[^2..];
                for (var i = 0; i < Batches; i++)
                {
                    store.Append([.. Enumerable.Range(0, BatchSize).Select(k => new StoredMessage(0, HubHarness.Start, room, "w", null, $"word {i}-{k}", null))]);
                }

                Interlocked.Decrement(ref writing);
                return;
            }

            while (Volatile.Read(ref writing) > 0)
            {
                var answer = role == "history"
                    ? store.History("#a", null, 50)
                    : store.Search(["word"], ["#a", "#b"], 20);
                var check = role == "history" ? CheckHistory(answer) : CheckSearch(answer);
                if (check is not null)
                {
                    lock (problems)
                    {
                        problems.Add(check);
                    }

                    return;
                }
            }
        });

        Assert.Empty(problems);
        Assert.Equal(Batches * BatchSize, store.History("#a", null, int.MaxValue).Count);
        Assert.Equal(Batches * BatchSize, store.History("#b", null, int.MaxValue).Count);
    }

    private static string? CheckHistory(IReadOnlyList<StoredMessage> page) =>
        page.Count > 50 ? $"{page.Count} messages for a page of 50"
        : page.Any(m => m.Room != "#a") ? "a message of another room"
        : page.Zip(page.Skip(1)).Any(p => p.First.Id >= p.Second.Id) ? "history not oldest first"
        : null;

    private static string? CheckSearch(IReadOnlyList<StoredMessage> results) =>
        results.Count > 20 ? $"{results.Count} results for a limit of 20"
        : results.Zip(results.Skip(1)).Any(p => p.First.Id <= p.Second.Id) ? "search results not newest first"
        : null;
}
