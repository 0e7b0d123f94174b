using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class SendQueueTests
{
    [Fact]
    public void A_session_that_is_never_drained_is_aborted_at_its_frame_bound_and_others_keep_receiving()
    {
        const int Frames = 20;
        var h = new HubHarness(o => o.SendQueueFrames = Frames);
        var alice = h.JoinText("alice");
        var carol = h.JoinJson("carol");
        var slow = h.Connect();
        h.Line(slow, "slow");
        HubHarness.DrainAll(alice, carol);
        var seenByCarol = new List<string>();

        void Say(string text)
        {
            h.Line(alice, text);
            Outbox.Frames(alice);
            seenByCarol.AddRange(Outbox.Events<ChatEvent>(carol).Select(e => e.Content));
        }

        // slow holds its welcome; it has room for Frames - 1 more.
        for (var i = 0; i < Frames - 1; i++)
        {
            Say($"m{i}");
        }

        Assert.False(slow.IsClosed);
        Say("the one too many");
        Assert.True(slow.IsClosed);
        Assert.True(slow.Aborted.IsCancellationRequested);
        Assert.Equal("send queue exceeded", slow.CloseReason);

        Say("after");
        Assert.Equal(Frames + 1, seenByCarol.Count);
        Assert.Equal("after", seenByCarol[^1]);
        Assert.False(alice.IsClosed);
        Assert.False(carol.IsClosed);

        // The transport sees the abort and reports the disconnect; the reason is announced.
        h.Hub.Disconnected(slow);
        Assert.Equal(["[14:30:25] *** slow left the chat (send queue exceeded)"], Outbox.Text(alice));
        Assert.Equal("slow left the chat (send queue exceeded)", Assert.Single(Outbox.Events<SystemEvent>(carol)).Message);
        Assert.Equal("*** slow left the chat (send queue exceeded)", h.Log.Lines[^1]);
        Assert.Equal(["alice", "carol"], h.Hub.Usernames);
    }

    [Fact]
    public void A_session_is_aborted_at_its_byte_bound()
    {
        var h = new HubHarness(o =>
        {
            o.SendQueueFrames = 10_000;
            o.SendQueueBytes = 1000;
        });
        var alice = h.JoinText("alice");
        var slow = h.JoinText("slow");
        h.Line(alice, "x");
        HubHarness.DrainAll(alice, slow);

        // Each line is "[14:30:25] alice: " (18 bytes) + 82 + "\n" = 101 bytes.
        var content = new string('y', 82);
        for (var i = 0; i < 9; i++)
        {
            h.Line(alice, content);
            Outbox.Frames(alice);
        }

        Assert.False(slow.IsClosed);
        h.Line(alice, content);
        Assert.True(slow.IsClosed);
        Assert.Equal("send queue exceeded", slow.CloseReason);
        Assert.False(alice.IsClosed);
    }

    [Fact]
    public void A_session_that_keeps_draining_is_never_aborted()
    {
        var h = new HubHarness(o =>
        {
            o.SendQueueFrames = 4;
            o.SendQueueBytes = 200;
        });
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");

        for (var i = 0; i < 2000; i++)
        {
            h.Line(alice, $"message {i}");
            HubHarness.DrainAll(alice, bob);
        }

        Assert.False(alice.IsClosed);
        Assert.False(bob.IsClosed);
    }

    [Fact]
    public void The_byte_bound_counts_the_bytes_of_the_session_protocol()
    {
        // The same event is longer in JSON than in text, so only the JSON session overflows.
        var h = new HubHarness(o => o.SendQueueBytes = 100);
        var alice = h.JoinText("alice");
        var text = h.JoinText("t");
        var json = h.JoinJson("j");
        HubHarness.DrainAll(alice, text, json);

        h.Line(alice, new string('z', 40));

        Assert.False(text.IsClosed);
        Assert.True(json.IsClosed);
    }

    [Fact]
    public void A_private_message_to_a_full_session_reports_it_undelivered()
    {
        var h = new HubHarness(o => o.SendQueueFrames = 1);
        var alice = h.JoinText("alice");
        var slow = h.JoinText("slow");
        HubHarness.DrainAll(alice, slow);
        h.Hub.Announce("fills the only slot");
        Outbox.Frames(alice);

        h.Line(alice, "/msg slow hello?");

        var confirmation = Assert.IsType<PrivateConfirmationEvent>(Assert.Single(Outbox.Events(alice)));
        Assert.False(confirmation.Delivered);
        Assert.True(slow.IsClosed);
        Assert.Equal("send queue exceeded", slow.CloseReason);
    }

    [Fact]
    public void A_closed_session_refuses_frames_without_being_aborted()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");

        h.Line(bob, "/quit");
        h.Line(alice, "are you there?");

        Assert.Equal("quit", bob.CloseReason);
        Assert.False(bob.Aborted.IsCancellationRequested);
        var frame = h.Hub.Frame(PongEvent.Instance);
        Assert.False(bob.Send(frame));
        Assert.False(bob.Aborted.IsCancellationRequested);
    }

    [Fact]
    public void A_write_loop_taking_frames_in_batches_gets_them_in_order_and_releases_their_bytes()
    {
        var session = new Session("test", "mem", HubHarness.Start, 1000, 1_000_000);
        var sent = Enumerable.Range(0, 150).Select(i => new OutboundFrame(new InfoEvent($"m{i}"), TimeZoneInfo.Utc)).ToArray();
        foreach (var frame in sent)
        {
            Assert.True(session.Send(frame));
        }

        var taken = new List<OutboundFrame>();
        var batch = new OutboundFrame[64];
        int n;
        while ((n = session.Take(batch)) > 0)
        {
            Assert.True(n <= 64);
            session.Dequeued(batch.AsSpan(0, n));
            taken.AddRange(batch.Take(n));
        }

        Assert.Equal(sent, taken);
        Assert.Equal(0, session.QueuedBytes);
        session.Close("done");
        Assert.Equal(0, session.Take(batch));
        Assert.True(Outbox.IsFinished(session));
    }

    [Fact]
    public async Task A_waiting_write_loop_is_woken_for_every_frame_from_many_threads_and_misses_none()
    {
        const int Writers = 4;
        const int PerWriter = 20_000;
        var session = new Session("test", "mem", HubHarness.Start, Writers * PerWriter, long.MaxValue);
        var frame = new OutboundFrame(new InfoEvent("x"), TimeZoneInfo.Utc);
        var received = 0;

        async Task ReadAsync()
        {
            var batch = new OutboundFrame[64];
            while (await session.Outbound.WaitToReadAsync())
            {
                int taken;
                while ((taken = session.Take(batch)) > 0)
                {
                    session.Dequeued(batch.AsSpan(0, taken));
                    received += taken;
                }
            }
        }

        var reading = Task.Run(ReadAsync);
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                Assert.True(session.Send(frame));
                if (i % 64 == 0)
                {
                    Thread.Yield();
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        session.Close("done");

        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Writers * PerWriter, received);
    }

    [Fact]
    public async Task A_thousand_waiting_write_loops_each_wake_for_every_one_of_many_broadcasts()
    {
        const int Loops = 1000;
        const int Rounds = 300;
        var sessions = Enumerable.Range(0, Loops).Select(_ => new Session("test", "mem", HubHarness.Start, 100, 1_000_000)).ToArray();
        var pending = 0;
        using var drained = new SemaphoreSlim(0);

        async Task DrainAsync(Session session)
        {
            var batch = new OutboundFrame[64];
            while (await session.Outbound.WaitToReadAsync())
            {
                int taken;
                while ((taken = session.Take(batch)) > 0)
                {
                    session.Dequeued(batch.AsSpan(0, taken));
                    if (Interlocked.Add(ref pending, -taken) == 0)
                    {
                        drained.Release();
                    }
                }
            }
        }

        var loops = sessions.Select(s => Task.Run(() => DrainAsync(s))).ToArray();
        var frame = new OutboundFrame(new InfoEvent("x"), TimeZoneInfo.Utc);
        for (var round = 0; round < Rounds; round++)
        {
            Volatile.Write(ref pending, Loops);
            foreach (var session in sessions)
            {
                Assert.True(session.Send(frame));
            }

            Assert.True(await drained.WaitAsync(TimeSpan.FromSeconds(20)), $"round {round}: {Volatile.Read(ref pending)} frames never taken");
        }

        foreach (var session in sessions)
        {
            session.Close("done");
        }

        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(20));
    }
}
