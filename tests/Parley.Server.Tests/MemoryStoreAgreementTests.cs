using Parley.Core;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// The in-memory store packs its messages its own way; whatever it answers must be what the SQLite store,
/// the one people run, answers to the same calls: history, search, waiting private messages and retention.
/// </summary>
public sealed class MemoryStoreAgreementTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Rooms = ["#general", "#dev", "#caf\u00e9"];
    private static readonly string[] Names = ["alice", "Bob", "\u00e9mile", "zo\u00eb"];
    private static readonly string[] Words = ["hello", "world", "deploy", "lunch", "caf\u00e9", "ok"];
    private readonly TempDataDirectory _dir = new("parley-agree");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Both_stores_answer_every_call_alike(int seed)
    {
        using var sqlite = SqliteMessageStore.Open(Path.Combine(_dir.Path, $"agree{seed}.db"));
        using var memory = new MemoryMessageStore();
        var random = new Random(seed);
        var clock = T0;
        for (var step = 0; step < 400; step++)
        {
            switch (random.Next(10))
            {
                case < 5:
                    var batch = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Message(random, clock = clock.AddMilliseconds(random.Next(1, 5000)))).ToArray();
                    Assert.Equal(sqlite.Append(batch), memory.Append(batch));
                    break;
                case 5:
                    var room = Rooms[random.Next(Rooms.Length)];
                    long? before = random.Next(2) == 0 ? null : random.Next(1, step + 2);
                    var limit = random.Next(0, 30);
                    Assert.Equal(sqlite.History(room, before, limit), memory.History(room, before, limit));
                    break;
                case 6:
                    string[] words = random.Next(3) == 0 ? [Words[random.Next(Words.Length)], Words[random.Next(Words.Length)]] : [Words[random.Next(Words.Length)]];
                    string[] rooms = [.. Rooms.Where(_ => random.Next(2) == 0)];
                    Assert.Equal(sqlite.Search(words, rooms, 20), memory.Search(words, rooms, 20));
                    break;
                case 7:
                    var target = Names[random.Next(Names.Length)];
                    Assert.Equal(sqlite.TakePending(target), memory.TakePending(target));
                    break;
                case 8 when random.Next(4) == 0:
                    DateTimeOffset? cutoff = random.Next(2) == 0 ? null : T0.AddMilliseconds(random.NextInt64((long)(clock - T0).TotalMilliseconds + 1));
                    int? keep = random.Next(2) == 0 ? null : random.Next(0, 60);
                    Assert.Equal(sqlite.Prune(cutoff, keep), memory.Prune(cutoff, keep));
                    break;
            }
        }

        // Everything left, room by room, and every private message still waiting.
        foreach (var room in Rooms)
        {
            Assert.Equal(sqlite.History(room, null, int.MaxValue), memory.History(room, null, int.MaxValue));
        }

        foreach (var name in Names)
        {
            Assert.Equal(sqlite.TakePending(name), memory.TakePending(name));
        }
    }

    [Fact]
    public void A_memory_server_keeps_history_max_messages_or_a_million()
    {
        var limited = Assert.IsType<MemoryMessageStore>(ParleyServer.OpenStore(new ServerOptions { Store = "memory", Hub = { HistoryMax = 7 } }));
        Assert.Equal(7, limited.MaxMessages);
        var unlimited = Assert.IsType<MemoryMessageStore>(ParleyServer.OpenStore(new ServerOptions { Store = "memory" }));
        Assert.Equal(MemoryMessageStore.DefaultMaxMessages, unlimited.MaxMessages);
    }

    // A room message, or now and then a private one (waiting for its reader, as the hub stores one for an offline user).
    private static StoredMessage Message(Random random, DateTimeOffset at)
    {
        var content = string.Join(' ', Enumerable.Range(0, random.Next(1, 8)).Select(_ => Words[random.Next(Words.Length)] + (random.Next(5) == 0 ? "!" : string.Empty)));
        var sender = Names[random.Next(Names.Length)];
        var color = random.Next(3) == 0 ? "red" : null;
        return random.Next(6) == 0
            ? new StoredMessage(0, at, null, sender, Names[random.Next(Names.Length)], content, color) { Pending = random.Next(2) == 0 }
            : new StoredMessage(0, at, Rooms[random.Next(Rooms.Length)], sender, null, content, color);
    }
}
