using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// A store that keeps everything in memory and forgets it at exit: for <c>--store memory</c> and for
/// tests where durability is not the point. Thread-safe; search matches whole words, ignoring case.
/// It holds at most its newest <see cref="MaxMessages"/> messages (plus private ones still waiting), so a
/// memory server that runs for weeks does not grow without end: a quarter over, the oldest are dropped.
/// </summary>
public sealed class MemoryMessageStore(int maxMessages = MemoryMessageStore.DefaultMaxMessages) : IMessageStore
{
    /// <summary>About 180 MB of 64-character messages.</summary>
    public const int DefaultMaxMessages = 1_000_000;

    private readonly Lock _gate = new();
    private readonly PackedMessages _messages = new();
    private readonly Dictionary<string, RoomRecord> _rooms = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Account> _accounts = new(UsernameRules.Comparer);
    private readonly Dictionary<string, BanRecord> _bans = new(UsernameRules.Comparer);
    private long _nextId = 1;
    private int _trimAt = TrimPoint(maxMessages, 0);

    public bool IsInMemory => true;

    /// <summary>The most messages kept (0: no limit).</summary>
    public int MaxMessages { get; } = maxMessages >= 0 ? maxMessages : throw new ArgumentOutOfRangeException(nameof(maxMessages));

    public IFileCatalog Files { get; } = new MemoryFileCatalog();

    public IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch)
    {
        lock (_gate)
        {
            var ids = new long[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                ids[i] = _nextId++;
                _messages.Add(batch[i], ids[i]);
            }

            if (_messages.Count > _trimAt)
            {
                KeepNewestLocked(MaxMessages);

                // Waiting private messages are spared, so the count may stay above the limit: the next trim
                // waits for another quarter, or a crowd of them would make every append a full copy.
                _trimAt = TrimPoint(MaxMessages, _messages.Count);
            }

            return ids;
        }
    }

    public IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit)
    {
        lock (_gate)
        {
            var found = new List<StoredMessage>();
            for (var i = _messages.Count - 1; i >= 0 && found.Count < limit; i--)
            {
                if ((beforeId is null || _messages.IdAt(i) < beforeId) && string.Equals(_messages.RoomAt(i), room, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(_messages.Get(i));
                }
            }

            found.Reverse();
            return found;
        }
    }

    public IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit)
    {
        var inRooms = new HashSet<string>(rooms, StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            var found = new List<StoredMessage>();
            for (var i = _messages.Count - 1; i >= 0 && found.Count < limit; i--)
            {
                if (_messages.RoomAt(i) is { } inRoom && inRooms.Contains(inRoom) && ContainsAll(_messages.ContentAt(i), words))
                {
                    found.Add(_messages.Get(i));
                }
            }

            return found;
        }
    }

    public IReadOnlyList<StoredMessage> TakePending(string target)
    {
        lock (_gate)
        {
            var pending = new List<StoredMessage>();
            for (var i = 0; i < _messages.Count; i++)
            {
                if (_messages.IsPendingAt(i) && UsernameRules.Comparer.Equals(_messages.TargetAt(i), target))
                {
                    _messages.ClearPending(i);
                    pending.Add(_messages.Get(i));
                }
            }

            return pending;
        }
    }

    public int Prune(DateTimeOffset? olderThan, int? keep)
    {
        lock (_gate)
        {
            // As the SQLite store does: private messages still waiting for their reader are never pruned, and
            // "keep the newest N" counts them but spares them.
            var removed = 0;
            if (olderThan is { } cutoff)
            {
                removed += _messages.RemoveWhere((m, i) => !m.IsPendingAt(i) && m.TimestampAt(i) < cutoff);
            }

            if (keep is { } max)
            {
                removed += KeepNewestLocked(max);
            }

            return removed;
        }
    }

    // Drops all but the newest `keep` messages, sparing waiting private ones; how many went.
    private int KeepNewestLocked(int keep)
    {
        if (_messages.Count <= keep)
        {
            return 0;
        }

        var newestDropped = _messages.IdAt(_messages.Count - keep - 1);
        return _messages.RemoveWhere((m, i) => !m.IsPendingAt(i) && m.IdAt(i) <= newestDropped);
    }

    private static int TrimPoint(int max, int count) =>
        max == 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, Math.Max((long)max, count) + (max / 4) + 1);

    public IReadOnlyList<RoomRecord> LoadRooms()
    {
        lock (_gate)
        {
            return [.. _rooms.Values];
        }
    }

    public void SaveRoom(RoomRecord room)
    {
        lock (_gate)
        {
            _rooms[room.Name] = room;
        }
    }

    public Account? FindAccount(string name)
    {
        lock (_gate)
        {
            return _accounts.GetValueOrDefault(name);
        }
    }

    public void SaveAccount(Account account)
    {
        lock (_gate)
        {
            _accounts[account.Name] = account;
        }
    }

    public IReadOnlyList<BanRecord> LoadBans()
    {
        lock (_gate)
        {
            return [.. _bans.Values];
        }
    }

    public void SaveBan(BanRecord ban)
    {
        lock (_gate)
        {
            _bans[ban.Name] = ban;
        }
    }

    public void RemoveBan(string name)
    {
        lock (_gate)
        {
            _bans.Remove(name);
        }
    }

    public void Dispose()
    {
    }

    private static bool ContainsAll(ReadOnlySpan<char> content, IReadOnlyList<string> words)
    {
        foreach (var word in words)
        {
            if (!ContainsWord(content, word))
            {
                return false;
            }
        }

        return true;
    }

    // Whole words, ignoring case and the punctuation around them: the words are what whitespace separates.
    private static bool ContainsWord(ReadOnlySpan<char> content, string word)
    {
        while (!content.IsEmpty)
        {
            var start = 0;
            while (start < content.Length && char.IsWhiteSpace(content[start]))
            {
                start++;
            }

            var end = start;
            while (end < content.Length && !char.IsWhiteSpace(content[end]))
            {
                end++;
            }

            if (content[start..end].Trim(".,!?;:\"'()").Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            content = content[end..];
        }

        return false;
    }
}
