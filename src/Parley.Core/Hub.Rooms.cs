using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>Rooms and the store-then-deliver path for messages (history and search: Hub.Reads.cs).</summary>
public sealed partial class Hub
{
    // The session whose deferred step the writer thread is running: its replies are in order right now.
    [ThreadStatic]
    private static Session? t_inOrderFor;

    // A run of a commit's consecutive messages to one room, sent as one frame (see SendRunLocked); under the lock.
    private const int MaxRun = 64;
    private readonly List<OutboundFrame> _run = [];
    private Room? _runRoom;

    private readonly Dictionary<string, Room> _rooms = new(StringComparer.OrdinalIgnoreCase);
    private Room _general = null!;

    /// <summary>Messages accepted but not yet stored (0 with an in-memory store).</summary>
    public int StoreBacklog => _writer?.Backlog ?? 0;

    /// <summary>The store behind this hub.</summary>
    public IMessageStore Store => _store;

    /// <summary>Room names, sorted (private rooms included).</summary>
    public IReadOnlyList<string> RoomNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _rooms.Keys.Order(StringComparer.OrdinalIgnoreCase)];
            }
        }
    }

    /// <summary>Runs the retention cleanup now; returns how many messages were deleted.</summary>
    public int RunCleanup()
    {
        if (Options.HistoryDays <= 0 && Options.HistoryMax <= 0)
        {
            return 0;
        }

        try
        {
            DateTimeOffset? cutoff = Options.HistoryDays > 0 ? Time.GetUtcNow() - TimeSpan.FromDays(Options.HistoryDays) : null;
            var removed = _store.Prune(cutoff, Options.HistoryMax > 0 ? Options.HistoryMax : null);
            if (removed > 0)
            {
                _logger.LogInformation("Retention cleanup deleted {Count} messages", removed);
            }

            return removed;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Retention cleanup failed");
            return 0;
        }
    }

    internal Room CurrentRoom(Session session) => session.CurrentRoom ?? _general;

    /// <summary>How many rooms there are, and how many of them <paramref name="owner"/> created (one pass, one lock).</summary>
    internal (int Total, int Owned) CountRooms(string owner)
    {
        lock (_gate)
        {
            var owned = 0;
            foreach (var room in _rooms.Values)
            {
                if (room.Owner is { } name && UsernameRules.Comparer.Equals(name, owner))
                {
                    owned++;
                }
            }

            return (_rooms.Count, owned);
        }
    }

    internal Room? FindRoom(string name)
    {
        lock (_gate)
        {
            return _rooms.GetValueOrDefault(name);
        }
    }

    /// <summary>Joins (creating it if needed) or switches to a room; the answer goes to the session.</summary>
    internal void JoinRoom(Session session, string name, bool makePrivate)
    {
        if (Room.Validate(name) is { } invalid)
        {
            SendError(session, ErrorCodes.InvalidRoom, invalid);
            return;
        }

        Room? created = null;
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            if (!_rooms.TryGetValue(name, out var room))
            {
                room = created = new Room(name) { Owner = session.Username, IsPrivate = makePrivate };
                _rooms.Add(name, room);
            }
            else if (!room.CanSee(session))
            {
                SendError(session, ErrorCodes.NotInvited, $"{room.Name} is private: ask its operator for an /invite");
                return;
            }

            if (room.Members.Contains(session))
            {
                session.CurrentRoom = room;
                session.Send(Frame(RoomChange("switched", room, $"Now talking in {room.Name}")));
                return;
            }

            AnnouncePresenceLocked(room, new SystemEvent("joined", session.Username!, $"{session.Username} joined {room.Name}", now) { Room = room.Name });
            room.Members.Add(session);
            session.AddRoom(room);
            session.CurrentRoom = room;
            var message = created is null ? $"You joined {room.Name}" : $"You created {room.Name}{(makePrivate ? " (private)" : string.Empty)}; you are its operator";
            session.Send(Frame(RoomChange("joined", room, message)));
            ReplayLocked(session, room);
        }

        if (created is not null)
        {
            SaveRoom(created);
        }
    }

    internal void PartRoom(Session session, string? name)
    {
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            var room = name is null ? CurrentRoom(session) : session.FindRoom(name);
            if (room is null)
            {
                SendError(session, ErrorCodes.NotInRoom, $"You are not in {TextSanitizer.Clean(name!)}");
                return;
            }

            if (room.IsGeneral)
            {
                SendError(session, ErrorCodes.NotPermitted, $"Everyone stays in {Room.General}; /quit leaves the chat");
                return;
            }

            RemoveMemberLocked(session, room, new SystemEvent("left", session.Username!, $"{session.Username} left {room.Name}", now) { Room = room.Name });
            var current = CurrentRoom(session);
            session.Send(Frame(RoomChange("parted", current, $"You left {room.Name}; now talking in {current.Name}") with { From = room.Name }));
        }
    }

    internal void ListRooms(Session session)
    {
        lock (_gate)
        {
            var rooms = _rooms.Values
                .Where(r => r.CanSee(session))
                .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => new RoomInfo(r.Name, r.Members.Count, r.Topic, r.IsPrivate))
                .ToArray();
            session.Send(Frame(new RoomsEvent(rooms)));
        }
    }

    internal void Names(Session session, string? name, int page)
    {
        lock (_gate)
        {
            var room = name is null ? CurrentRoom(session) : _rooms.GetValueOrDefault(name);
            if (room is null || !room.CanSee(session))
            {
                SendError(session, ErrorCodes.UnknownRoom, $"No room {TextSanitizer.Clean(name ?? string.Empty)}");
                return;
            }

            session.Send(Frame(UserPageLocked(room, page) with { Room = room.Name }));
        }
    }

    internal void SetTopic(Session session, string? topic)
    {
        Room room;
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            room = CurrentRoom(session);
            if (topic is null)
            {
                session.Send(Frame(new InfoEvent(room.Topic is null ? $"{room.Name} has no topic" : $"Topic of {room.Name}: {room.Topic}")));
                return;
            }

            if (!room.IsOperator(session))
            {
                SendError(session, ErrorCodes.NotPermitted, $"Only the operator of {room.Name} can set its topic");
                return;
            }

            room.Topic = topic.Length == 0 ? null : topic;
            var notice = Frame(new SystemEvent("topic", session.Username!, $"{session.Username} set the topic of {room.Name}: {topic}", now) { Room = room.Name });
            foreach (var member in room.Members.Sessions)
            {
                member.Send(notice);
            }
        }

        SaveRoom(room);
    }

    internal void Invite(Session session, string name)
    {
        Room room;
        Session? target;
        lock (_gate)
        {
            room = CurrentRoom(session);
            if (room.IsGeneral || !room.IsOperator(session))
            {
                SendError(session, ErrorCodes.NotPermitted, room.IsGeneral ? $"Everyone is in {Room.General} already" : $"Only the operator of {room.Name} can invite");
                return;
            }

            room.Invited.Add(name);
            target = _byName.GetValueOrDefault(name);
            target?.Send(Frame(new InfoEvent($"{session.Username} invites you to {room.Name}: /join {room.Name}")));
            session.Send(Frame(new InfoEvent($"Invited {name} to {room.Name}")));
        }

        SaveRoom(room);
    }

    /// <summary>Removes <paramref name="name"/> from the caller's current room (the caller is its operator). False if that does not apply.</summary>
    internal bool TryKickFromRoom(Session session, string name, string reason)
    {
        var now = Time.GetUtcNow();
        Room room;
        lock (_gate)
        {
            room = CurrentRoom(session);
            if (room.IsGeneral || !room.IsOperator(session))
            {
                return false;
            }

            var target = _byName.GetValueOrDefault(name);
            if (target is null || !room.Members.Contains(target))
            {
                SendError(session, ErrorCodes.NotInRoom, $"{TextSanitizer.Clean(name)} is not in {room.Name}");
                return true;
            }

            var why = string.IsNullOrWhiteSpace(reason) ? string.Empty : $" ({reason})";
            room.Invited.Remove(target.Username!);
            RemoveMemberLocked(target, room, new SystemEvent("kicked", target.Username!, $"{target.Username} was kicked from {room.Name} by {session.Username}{why}", now) { Room = room.Name });
            target.Send(Frame(new SystemEvent("kicked", target.Username!, $"{target.Username} was kicked from {room.Name} by {session.Username}{why}", now) { Room = room.Name }));
            var current = CurrentRoom(target);
            target.Send(Frame(RoomChange("kicked", current, $"You were kicked from {room.Name}; now talking in {current.Name}") with { From = room.Name }));
        }

        SaveRoom(room);
        return true;
    }

    private static ChatEvent ToEvent(StoredMessage m) =>
        new(m.Sender, m.Content, m.Color, m.Timestamp) { Room = m.Room, Id = m.Id, History = true };

    private void LoadState()
    {
        foreach (var record in _store.LoadRooms())
        {
            var room = new Room(record.Name) { Topic = record.Topic, IsPrivate = record.IsPrivate, Owner = record.Owner };
            room.Invited.UnionWith(record.Invited);
            _rooms[room.Name] = room;
        }

        if (!_rooms.TryGetValue(Room.General, out var general))
        {
            general = new Room(Room.General);
            _rooms.Add(general.Name, general);
        }

        _general = general;
        foreach (var room in _rooms.Values)
        {
            foreach (var message in _store.History(room.Name, null, Options.HistoryReplay))
            {
                room.Remember(ToEvent(message), Options.HistoryReplay);
            }
        }

        foreach (var ban in _store.LoadBans())
        {
            _bans[ban.Name] = ban;
        }
    }

    private void SaveRoom(Room room)
    {
        RoomRecord record;
        lock (_gate)
        {
            record = room.ToRecord();
        }

        try
        {
            _store.SaveRoom(record);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not save room {Room}", room.Name);
        }
    }

    private void ReplayLocked(Session session, Room room)
    {
        if (room.Recent.Count == 0 || Options.HistoryReplay <= 0)
        {
            return;
        }

        foreach (var message in room.Recent)
        {
            session.Send(Frame(message));
        }

        var oldest = room.Recent.Peek().Id;
        session.Send(Frame(new HistoryEndEvent(room.Name, room.Recent.Count, oldest, More: room.Recent.Count >= Options.HistoryReplay)));
    }

    private void RemoveMemberLocked(Session session, Room room, SystemEvent notice)
    {
        room.Members.Remove(session);
        session.RemoveRoom(room);
        if (session.CurrentRoom == room)
        {
            session.CurrentRoom = session.LastJoinedRoom ?? _general;
        }

        // A kick is always told one by one: it is rare, and members should know who did it.
        if (notice.Event == "kicked")
        {
            var frame = Frame(notice);
            foreach (var member in room.Members.Sessions)
            {
                member.Send(frame);
            }
        }
        else
        {
            AnnouncePresenceLocked(room, notice);
        }
    }

    private void LeaveAllRoomsLocked(Session session)
    {
        for (var i = 0; i < session.RoomCount; i++)
        {
            session.RoomAt(i).Members.Remove(session);
        }

        session.ClearRooms();
    }

    private void Submit(OutgoingMessage message)
    {
        message.Sender.CountMessage();
        Interlocked.Increment(ref _messagesTotal);
        if (_writer is null)
        {
            lock (_gate)
            {
                // Stamped under the lock, so timestamps never go backwards in chat.log or on the wire.
                message.Timestamp = Time.GetUtcNow();
                message.Id = _store.Append([message.ToStored()])[0];
                DeliverLocked(message);
            }
        }
        else
        {
            Interlocked.Increment(ref message.Sender.InFlight);
            if (!_writer.Submit(message))
            {
                Interlocked.Decrement(ref message.Sender.InFlight);
                SendError(message.Sender, ErrorCodes.StoreFailed, "The server is shutting down; message not sent");
            }
        }
    }

    /// <summary>Whether a reply to <paramref name="session"/> must wait behind its messages still in the writer.</summary>
    private bool MustWait(Session session) =>
        _writer is not null && t_inOrderFor != session && Volatile.Read(ref session.InFlight) > 0;

    /// <summary>Runs <paramref name="action"/> now, or behind the session's messages still being stored if there are any.</summary>
    internal void InOrder(Session session, Action action)
    {
        if (MustWait(session))
        {
            Defer(session, action);
            return;
        }

        action();
    }

    /// <summary>Runs <paramref name="action"/> (without the lock) once everything the session sent before is delivered.</summary>
    private void Defer(Session session, Action action)
    {
        Interlocked.Increment(ref session.InFlight);
        if (_writer is null || !_writer.Submit(OutgoingMessage.After(session, action)))
        {
            Interlocked.Decrement(ref session.InFlight);
            action();
        }
    }

    /// <summary>Runs <paramref name="action"/> under the lock after every message accepted so far is delivered (at once without a writer).</summary>
    private void AfterAccepted(Session session, Action action) => Defer(session, () =>
    {
        lock (_gate)
        {
            action();
        }
    });

    // Called by the writer after each commit, in commit order; ids (one per message, barriers have none) is null when
    // the commit failed. Messages go out under the lock; deferred steps run between them without it (they may read the disk).
    private void Deliver(List<OutgoingMessage> batch, IReadOnlyList<long>? ids)
    {
        var row = 0;
        var i = 0;
        while (i < batch.Count)
        {
            lock (_gate)
            {
                for (; i < batch.Count && batch[i].Barrier is null; i++)
                {
                    var item = batch[i];
                    Interlocked.Decrement(ref item.Sender.InFlight);
                    if (ids is null)
                    {
                        SendRunLocked();
                        item.Sender.Send(Frame(new ErrorEvent(ErrorCodes.StoreFailed, "Your message could not be saved and was not sent; try again")));
                    }
                    else if (item.Room is { } room)
                    {
                        item.Id = ids[row++];
                        if (room != _runRoom || _run.Count == MaxRun)
                        {
                            SendRunLocked();
                            _runRoom = room;
                        }

                        _run.Add(RoomFrameLocked(item, room));
                    }
                    else
                    {
                        SendRunLocked();
                        item.Id = ids[row++];
                        DeliverLocked(item);
                    }
                }

                SendRunLocked();
            }

            if (i < batch.Count)
            {
                var step = batch[i++];
                Interlocked.Decrement(ref step.Sender.InFlight);
                t_inOrderFor = step.Sender;
                try
                {
                    step.Barrier!();
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "A deferred step for {User} failed", step.Sender.Username);
                }
                finally
                {
                    t_inOrderFor = null;
                }
            }
        }
    }

    // Consecutive messages of one commit to the same room go to its members as one combined frame: per member,
    // one queue entry and one copy for the run instead of one per message (the per-member, per-message work was
    // most of the server's own CPU in a fan-out). What each member reads is unchanged, in the same order.
    private void SendRunLocked()
    {
        if (_run.Count == 0)
        {
            return;
        }

        var frame = OutboundFrame.Combine([.. _run]);
        foreach (var member in _runRoom!.Members.Sessions)
        {
            member.Send(frame);
        }

        _run.Clear();
        _runRoom = null;
    }

    // Logs and remembers a room message; the frame its members get.
    private OutboundFrame RoomFrameLocked(OutgoingMessage m, Room room)
    {
        var sender = m.Sender.Username!;
        var evt = new ChatEvent(sender, m.Content, m.Color, m.Timestamp) { Room = room.Name, Id = m.Id };
        _chatLog.Write(m.Timestamp, room.IsGeneral ? $"{sender}: {m.Content}" : $"{room.Name} {sender}: {m.Content}");
        room.Remember(evt, Options.HistoryReplay);
        return Frame(evt);
    }

    private void DeliverLocked(OutgoingMessage m)
    {
        var sender = m.Sender.Username!;
        if (m.Room is { } room)
        {
            var frame = RoomFrameLocked(m, room);
            foreach (var member in room.Members.Sessions)
            {
                member.Send(frame);
            }

            return;
        }

        var targetName = m.Target?.Username ?? m.OfflineTarget!;
        var delivered = m.Target is { } target && target.Send(Frame(new PrivateMessageEvent(sender, m.Content, m.Color, m.Timestamp)));
        m.Sender.Send(Frame(new PrivateConfirmationEvent(targetName, m.Content, m.Color, delivered, m.Timestamp) { Later = m.OfflineTarget is not null }));
        if (Options.LogPrivate)
        {
            _chatLog.Write(m.Timestamp, $"[PM] {sender} -> {targetName}: {m.Content}");
        }
    }

    private void DeliverOffline(Session session)
    {
        if (session.Account is null)
        {
            return;
        }

        IReadOnlyList<StoredMessage> pending;
        try
        {
            pending = _store.TakePending(session.Username!);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not read the private messages waiting for {User}", session.Username);
            return;
        }

        foreach (var message in pending)
        {
            session.Send(Frame(new PrivateMessageEvent(message.Sender, message.Content, message.Color, message.Timestamp) { Offline = true }));
        }
    }
}
