using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// A store that keeps everything in memory and forgets it at exit: for <c>--store memory</c> and for
/// tests where durability is not the point. Thread-safe; search matches whole words, ignoring case.
/// </summary>
public sealed class MemoryMessageStore : IMessageStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredMessage> _messages = [];
    private readonly Dictionary<string, RoomRecord> _rooms = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Account> _accounts = new(UsernameRules.Comparer);
    private readonly Dictionary<string, BanRecord> _bans = new(UsernameRules.Comparer);
    private long _nextId = 1;

    public bool IsInMemory => true;

    public IFileCatalog Files { get; } = new MemoryFileCatalog();

    public IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch)
    {
        lock (_gate)
        {
            var ids = new long[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                ids[i] = _nextId++;
                _messages.Add(batch[i] with { Id = ids[i] });
            }

            return ids;
        }
    }

    public IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit)
    {
        lock (_gate)
        {
            var list = _messages
                .Where(m => string.Equals(m.Room, room, StringComparison.OrdinalIgnoreCase) && (beforeId is null || m.Id < beforeId))
                .TakeLast(limit)
                .ToArray();
            return list;
        }
    }

    public IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit)
    {
        var inRooms = new HashSet<string>(rooms, StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            return [.. _messages
                .Where(m => m.Room is not null && inRooms.Contains(m.Room) && words.All(w => ContainsWord(m.Content, w)))
                .Reverse()
                .Take(limit)];
        }
    }

    public IReadOnlyList<StoredMessage> TakePending(string target)
    {
        lock (_gate)
        {
            var pending = new List<StoredMessage>();
            for (var i = 0; i < _messages.Count; i++)
            {
                if (_messages[i].Pending && UsernameRules.Comparer.Equals(_messages[i].Target, target))
                {
                    pending.Add(_messages[i]);
                    _messages[i] = _messages[i] with { Pending = false };
                }
            }

            return pending;
        }
    }

    public int Prune(DateTimeOffset? olderThan, int? keep)
    {
        lock (_gate)
        {
            var removed = olderThan is { } cutoff ? _messages.RemoveAll(m => m.Timestamp < cutoff) : 0;
            if (keep is { } max && _messages.Count > max)
            {
                var excess = _messages.Count - max;
                _messages.RemoveRange(0, excess);
                removed += excess;
            }

            return removed;
        }
    }

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

    private static bool ContainsWord(string content, string word) =>
        content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Any(token => token.Trim('.', ',', '!', '?', ';', ':', '"', '\'', '(', ')').Equals(word, StringComparison.OrdinalIgnoreCase));
}
