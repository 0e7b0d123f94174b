namespace Parley.Core.Tests;

public sealed class PackedMessagesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Texts_of_every_size_come_back_exactly_across_blocks_and_chunks()
    {
        var packed = new PackedMessages();
        var expected = new List<StoredMessage>();
        var random = new Random(5);
        for (var i = 0; i < 10_000; i++)
        {
            // Mostly short lines, now and then one longer than a whole block, and an empty one.
            var length = i % 997 == 0 ? 100_000 + i : i % 13 == 0 ? 0 : random.Next(1, 300);
            var content = string.Create(length, i, (span, seed) =>
            {
                for (var c = 0; c < span.Length; c++)
                {
                    span[c] = (char)('a' + ((seed + c) % 26));
                }
            });
            var message = new StoredMessage(i + 1, T0.AddTicks(i), i % 5 == 0 ? null : $"#r{i % 3}", $"u{i % 7}", i % 5 == 0 ? "bob" : null, content, i % 2 == 0 ? "red" : null) { Pending = i % 10 == 0 };
            packed.Add(message, message.Id);
            expected.Add(message);
        }

        Assert.Equal(expected.Count, packed.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], packed.Get(i));
        }
    }

    [Fact]
    public void Removing_keeps_the_rest_in_order_and_the_interned_names_right()
    {
        var packed = new PackedMessages();
        for (var i = 0; i < 9000; i++)
        {
            packed.Add(new StoredMessage(0, T0.AddSeconds(i), "#general", $"user{i % 50}", null, $"line {i}", null), i + 1);
        }

        var before = packed.ContentAt(0).ToString();
        Assert.Equal(0, packed.RemoveWhere((m, i) => m.IdAt(i) > 100_000));
        Assert.Equal((9000, before), (packed.Count, packed.ContentAt(0).ToString()));

        Assert.Equal(6000, packed.RemoveWhere((m, i) => m.IdAt(i) % 3 != 0));
        Assert.Equal(3000, packed.Count);
        for (var i = 0; i < packed.Count; i++)
        {
            var id = (i + 1) * 3;
            Assert.Equal(new StoredMessage(id, T0.AddSeconds(id - 1), "#general", $"user{(id - 1) % 50}", null, $"line {id - 1}", null), packed.Get(i));
        }

        packed.Add(new StoredMessage(0, T0, "#new", "newcomer", null, "after", "blue"), 9001);
        Assert.Equal("after", packed.ContentAt(packed.Count - 1).ToString());
        Assert.Equal("#new", packed.RoomAt(packed.Count - 1));
    }
}
