namespace Parley.Core;

/// <summary>
/// The in-memory store's messages, packed: one struct per message in arrays of 4,096, the texts in blocks of
/// 64 K characters, and each room, name and colour kept once. The list of records it replaces made every
/// message three objects that each young-generation collection had to copy: at 1,000 messages a second that
/// was a 12–15 ms pause every 9 s, the largest part of the latency tail (docs/benchmarks.md). Here a message
/// costs 48 bytes and its text, in arrays large enough to live outside the young generation, with nothing
/// inside them for the collector to follow. Not thread-safe: the store locks around it.
/// </summary>
internal sealed class PackedMessages
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int BlockChars = 64 * 1024;

    private List<Entry[]> _chunks = [];
    private List<char[]> _blocks = [];
    private List<string> _strings = [string.Empty];
    private Dictionary<string, int> _stringIds = new(StringComparer.Ordinal);
    private int _blockUsed;

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="message"/> under the id the store gave it (a record copy per message just to set it would be garbage).</summary>
    public void Add(StoredMessage message, long id)
    {
        var (block, offset) = Place(message.Content);
        Append(new Entry
        {
            Id = id,
            UtcTicks = message.Timestamp.UtcTicks,
            Room = Intern(message.Room),
            Sender = Intern(message.Sender),
            Target = Intern(message.Target),
            Color = Intern(message.Color),
            Block = block,
            Offset = offset,
            Length = message.Content.Length,
            Pending = message.Pending,
        });
    }

    public long IdAt(int index) => At(index).Id;

    public DateTimeOffset TimestampAt(int index) => new(At(index).UtcTicks, TimeSpan.Zero);

    public string? RoomAt(int index) => Text(At(index).Room);

    public string? TargetAt(int index) => Text(At(index).Target);

    public bool IsPendingAt(int index) => At(index).Pending;

    public ReadOnlySpan<char> ContentAt(int index)
    {
        ref readonly var entry = ref At(index);
        return _blocks[entry.Block].AsSpan(entry.Offset, entry.Length);
    }

    public void ClearPending(int index) => Slot(index).Pending = false;

    /// <summary>The message at <paramref name="index"/> as the store hands it out.</summary>
    public StoredMessage Get(int index)
    {
        ref readonly var entry = ref At(index);
        return new StoredMessage(entry.Id, new DateTimeOffset(entry.UtcTicks, TimeSpan.Zero), Text(entry.Room), Text(entry.Sender)!, Text(entry.Target), ContentAt(index).ToString(), Text(entry.Color))
        {
            Pending = entry.Pending,
        };
    }

    /// <summary>Drops the messages <paramref name="remove"/> says yes to, keeping the rest in order, and gives back what they held; how many went.</summary>
    public int RemoveWhere(Func<PackedMessages, int, bool> remove)
    {
        // Copied entry by entry into fresh arrays (no message objects: a trim of a million would make a million),
        // with the names re-interned so that those nobody uses any more go too.
        var first = 0;
        while (first < Count && !remove(this, first))
        {
            first++;
        }

        if (first == Count)
        {
            // Nothing goes (the hourly cleanup, most hours): no copy.
            return 0;
        }

        var kept = new PackedMessages();
        var newIds = new int[_strings.Count];
        for (var i = 0; i < Count; i++)
        {
            if (i == first || (i > first && remove(this, i)))
            {
                continue;
            }

            var entry = At(i);
            (entry.Block, entry.Offset) = kept.Place(ContentAt(i));
            entry.Room = Reintern(entry.Room);
            entry.Sender = Reintern(entry.Sender);
            entry.Target = Reintern(entry.Target);
            entry.Color = Reintern(entry.Color);
            kept.Append(entry);
        }

        int Reintern(int id) => id == 0 ? 0 : newIds[id] != 0 ? newIds[id] : newIds[id] = kept.Intern(_strings[id]);

        var removed = Count - kept.Count;
        (_chunks, _blocks, _strings, _stringIds, _blockUsed, Count) = (kept._chunks, kept._blocks, kept._strings, kept._stringIds, kept._blockUsed, kept.Count);

        return removed;
    }

    private void Append(in Entry entry)
    {
        if (Count >> ChunkShift == _chunks.Count)
        {
            _chunks.Add(new Entry[ChunkSize]);
        }

        _chunks[Count >> ChunkShift][Count & (ChunkSize - 1)] = entry;
        Count++;
    }

    private ref Entry Slot(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return ref _chunks[index >> ChunkShift][index & (ChunkSize - 1)];
    }

    private ref readonly Entry At(int index) => ref Slot(index);

    // Id 0 stands for null (its slot in _strings is a placeholder, never looked up by text).
    private int Intern(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        if (!_stringIds.TryGetValue(text, out var id))
        {
            id = _strings.Count;
            _strings.Add(text);
            _stringIds.Add(text, id);
        }

        return id;
    }

    private string? Text(int id) => id == 0 ? null : _strings[id];

    // Where a text goes: the current block if it fits, else a new one (a text longer than a block gets its own).
    private (int Block, int Offset) Place(ReadOnlySpan<char> content)
    {
        if (_blocks.Count == 0 || _blocks[^1].Length - _blockUsed < content.Length)
        {
            _blocks.Add(new char[Math.Max(BlockChars, content.Length)]);
            _blockUsed = 0;
        }

        var offset = _blockUsed;
        content.CopyTo(_blocks[^1].AsSpan(offset));
        _blockUsed += content.Length;
        return (_blocks.Count - 1, offset);
    }

    private struct Entry
    {
        public long Id;
        public long UtcTicks;
        public int Room;
        public int Sender;
        public int Target;
        public int Color;
        public int Block;
        public int Offset;
        public int Length;
        public bool Pending;
    }
}
