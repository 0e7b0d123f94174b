using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

/// <summary>
/// History and search run off the store's writer thread: a slow query holds up nobody else's messages, yet
/// still waits for the asker's own messages, and queries are bounded per user and overall.
/// </summary>
public sealed class ReadOffWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_slow_search_holds_up_nobody_elses_messages_and_still_finds_the_askers_own()
    {
        var store = new GatedStore();
        var h = new HubHarness(store: store);
        var alice = h.JoinJson("alice");
        var bob = h.JoinJson("bob");
        var carol = h.JoinJson("carol");

        // Alice's message is still in the writer (its commit held) when she searches for it.
        store.HoldAppends();
        h.Request(alice, new ClientRequest("message") { Content = "deploy done" });
        await store.AppendEnteredAsync();
        store.HoldQueries();
        h.Request(alice, new ClientRequest("search") { Query = "deploy" });
        Assert.False(alice.Ready.IsCompleted);
        store.ReleaseAppends();

        // The search is now running, held in the store: everyone else's messages are still committed and delivered.
        await store.QueryEnteredAsync();
        h.Request(bob, new ClientRequest("message") { Content = "still chatting" });
        await Outbox.UntilAsync(carol, e => e is ChatEvent { Content: "still chatting" }, Bound);
        Assert.Single(store.Inner.Search(["chatting"], [Room.General], 10));
        var beforeAnswer = Outbox.Events(alice);
        Assert.Contains(beforeAnswer, e => e is ChatEvent { Content: "deploy done", History: false });
        Assert.DoesNotContain(beforeAnswer, e => e is SearchEndEvent or ChatEvent { History: true });
        Assert.False(alice.Ready.IsCompleted);

        store.ReleaseQueries();
        var answer = await Outbox.UntilAsync(alice, e => e is SearchEndEvent, Bound);
        var found = Assert.Single(answer.OfType<ChatEvent>(), e => e.History);
        Assert.Equal(("alice", "deploy done"), (found.Username, found.Content));
        Assert.Equal(new SearchEndEvent("deploy", 1), answer[^1]);
        await alice.Ready.WaitAsync(Bound);
    }

    [Fact]
    public async Task History_waits_for_the_askers_messages_still_being_stored()
    {
        var store = new GatedStore();
        var h = new HubHarness(store: store);
        var alice = h.JoinText("alice");

        store.HoldAppends();
        h.Line(alice, "first");
        await store.AppendEnteredAsync();
        h.Line(alice, "second");
        h.Line(alice, "/history 2");
        store.ReleaseAppends();

        var events = await Outbox.UntilAsync(alice, e => e is HistoryEndEvent, Bound);
        Assert.Equal(
            ["first", "second", "first", "second"],
            events.OfType<ChatEvent>().Select(e => e.Content));
        Assert.Equal([false, false, true, true], events.OfType<ChatEvent>().Select(e => e.History));
    }

    [Fact]
    public async Task Queries_beyond_the_bound_wait_their_turn()
    {
        var store = new GatedStore();
        var h = new HubHarness(o => o.QueryThreads = 1, store);
        var alice = h.JoinJson("alice");
        var bob = h.JoinJson("bob");

        store.HoldQueries();
        h.Request(alice, new ClientRequest("search") { Query = "anything" });
        await store.QueryEnteredAsync();
        h.Request(bob, new ClientRequest("history"));

        // The only reader thread is held in Alice's search, so Bob's history cannot have started.
        Assert.False(bob.Ready.IsCompleted);
        store.ReleaseQueries();
        await Outbox.UntilAsync(bob, e => e is HistoryEndEvent, Bound);
        await Outbox.UntilAsync(alice, e => e is SearchEndEvent, Bound);
        Assert.Equal(1, store.MaxQueriesRunning);
    }

    [Fact]
    public async Task One_user_runs_one_query_at_a_time_and_gets_the_answers_in_request_order()
    {
        var store = new GatedStore();
        var h = new HubHarness(o => o.QueryThreads = 4, store);
        var alice = h.JoinJson("alice");

        // Transports wait for Ready before the next request; even without that, the second query waits for the first.
        store.HoldQueries();
        h.Request(alice, new ClientRequest("search") { Query = "alpha" });
        await store.QueryEnteredAsync();
        h.Request(alice, new ClientRequest("search") { Query = "beta" });
        Assert.False(alice.Ready.IsCompleted);
        store.ReleaseQueries();

        var events = await Outbox.UntilAsync(alice, e => e is SearchEndEvent { Query: "beta" }, Bound);
        Assert.Equal(["alpha", "beta"], events.OfType<SearchEndEvent>().Select(e => e.Query));
        Assert.Equal(1, store.MaxQueriesRunning);
        await alice.Ready.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_answers_store_failed_and_the_session_goes_on()
    {
        var store = new GatedStore();
        var h = new HubHarness(store: store);
        var alice = h.JoinJson("alice");

        store.FailQueries = true;
        h.Request(alice, new ClientRequest("search") { Query = "anything" });
        var failed = await Outbox.UntilAsync(alice, e => e is ErrorEvent, Bound);
        Assert.Equal(ErrorCodes.StoreFailed, ((ErrorEvent)failed[^1]).Code);
        await alice.Ready.WaitAsync(Bound);

        store.FailQueries = false;
        h.Request(alice, new ClientRequest("history"));
        await Outbox.UntilAsync(alice, e => e is HistoryEndEvent, Bound);
        Assert.Equal(SessionState.Joined, alice.State);
    }
}
