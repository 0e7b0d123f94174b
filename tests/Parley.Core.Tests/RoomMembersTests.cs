namespace Parley.Core.Tests;

public sealed class RoomMembersTests
{
    [Fact]
    public void The_first_names_match_the_sorted_list_after_every_change_and_are_reused_while_unchanged()
    {
        var members = new RoomMembers();
        var random = new Random(3);
        var inside = new List<Session>();
        for (var i = 0; i < 3000; i++)
        {
            var before = members.FirstNames(5);
            if (inside.Count > 0 && random.Next(3) == 0)
            {
                var gone = inside[random.Next(inside.Count)];
                Assert.True(members.Remove(gone));
                inside.Remove(gone);
            }
            else
            {
                var session = new Session("test", "mem", HubHarness.Start, 10, 10_000) { Username = $"{(char)('a' + random.Next(26))}{i}" };
                Assert.True(members.Add(session));
                inside.Add(session);
            }

            var expected = inside.Select(s => s.Username!).Order(StringComparer.OrdinalIgnoreCase).Take(5).ToArray();
            var after = members.FirstNames(5);
            Assert.Equal(expected, after);
            Assert.Equal(members.Names(0, 5), after);
            if (before.SequenceEqual(after))
            {
                // Unchanged names: the same array, not a copy per join (a welcome is sent on every join).
                Assert.Same(before, after);
            }
            else
            {
                // Changed names: a new array; the one already handed out (held by queued events) is left alone.
                Assert.NotSame(before, after);
            }
        }
    }

    [Fact]
    public void A_page_larger_than_the_room_holds_everyone_and_grows_with_it()
    {
        var members = new RoomMembers();
        var bob = new Session("test", "mem", HubHarness.Start, 10, 10_000) { Username = "bob" };
        members.Add(bob);
        var first = members.FirstNames(500);
        Assert.Equal(["bob"], first);

        members.Add(new Session("test", "mem", HubHarness.Start, 10, 10_000) { Username = "zed" });
        Assert.Equal(["bob", "zed"], members.FirstNames(500));
        Assert.Equal(["bob"], first);

        members.Remove(bob);
        Assert.Equal(["zed"], members.FirstNames(500));
    }
}
