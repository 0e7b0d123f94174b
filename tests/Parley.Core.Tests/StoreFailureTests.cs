using Parley.Protocol;

namespace Parley.Core.Tests;

/// <summary>A store that cannot write (full disk) answers with store_failed; it never ends a connection or delivers what it did not store.</summary>
public sealed class StoreFailureTests
{
    [Fact]
    public void A_store_that_cannot_write_answers_commands_with_store_failed()
    {
        var store = new FailingStore();
        var h = new HubHarness(store: store);
        var alice = h.JoinJson("alice");
        var bob = h.JoinText("bob");
        store.Failing = true;

        h.Request(alice, new ClientRequest("command") { Line = "/register correct-horse" });
        h.Request(alice, new ClientRequest("message") { Content = "not stored" });
        h.Line(bob, "/who");

        Assert.Equal([ErrorCodes.StoreFailed, ErrorCodes.StoreFailed], Outbox.ErrorCodes(alice));
        Assert.Equal(SessionState.Joined, alice.State);
        Assert.Equal(["Users: alice, bob"], Outbox.Text(bob));

        store.Failing = false;
        h.Request(alice, new ClientRequest("command") { Line = "/register correct-horse" });
        Assert.Contains(Outbox.Json(alice), e => e.GetProperty("type").GetString() == "info" && e.GetProperty("message").GetString()!.StartsWith("Registered alice", StringComparison.Ordinal));
    }
}
