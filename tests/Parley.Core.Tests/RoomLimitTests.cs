using Parley.Protocol;

namespace Parley.Core.Tests;

/// <summary>Rooms never go away and each keeps recent messages in memory, so creating them is capped per user and overall.</summary>
public sealed class RoomLimitTests
{
    [Fact]
    public void One_user_cannot_create_rooms_without_end_and_existing_rooms_can_always_be_joined()
    {
        var h = new HubHarness(o =>
        {
            o.MaxRoomsPerUser = 2;
            o.MaxRooms = 4; // #general counts
        });
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");

        h.Line(alice, "/join #one");
        h.Line(alice, "/join #two");
        HubHarness.DrainAll(alice, bob);
        h.Line(alice, "/join #three");
        Assert.Equal(["ERROR You already created 2 rooms, the most one user may (2)"], Outbox.Text(alice));
        Assert.Equal(3, h.Hub.RoomNames.Count);

        h.Line(bob, "/join #bobs");
        h.Line(bob, "/join #one");
        HubHarness.DrainAll(alice, bob);
        h.Line(bob, "/join #more");
        Assert.Equal([ErrorCodes.TooManyRooms], Outbox.ErrorCodes(bob));
        Assert.Equal(["#bobs", "#general", "#one", "#two"], h.Hub.RoomNames);
    }
}
