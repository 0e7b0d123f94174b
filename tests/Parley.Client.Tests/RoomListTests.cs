using Parley.Cli.Chat;
using Parley.Protocol.Events;

namespace Parley.Client.Tests;

public sealed class RoomListTests
{
    [Fact]
    public void Room_events_keep_the_list_and_the_rejoin_order_ends_in_the_current_room()
    {
        var rooms = new RoomList();
        Assert.Empty(rooms.RejoinOrder()); // only #general: the server puts everyone there

        rooms.Apply(Room("joined", "#dev"));
        rooms.Apply(Room("joined", "#ops"));
        rooms.Apply(Room("joined", "#qa"));
        rooms.Apply(Room("switched", "#DEV"));
        Assert.Equal(["#general", "#dev", "#ops", "#qa"], rooms.Rooms);
        Assert.Equal("#DEV", rooms.Current);
        Assert.Equal(["#ops", "#qa", "#DEV"], rooms.RejoinOrder());

        rooms.Apply(Room("parted", "#qa", from: "#dev"));
        rooms.Apply(Room("kicked", "#general", from: "#qa"));
        Assert.Equal(["#general", "#ops"], rooms.Rooms);
        Assert.Equal(["#ops", "#general"], rooms.RejoinOrder()); // back to #general after #ops

        rooms.Apply(Room("switched", "#ops"));
        rooms.Remove("#ops"); // a refused rejoin
        rooms.Remove("#general"); // never leaves the list
        Assert.Equal(["#general"], rooms.Rooms);
        Assert.Equal("#general", rooms.Current);
        rooms.ReturnTo("#ops"); // not in it any more: stays put
        Assert.Equal("#general", rooms.Current);
    }

    private static RoomEvent Room(string what, string room, string? from = null) => new(what, room, null, [], "") { From = from };
}
