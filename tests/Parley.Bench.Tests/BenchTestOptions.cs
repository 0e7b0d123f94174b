namespace Parley.Bench.Tests;

/// <summary>Small, quick runs: every bound short enough that a broken run fails fast instead of hanging.</summary>
internal static class BenchTestOptions
{
    public static BenchOptions Fanout(int port, BenchProtocol protocol, int receivers, int senders, int messages, double? rate = null) => new()
    {
        Scenario = rate is null ? BenchScenario.Fanout : BenchScenario.Latency,
        Protocol = protocol,
        Port = port,
        Receivers = receivers,
        Senders = senders,
        Messages = messages,
        Rate = rate,
        Timeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ProbeTimeout = TimeSpan.FromSeconds(10),
        Drain = TimeSpan.FromSeconds(5),
    };

    public static BenchOptions Connections(int port, BenchProtocol protocol, int count) => new()
    {
        Scenario = BenchScenario.Connections,
        Protocol = protocol,
        Port = port,
        Count = count,
        Hold = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ProbeTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
