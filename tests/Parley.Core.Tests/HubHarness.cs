using Microsoft.Extensions.Logging.Abstractions;
using Parley.Protocol;
using Parley.Testing;

namespace Parley.Core.Tests;

/// <summary>A hub with in-memory sessions, an in-memory chat log and a clock that moves only when told.</summary>
internal sealed class HubHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 14, 30, 25, TimeSpan.Zero);

    public HubHarness(Action<HubOptions>? configure = null, IMessageStore? store = null)
    {
        Options = new HubOptions { RateLimit = 0 };
        configure?.Invoke(Options);
        Hub = new Hub(Options, Time, Log, NullLogger<Hub>.Instance, store);
    }

    public ManualTimeProvider Time { get; } = new(Start);

    public MemoryChatLog Log { get; } = new();

    public HubOptions Options { get; }

    public Hub Hub { get; }

    public Session Connect(ProtocolKind protocol = ProtocolKind.Text) => Hub.Connect("test", "mem", protocol);

    /// <summary>A text-mode session that has joined as <paramref name="name"/>; its queue is drained.</summary>
    public Session JoinText(string name)
    {
        var session = Connect();
        Hub.HandleLine(session, name);
        Assert.Equal(SessionState.Joined, session.State);
        Outbox.Frames(session);
        return session;
    }

    /// <summary>A JSON session that has joined as <paramref name="name"/>; its queue is drained.</summary>
    public Session JoinJson(string name)
    {
        var session = Connect(ProtocolKind.Json);
        Hub.HandleRequest(session, new ClientRequest("join") { Username = name });
        Assert.Equal(SessionState.Joined, session.State);
        Outbox.Frames(session);
        return session;
    }

    public void Line(Session session, string line) => Hub.HandleLine(session, line);

    public void Request(Session session, ClientRequest request) => Hub.HandleRequest(session, request);

    /// <summary>Empties every given queue (what the write loops would do between two events).</summary>
    public static void DrainAll(params Session[] sessions)
    {
        foreach (var session in sessions)
        {
            Outbox.Frames(session);
        }
    }
}
