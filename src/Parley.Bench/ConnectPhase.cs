using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Parley.Bench;

/// <summary>Opens and registers every connection of a run, with a bounded number in flight.</summary>
internal static class ConnectPhase
{
    public static async Task RunAsync(RunState run, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var server = await ResolveAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        phase.CancelAfter(options.Timeout);
        using var inflight = new SemaphoreSlim(options.MaxInflight);
        using var reporter = progress is null ? null : new Timer(_ => progress(Snapshot(run)), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        var sources = options.SourceAddresses;
        var opening = new List<Task>(run.Connections.Length);
        foreach (var connection in run.Connections)
        {
            try
            {
                await inflight.WaitAsync(phase.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                connection.Failure ??= "TIMEOUT";
                continue;
            }

            var source = sources.Count == 0 ? null : sources[connection.Index % sources.Count];
            opening.Add(OpenAsync(connection, server, source, options.ConnectTimeout, inflight, phase.Token));
        }

        await Task.WhenAll(opening).ConfigureAwait(false);
        progress?.Invoke(Snapshot(run));
    }

    public static BenchProgress Snapshot(RunState run)
    {
        int registered = 0, failed = 0;
        foreach (var connection in run.Connections)
        {
            if (connection.Failure is not null)
            {
                failed++;
            }
            else if (connection.IsRegistered)
            {
                registered++;
            }
        }

        return new BenchProgress("connect", run.Connections.Length, registered, failed);
    }

    /// <summary>The errno-style name of a socket error, as chatload prints it.</summary>
    public static string ErrorName(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "ECONNREFUSED",
        SocketError.ConnectionReset => "ECONNRESET",
        SocketError.TimedOut => "ETIMEDOUT",
        SocketError.AddressNotAvailable => "EADDRNOTAVAIL",
        SocketError.AddressAlreadyInUse => "EADDRINUSE",
        SocketError.TooManyOpenSockets => "EMFILE",
        SocketError.NoBufferSpaceAvailable => "ENOBUFS",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "EHOSTUNREACH",
        _ => error.ToString(),
    };

    private static async Task OpenAsync(BenchConnection connection, EndPoint server, IPAddress? source, TimeSpan timeout, SemaphoreSlim inflight, CancellationToken phase)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(phase);
        limit.CancelAfter(timeout);
        connection.ConnectStarted = Stopwatch.GetTimestamp();
        try
        {
            await connection.ConnectAsync(server, source, limit.Token).ConfigureAwait(false);
            await connection.Registration.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            connection.Failure ??= "TIMEOUT";
        }
        catch (SocketException ex)
        {
            // A server that refuses (e.g. "server full") says why and closes; our send may fail
            // first with a reset. Its words are the better reason, so give them a moment to arrive.
            if (connection.ConnectedAt > 0)
            {
                await Task.WhenAny(connection.Registration, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
            }

            connection.Failure ??= ErrorName(ex.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            connection.Failure ??= "CLOSED";
        }
        finally
        {
            inflight.Release();
        }

        if (connection.Failure is not null)
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }

    private static async Task<EndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(host, out var address))
        {
            var addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
            address = addresses.FirstOrDefault() ?? throw new ArgumentException($"cannot resolve host '{host}' to an IPv4 address");
        }

        return new IPEndPoint(address, port);
    }
}
