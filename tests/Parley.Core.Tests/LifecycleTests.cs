using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public void A_session_that_never_joins_is_closed_when_the_login_timeout_passes()
    {
        var h = new HubHarness(o => o.LoginTimeout = TimeSpan.FromSeconds(30));
        var s = h.Connect();

        h.Time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.False(s.IsClosed);
        Assert.Empty(Outbox.Frames(s));

        h.Time.Advance(TimeSpan.FromSeconds(0.1));
        var error = Assert.IsType<ErrorEvent>(Assert.Single(Outbox.Events(s)));
        Assert.Equal(ErrorCodes.LoginTimeout, error.Code);
        Assert.Contains("30 seconds", error.Message, StringComparison.Ordinal);
        Assert.True(s.IsClosed);
        Assert.True(Outbox.IsFinished(s));
        Assert.Equal("login timeout", s.CloseReason);
    }

    [Fact]
    public void Failed_attempts_do_not_extend_the_login_timeout()
    {
        var h = new HubHarness(o => o.LoginTimeout = TimeSpan.FromSeconds(10));
        var s = h.Connect();

        h.Time.Advance(TimeSpan.FromSeconds(9));
        h.Line(s, "bad name");
        h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(s.IsClosed);
        Assert.Equal([ErrorCodes.InvalidUsername, ErrorCodes.LoginTimeout], Outbox.ErrorCodes(s));
    }

    [Fact]
    public void A_joined_session_is_not_closed_by_the_login_timeout()
    {
        var h = new HubHarness(o => o.LoginTimeout = TimeSpan.FromSeconds(30));
        var s = h.Connect();
        h.Time.Advance(TimeSpan.FromSeconds(29));
        h.Line(s, "alice");
        Outbox.Frames(s);

        h.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(s.IsClosed);
        Assert.Empty(Outbox.Frames(s));
    }

    [Fact]
    public void A_name_that_arrives_after_the_login_timeout_does_not_join()
    {
        var h = new HubHarness(o => o.LoginTimeout = TimeSpan.FromSeconds(30));
        var alice = h.JoinText("alice");
        var late = h.Connect();
        h.Time.Advance(TimeSpan.FromSeconds(30));

        h.Line(late, "bob");

        Assert.DoesNotContain("bob", h.Hub.Usernames);
        Assert.NotEqual(SessionState.Joined, late.State);
        Assert.Empty(Outbox.Frames(alice));
    }

    [Fact]
    public void When_the_server_is_full_a_connection_is_refused_with_server_full()
    {
        var h = new HubHarness(o => o.MaxClients = 2);
        var first = h.JoinText("alice");
        h.Connect();

        var refused = h.Connect(ProtocolKind.Json);

        var error = Assert.Single(Outbox.Json(refused));
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(ErrorCodes.ServerFull, error.GetProperty("code").GetString());
        Assert.True(refused.IsClosed);
        Assert.True(Outbox.IsFinished(refused));
        Assert.Equal(2, h.Hub.ConnectionCount);

        // A refused session never started a login timer, and its disconnect changes nothing.
        h.Hub.Disconnected(refused);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, h.Hub.ConnectionCount);

        h.Hub.Disconnected(first);
        var next = h.Connect();
        Assert.False(next.IsClosed);
        Assert.Equal(2, h.Hub.ConnectionCount);
    }

    [Fact]
    public void The_refusal_says_why_in_text_mode()
    {
        var h = new HubHarness(o => o.MaxClients = 0);

        var refused = h.Connect();

        Assert.Equal(["ERROR server full (0 clients), try again later"], Outbox.Text(refused));
    }

    [Fact]
    public async Task Shutdown_tells_everyone_closes_every_queue_and_flushes_the_log()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        var connecting = h.Connect();
        HubHarness.DrainAll(alice, bob);

        var shutdown = h.Hub.ShutdownAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["[14:30:25] [SERVER] Server is shutting down"], Outbox.Text(alice));
        var notice = Assert.Single(Outbox.Json(bob));
        Assert.Equal("server", notice.GetProperty("type").GetString());
        Assert.Equal("Server is shutting down", notice.GetProperty("message").GetString());
        Assert.IsType<ServerNoticeEvent>(Assert.Single(Outbox.Events(connecting)));
        Assert.All(new[] { alice, bob, connecting }, s => Assert.True(Outbox.IsFinished(s)));
        Assert.False(shutdown.IsCompleted);

        // The write loops end and the transports report each disconnect.
        h.Hub.Disconnected(alice);
        h.Hub.Disconnected(bob);
        Assert.False(shutdown.IsCompleted);
        h.Hub.Disconnected(connecting);
        await shutdown;

        Assert.Equal(1, h.Log.Flushes);
        Assert.Equal(h.Log.Lines.Count, h.Log.LinesAtLastFlush);
        Assert.Equal(
            ["[SERVER] Server is shutting down", "*** alice left the chat (server shutting down)", "*** bob left the chat (server shutting down)"],
            h.Log.Lines.Skip(2));
        Assert.All(new[] { alice, bob, connecting }, s => Assert.False(s.Aborted.IsCancellationRequested));
    }

    [Fact]
    public async Task Sessions_still_open_after_the_grace_period_are_aborted()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var stuck = h.JoinText("stuck");

        var shutdown = h.Hub.ShutdownAsync(TimeSpan.FromSeconds(5));
        h.Hub.Disconnected(alice);
        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(shutdown.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await shutdown;

        Assert.True(stuck.Aborted.IsCancellationRequested);
        Assert.Equal(1, h.Log.Flushes);
    }

    [Fact]
    public async Task An_abort_cancels_the_token_asked_for_before_it_and_every_one_asked_for_after_and_runs_the_handler()
    {
        var h = new HubHarness();
        var early = h.JoinText("early");
        var late = h.JoinText("late");
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = early.Aborted.Register(() => cancelled.TrySetResult());
        early.OnAborted(static (session, state) => ((TaskCompletionSource<string?>)state!).TrySetResult(session.CloseReason), handled);
        Assert.False(early.IsAborted);

        early.Abort("kicked");
        late.Abort("kicked");
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("kicked", await handled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(early.IsAborted && early.Aborted.IsCancellationRequested);
        Assert.True(late.IsAborted && late.Aborted.IsCancellationRequested);
    }

    [Fact]
    public async Task Shutdown_with_nobody_connected_completes_at_once_and_later_connections_are_refused()
    {
        var h = new HubHarness();

        await h.Hub.ShutdownAsync(TimeSpan.FromSeconds(5));
        var late = h.Connect();

        Assert.Equal(1, h.Log.Flushes);
        Assert.True(late.IsClosed);
        var error = Assert.IsType<ErrorEvent>(Assert.Single(Outbox.Events(late)));
        Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Hub.ConnectionCount);

        // A second shutdown is a no-op.
        await h.Hub.ShutdownAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, h.Log.Flushes);
    }

    [Fact]
    public void Announce_reaches_every_member_cleaned_and_is_logged()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        var connecting = h.Connect();
        HubHarness.DrainAll(alice, bob);

        h.Hub.Announce("Maintenance\u001b[5m at noon\n");

        Assert.Equal(["[14:30:25] [SERVER] Maintenance at noon "], Outbox.Text(alice));
        var notice = Assert.Single(Outbox.Json(bob));
        Assert.Equal("server", notice.GetProperty("type").GetString());
        Assert.Equal("Maintenance at noon ", notice.GetProperty("message").GetString());
        Assert.Equal("2026-11-22T14:30:25.000Z", notice.GetProperty("timestamp").GetString());
        Assert.Empty(Outbox.Frames(connecting));
        Assert.Equal("[SERVER] Maintenance at noon ", h.Log.Lines[^1]);
    }

    [Fact]
    public void Kick_says_why_closes_the_session_and_tells_the_others()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        Assert.True(h.Hub.Kick("BOB", "spamming\u0007"));

        Assert.Equal([new GoodbyeEvent("You have been kicked: spamming", "kicked")], Outbox.Events(bob));
        Assert.True(bob.IsClosed);
        Assert.True(Outbox.IsFinished(bob));
        Assert.Equal("kicked: spamming", bob.CloseReason);

        h.Hub.Disconnected(bob);
        Assert.Equal(["[14:30:25] *** bob left the chat (kicked: spamming)"], Outbox.Text(alice));
        Assert.Equal("*** bob left the chat (kicked: spamming)", h.Log.Lines[^1]);
        Assert.Equal(["alice"], h.Hub.Usernames);
    }

    [Fact]
    public void Kicking_someone_who_is_not_online_is_false()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.Connect();

        Assert.False(h.Hub.Kick("zed", "x"));
        Assert.Empty(Outbox.Frames(alice));
    }

    [Fact]
    public void A_kicked_user_can_do_nothing_more()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Hub.Kick("bob", "bye");
        h.Line(bob, "one last word");

        Assert.Empty(Outbox.Frames(alice));
    }

    [Fact]
    public void A_dropped_connection_is_announced_without_a_reason()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        HubHarness.DrainAll(alice, bob);

        h.Hub.Disconnected(bob);
        h.Hub.Disconnected(bob);

        Assert.Equal(["[14:30:25] *** bob left the chat"], Outbox.Text(alice));
        Assert.Equal("connection closed", bob.CloseReason);
        Assert.Equal(SessionState.Closing, bob.State);
        Assert.Equal(1, h.Hub.ConnectionCount);
    }

    [Fact]
    public void A_connection_that_never_joined_leaves_silently()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var anonymous = h.Connect();

        h.Hub.Disconnected(anonymous);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(Outbox.Frames(alice));
        Assert.Empty(Outbox.Frames(anonymous));
        Assert.Equal(1, h.Hub.ConnectionCount);
    }
}
