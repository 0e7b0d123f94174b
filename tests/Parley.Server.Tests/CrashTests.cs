using System.Net;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The real `parley serve` killed with SIGKILL in the middle of heavy traffic.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-crash");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_message_any_client_saw_is_in_the_store_after_sigkill()
    {
        var (server, port) = await ParleyProcess.StartServerAsync(_data.Path, ["--rate-limit", "0"]);
        await using var _ = server;
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var senders = new List<LineClient>();
        for (var s = 0; s < 3; s++)
        {
            var client = await LineClient.ConnectAsync(endPoint);
            await client.SendLineAsync($"s{s}");
            await client.ExpectAsync("Users online");
            senders.Add(client);
        }

        await using var observer = await LineClient.ConnectAsync(endPoint);
        await observer.SendLineAsync("observer");
        await observer.ExpectAsync("Users online");

        // Each sender writes as fast as it can until the server dies under it.
        using var stop = new CancellationTokenSource();
        var traffic = senders.Select((client, s) => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await client.SendLineAsync($"s{s} msg {i}");
                }
                catch (IOException)
                {
                    return;
                }
            }
        })).ToArray();

        // Kill once plenty has been delivered, while the senders are still going.
        await observer.ExpectAsync(l => l.Contains(" msg 300", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        server.Signal(ParleyProcess.SigKill);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        stop.Cancel();
        await Task.WhenAll(traffic);

        var seen = senders.Append(observer)
            .SelectMany(c => c.Seen)
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\[\d\d:\d\d:\d\d\] (s\d): (s\d msg \d+)$"))
            .Where(m => m.Success)
            .Select(m => m.Groups[2].Value)
            .ToHashSet();
        Assert.True(seen.Count >= 300, $"only {seen.Count} messages seen");

        using var store = SqliteMessageStore.Open(Path.Combine(_data.Path, SqliteMessageStore.FileName));
        var stored = store.History("#general", null, 10_000_000);
        var storedContents = stored.Select(m => m.Content).ToHashSet();
        var missing = seen.Where(c => !storedContents.Contains(c)).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} of {seen.Count} seen messages are not in the store, e.g. {string.Join(", ", missing.Take(5))}");

        // And each sender's messages were stored in the order it sent them.
        for (var s = 0; s < 3; s++)
        {
            var numbers = stored.Where(m => m.Sender == $"s{s}").Select(m => int.Parse(m.Content.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(Enumerable.Range(0, numbers.Length), numbers);
        }

        foreach (var client in senders)
        {
            await client.DisposeAsync();
        }
    }
}
