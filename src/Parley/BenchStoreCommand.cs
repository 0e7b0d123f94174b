using System.CommandLine;
using System.Diagnostics;
using Parley.Core;
using Parley.Storage.Sqlite;

namespace Parley.Cli;

/// <summary>
/// `parley bench-store`: how many messages per second the SQLite store commits, in batches as the
/// hub's group-commit writer hands them over. Uses a fresh database in a temporary directory unless
/// --data is given (docs/benchmarks.md records the results).
/// </summary>
internal static class BenchStoreCommand
{
    public static Command Create()
    {
        var messages = new Option<int>("--messages") { Description = "How many messages to store", DefaultValueFactory = _ => 200_000 };
        var batch = new Option<int>("--batch") { Description = "Messages per transaction (1 = a commit per message)", DefaultValueFactory = _ => 256 };
        var data = new Option<string?>("--data") { Description = "Directory for parley.db (default: a new temporary directory, deleted afterwards)" };
        var command = new Command("bench-store", "Measure the message store's throughput (messages per second)") { messages, batch, data };
        command.SetAction(async parse =>
        {
            var count = parse.GetValue(messages);
            var size = Math.Max(1, parse.GetValue(batch));
            var dir = parse.GetValue(data) ?? Path.Combine(Path.GetTempPath(), "parley-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var store = SqliteMessageStore.Open(Path.Combine(dir, SqliteMessageStore.FileName));
                var now = DateTimeOffset.UtcNow;
                var rows = Enumerable.Range(0, size).Select(i => new StoredMessage(0, now, "#general", "bench", null, $"benchmark message number {i} with some typical words in it", null)).ToArray();
                var clock = Stopwatch.StartNew();
                for (var done = 0; done < count; done += size)
                {
                    store.Append(done + size <= count ? rows : rows[..(count - done)]);
                }

                clock.Stop();
                var rate = count / clock.Elapsed.TotalSeconds;
                await Console.Out.WriteLineAsync($"{count} messages in batches of {size}: {clock.Elapsed.TotalSeconds:0.00} s, {rate:0} messages/s ({Environment.ProcessorCount} cores, {Environment.OSVersion})");
            }
            finally
            {
                if (parse.GetValue(data) is null)
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(dir, recursive: true);
                }
            }

            return 0;
        });
        return command;
    }
}
