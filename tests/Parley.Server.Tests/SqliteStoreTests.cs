using Microsoft.Data.Sqlite;
using Parley.Core;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The SQLite store on real files: migrations, order, search, retention, reads beside commits.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDataDirectory _dir = new("parley-store");

    private string DbPath => Path.Combine(_dir.Path, SqliteMessageStore.FileName);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_file_gets_every_migration_and_wal_mode()
    {
        using var store = SqliteMessageStore.Open(DbPath);
        Assert.Equal(0, store.OpenedAtVersion);
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        Assert.Equal(SchemaMigrations.Latest, SchemaMigrations.Version(connection));
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());

        // Opening again applies nothing.
        using var again = SqliteMessageStore.Open(DbPath);
        Assert.Equal(SchemaMigrations.Latest, again.OpenedAtVersion);
    }

    [Fact]
    public void A_version_one_file_is_migrated_and_its_old_messages_become_searchable()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            SchemaMigrations.Apply(connection, target: 1);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO messages (time, room, sender, content) VALUES (1, '#general', 'old', 'written before search existed');";
            insert.ExecuteNonQuery();
        }

        using var store = SqliteMessageStore.Open(DbPath);
        Assert.Equal(1, store.OpenedAtVersion);
        var found = Assert.Single(store.Search(["search", "existed"], ["#general"], 10));
        Assert.Equal(("old", "written before search existed"), (found.Sender, found.Content));
        Assert.Null(store.FindAccount("nobody")); // the accounts table came with step 2
    }

    [Fact]
    public void A_file_from_a_newer_parley_is_refused()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SchemaMigrations.Latest + 1};";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => SqliteMessageStore.Open(DbPath));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_get_growing_ids_and_history_pages_back_in_order()
    {
        using var store = SqliteMessageStore.Open(DbPath);
        var batch = Enumerable.Range(0, 10).Select(i => Message("#dev", $"m{i}", T0.AddSeconds(i))).ToArray();
        var ids = store.Append(batch);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(10, ids.Distinct().Count());

        var last = store.History("#dev", null, 4);
        Assert.Equal(["m6", "m7", "m8", "m9"], last.Select(m => m.Content));
        var before = store.History("#dev", last[0].Id, 4);
        Assert.Equal(["m2", "m3", "m4", "m5"], before.Select(m => m.Content));
        Assert.Equal(T0.AddSeconds(2), before[0].Timestamp);
        Assert.Empty(store.History("#other", null, 4));
    }

    [Fact]
    public void Search_needs_every_word_only_looks_in_the_given_rooms_and_treats_input_as_words()
    {
        using var store = SqliteMessageStore.Open(DbPath);
        store.Append(
        [
            Message("#a", "deploy finished fine", T0),
            Message("#b", "deploy failed", T0),
            Message("#a", "nothing to see", T0),
            Message("#a", "deploy \"quoted\" AND OR NEAR( stuff", T0),
            new StoredMessage(0, T0, null, "x", "y", "deploy in private", null),
        ]);

        Assert.Equal(["deploy \"quoted\" AND OR NEAR( stuff", "deploy finished fine"], store.Search(["deploy"], ["#a"], 10).Select(m => m.Content));
        Assert.Equal(["deploy \"quoted\" AND OR NEAR( stuff", "deploy failed", "deploy finished fine"], store.Search(["DEPLOY"], ["#a", "#b"], 10).Select(m => m.Content));
        Assert.Equal(["deploy finished fine"], store.Search(["deploy", "finished"], ["#a", "#b"], 10).Select(m => m.Content));
        Assert.Single(store.Search(["NEAR("], ["#a"], 10));
        Assert.Empty(store.Search(["private"], ["#a", "#b"], 10));
    }

    [Fact]
    public void Retention_deletes_old_and_excess_messages_but_not_waiting_private_ones()
    {
        using var store = SqliteMessageStore.Open(DbPath);
        store.Append([Message("#a", "ancient", T0.AddDays(-40)), new StoredMessage(0, T0.AddDays(-40), null, "x", "bob", "waiting", null) { Pending = true }]);
        store.Append([.. Enumerable.Range(0, 5).Select(i => Message("#a", $"new {i}", T0))]);

        Assert.Equal(1, store.Prune(T0.AddDays(-30), null));
        Assert.Equal(1, store.Prune(null, 4)); // the waiting private message counts towards the 4 but stays
        Assert.Equal(["new 1", "new 2", "new 3", "new 4"], store.History("#a", null, 10).Select(m => m.Content));
        Assert.Empty(store.Search(["ancient"], ["#a"], 10));
        Assert.Equal("waiting", Assert.Single(store.TakePending("BOB")).Content);
        Assert.Empty(store.TakePending("bob"));
    }

    [Fact]
    public async Task Searches_and_history_see_whole_committed_batches_while_the_writer_commits()
    {
        const int Batches = 150;
        const int Size = 5;
        using var store = SqliteMessageStore.Open(DbPath);
        var writing = 1;
        var writer = Dedicated(() =>
        {
            for (var i = 0; i < Batches; i++)
            {
                store.Append([.. Enumerable.Range(0, Size).Select(k => Message("#a", $"needle {i:D4} part {k}", T0))]);
            }

            Volatile.Write(ref writing, 0);
        });

        // Readers on their own connections, as the hub's reader threads: each answer is a snapshot of whole commits,
        // and what one reader has seen committed never goes away.
        var readers = Enumerable.Range(0, 3).Select(_ => Dedicated(() =>
        {
            long newestSeen = 0;
            var last = false;
            while (!last)
            {
                last = Volatile.Read(ref writing) == 0;
                var found = store.Search(["needle"], ["#a"], 20);
                Assert.True(found.Zip(found.Skip(1)).All(p => p.First.Id > p.Second.Id), "search results newest first");
                Assert.All(found, m => Assert.StartsWith("needle", m.Content, StringComparison.Ordinal));
                var newest = found.Count > 0 ? found[0].Id : 0;
                Assert.True(newest >= newestSeen, "a committed message disappeared");
                newestSeen = newest;
                Assert.True(found.Count == 0 || found[0].Content.EndsWith($"part {Size - 1}", StringComparison.Ordinal), "half a batch visible");

                var page = store.History("#a", null, 50);
                Assert.True(page.Zip(page.Skip(1)).All(p => p.First.Id < p.Second.Id), "history oldest first");
                Assert.True(page.Count == 0 || page[^1].Content.EndsWith($"part {Size - 1}", StringComparison.Ordinal), "half a batch in history");
            }

            return newestSeen;
        })).ToArray();

        await writer;
        var newestSeenByEach = await Task.WhenAll(readers);
        var all = store.History("#a", null, int.MaxValue);
        Assert.Equal(Batches * Size, all.Count);
        Assert.All(newestSeenByEach, newest => Assert.Equal(all[^1].Id, newest));
        Assert.Equal($"needle {Batches - 1:D4} part {Size - 1}", store.Search(["needle"], ["#a"], 1)[0].Content);
    }

    [Fact]
    public void After_dispose_the_database_file_alone_holds_everything_though_reads_have_a_pool_of_their_own()
    {
        using (var store = SqliteMessageStore.Open(DbPath))
        {
            store.Append([Message("#a", "kept in the main file", T0)]);
            Assert.Single(store.Search(["kept"], ["#a"], 10));
            Assert.Single(store.History("#a", null, 10));
        }

        // What operations.md promises for a stopped server: a copy of parley.db alone, without its -wal, is complete.
        var copy = Path.Combine(_dir.Path, "copy.db");
        File.Copy(DbPath, copy);
        using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM messages;";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    private static Task Dedicated(Action action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> Dedicated<T>(Func<T> action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static StoredMessage Message(string room, string content, DateTimeOffset time) => new(0, time, room, "alice", null, content, null);
}
