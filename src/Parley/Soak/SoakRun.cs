using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Client;
using Parley.Core;
using Parley.Protocol.Events;
using Parley.Server;

namespace Parley.Cli.Soak;

/// <summary>
/// One soak run. The server runs in this process (so its heap can be read), with flood control off
/// and loopback exempt from the per-address limits; the load is steady, so any growth over time is
/// the server's (or the run's own) leak, not more work.
/// </summary>
internal sealed class SoakRun(SoakSettings settings, TextWriter output)
{
    private long _sent;
    private long _received;
    private long _churned;
    private long _errors;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var data = settings.DataDirectory ?? Path.Combine(Path.GetTempPath(), "parley-soak-" + Guid.NewGuid().ToString("N"));
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, WebPort = -1, DataDirectory = data, Hub = new HubOptions { RateLimit = 0 } };
        await using var server = ParleyServer.Create(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await server.StartAsync(cancellationToken);
        var port = server.ChatEndPoint.Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(settings.Duration);
        await output.WriteLineAsync($"soak: {settings.SteadyClients} steady clients at {settings.MessagesPerSecond}/s, {settings.ChurnPerSecond} churn/s, {settings.Duration.TotalMinutes:0.#} min, server on 127.0.0.1:{port}");
        await output.WriteLineAsync("elapsed  conns  sent      received   churned  errors  heap_MB  rss_MB  handles  threads");

        var steady = Enumerable.Range(0, settings.SteadyClients).Select(i => SteadyAsync(port, $"steady{i}", stop.Token)).ToList();
        var churn = ChurnAsync(port, stop.Token);
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        try
        {
            samples.Add(await SampleAsync(server, clock));
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(settings.ReportEvery, stop.Token);
                samples.Add(await SampleAsync(server, clock));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll([.. steady, churn]);
        samples.Add(await SampleAsync(server, clock));
        await server.StopAsync(CancellationToken.None);
        if (settings.DataDirectory is null)
        {
            Directory.Delete(data, recursive: true);
        }

        return await SummarizeAsync(samples);
    }

    private async Task<int> SummarizeAsync(List<Sample> samples)
    {
        // Compare against a sample after warm-up (JIT, pools, tiered compilation), not the cold start.
        var baseline = samples[Math.Min(samples.Count - 1, Math.Max(1, samples.Count / 4))];
        var last = samples[^1];
        await output.WriteLineAsync(
            $"soak: done. From {baseline.Elapsed.TotalMinutes:0.0} min to the end: heap {baseline.HeapMb:0.0} -> {last.HeapMb:0.0} MB, rss {baseline.RssMb:0.0} -> {last.RssMb:0.0} MB, " +
            $"handles {baseline.Handles} -> {last.Handles}, threads {baseline.Threads} -> {last.Threads}; {Interlocked.Read(ref _sent)} sent, {Interlocked.Read(ref _received)} received, {Interlocked.Read(ref _churned)} churned, {Interlocked.Read(ref _errors)} errors");
        return Interlocked.Read(ref _errors) == 0 ? 0 : 1;
    }

    private async Task<Sample> SampleAsync(ParleyServer server, Stopwatch clock)
    {
        using var process = Process.GetCurrentProcess();
        var sample = new Sample(
            clock.Elapsed,
            server.Hub.ConnectionCount,
            GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0,
            process.WorkingSet64 / 1048576.0,
            OpenHandles(process),
            process.Threads.Count);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{sample.Elapsed:hh\\:mm\\:ss} {sample.Connections,6} {Interlocked.Read(ref _sent),-9} {Interlocked.Read(ref _received),-10} {Interlocked.Read(ref _churned),-8} {Interlocked.Read(ref _errors),-7} {sample.HeapMb,7:0.0} {sample.RssMb,7:0.0} {sample.Handles,8} {sample.Threads,8}"));
        await output.FlushAsync();
        return sample;
    }

    // File descriptors on Linux (sockets included); elsewhere what the OS calls handles.
    private static int OpenHandles(Process process) =>
        Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : process.HandleCount;

    private async Task SteadyAsync(int port, string name, CancellationToken stop)
    {
        try
        {
            await using var client = await ChatClient.ConnectAsync("127.0.0.1", port, cancellationToken: stop);
            await client.JoinAsync(name, stop);
            var reading = DrainAsync(client);
            var period = TimeSpan.FromSeconds(1 / settings.MessagesPerSecond);
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                await client.SendMessageAsync($"{name} line {i++}", cancellationToken: stop);
                Interlocked.Increment(ref _sent);
                await Task.Delay(period, stop);
            }

            await client.QuitAsync();
            await reading;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or JoinRefusedException)
        {
            Interlocked.Increment(ref _errors);
            await output.WriteLineAsync($"soak: {name}: {ex.Message}");
        }
    }

    private async Task DrainAsync(ChatClient client)
    {
        await foreach (var evt in client.Events.ReadAllAsync())
        {
            if (evt is ChatEvent)
            {
                Interlocked.Increment(ref _received);
            }
        }
    }

    private async Task ChurnAsync(int port, CancellationToken stop)
    {
        if (settings.ChurnPerSecond == 0)
        {
            return;
        }

        var period = TimeSpan.FromSeconds(1.0 / settings.ChurnPerSecond);
        var running = new List<Task>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            running.Add(ChurnOneAsync(port, $"churn{i}", polite: i % 2 == 0, stop));
            running.RemoveAll(t => t.IsCompleted);
            try
            {
                await Task.Delay(period, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await Task.WhenAll(running);
    }

    private async Task ChurnOneAsync(int port, string name, bool polite, CancellationToken stop)
    {
        try
        {
            await using var client = await ChatClient.ConnectAsync("127.0.0.1", port, cancellationToken: stop);
            await client.JoinAsync(name, stop);
            var reading = DrainAsync(client);
            await client.SendMessageAsync("hello and goodbye", cancellationToken: stop);
            Interlocked.Increment(ref _sent);
            if (polite)
            {
                await client.QuitAsync();
            }

            // Impolite: DisposeAsync just drops the socket, as a crashed client would.
            Interlocked.Increment(ref _churned);
            await client.DisposeAsync();
            await reading;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or JoinRefusedException)
        {
            Interlocked.Increment(ref _errors);
            await output.WriteLineAsync($"soak: {name}: {ex.Message}");
        }
    }

    private sealed record Sample(TimeSpan Elapsed, int Connections, double HeapMb, double RssMb, int Handles, int Threads);
}
