#:project ../src/Parley.Client/Parley.Client.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false

// Chat latency while a large file is uploaded and downloaded (docs/benchmarks.md, "File transfer").
// Usage: dotnet run bench/file-transfer-latency.cs -- HOST CHAT_PORT [MiB]   (server with --rate-limit 0)
using System.Diagnostics;
using System.Security.Cryptography;
using Parley.Client;
using Parley.Protocol.Events;

var host = args.Length > 0 ? args[0] : "127.0.0.1";
var port = args.Length > 1 ? int.Parse(args[1]) : 5555;
var mib = args.Length > 2 ? int.Parse(args[2]) : 100;

await using var sender = await Join("bench-tx");
await using var receiver = await Join("bench-rx");
await using var uploader = await Join("bench-up");
await using var downloader = await Join("bench-down");
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };

var idle = await Measure(TimeSpan.FromSeconds(5), () => Task.CompletedTask);
Console.WriteLine($"idle:            {Describe(idle)}");

var path = Path.Combine(Path.GetTempPath(), $"parley-bench-{Guid.NewGuid():N}.bin");
await using (var file = File.Create(path))
{
    var block = RandomNumberGenerator.GetBytes(1024 * 1024);
    for (var i = 0; i < mib; i++) await file.WriteAsync(block);
}

var sha = await FileDownloader.HashFileAsync(path);
TimeSpan uploadTime = default, downloadTime = default;
var during = await Measure(null, async () =>
{
    var watch = Stopwatch.StartNew();
    await uploader.OfferFileAsync("bench.bin", new FileInfo(path).Length, sha);
    var slot = await Next<FileUploadEvent>(uploader);
    await new FileUploader(http).UploadAsync(new Uri(slot.UploadUrl), path, slot.ChunkSize);
    uploadTime = watch.Elapsed;
    var shared = await Next<FileSharedEvent>(downloader);
    watch.Restart();
    var saved = await new FileDownloader(http).DownloadAsync(new Uri(shared.Url), Path.GetTempPath(), "parley-bench-down.bin", shared.Sha256);
    downloadTime = watch.Elapsed;
    File.Delete(saved);
});
File.Delete(path);
Console.WriteLine($"during transfer: {Describe(during)}");
Console.WriteLine($"upload {mib} MiB: {uploadTime.TotalSeconds:0.00} s ({mib / uploadTime.TotalSeconds:0} MiB/s), download: {downloadTime.TotalSeconds:0.00} s ({mib / downloadTime.TotalSeconds:0} MiB/s)");

async Task<ChatClient> Join(string name)
{
    var client = await ChatClient.ConnectAsync(host, port);
    await client.JoinAsync(name);
    return client;
}

// Sends a message every 20 ms and times its arrival at the other client, for `duration` or until `work` is done.
async Task<List<double>> Measure(TimeSpan? duration, Func<Task> work)
{
    var samples = new List<double>();
    var running = work();
    var until = duration is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
    var n = 0;
    while (duration is null ? !running.IsCompleted : Stopwatch.GetTimestamp() < until)
    {
        var text = $"latency probe {n++}";
        var start = Stopwatch.GetTimestamp();
        await sender.SendMessageAsync(text);
        await foreach (var evt in receiver.Events.ReadAllAsync())
        {
            if (evt is ChatEvent { Content: var c } && c == text) break;
        }

        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        await Task.Delay(20);
    }

    await running;
    return samples;
}

static string Describe(List<double> ms)
{
    ms.Sort();
    double P(double p) => ms[Math.Min(ms.Count - 1, (int)(p * ms.Count))];
    return $"{ms.Count} messages, p50 {P(0.5):0.00} ms, p99 {P(0.99):0.00} ms, max {ms[^1]:0.00} ms";
}

async Task<T> Next<T>(ChatClient client) where T : ServerEvent
{
    await foreach (var evt in client.Events.ReadAllAsync())
    {
        if (evt is T wanted) return wanted;
    }

    throw new IOException("connection ended");
}
