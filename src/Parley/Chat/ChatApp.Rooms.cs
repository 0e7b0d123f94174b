using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>
/// The rooms side of <see cref="ChatApp"/>: which rooms the user is in (from the server's <c>room</c>
/// events), and after a reconnect, joining them again one at a time and returning to the room that was
/// current. Room membership lives in the server's connection, so a new connection starts in #general only.
/// Lines typed meanwhile are held, so they go to the room they were typed for.
/// </summary>
internal sealed partial class ChatApp
{
    private static readonly TimeSpan RejoinRetryDelay = TimeSpan.FromSeconds(1);

    private readonly RoomList _rooms = new();
    private Rejoin? _rejoin;

    // Completed while joined and back in every room: an upload's last chunk waits for it (see StartUpload).
    private volatile TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Ready => _ready.Task;

    private void MarkReady() => _ready.TrySetResult();

    private void MarkNotReady()
    {
        if (_ready.Task.IsCompleted)
        {
            _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Right after a reconnect's welcome: join the old rooms again, then send what was held.</summary>
    private async Task BeginRejoinAsync()
    {
        var order = _rooms.RejoinOrder();
        if (order.Count == 0)
        {
            await EndRejoinAsync();
            return;
        }

        _rejoin = new Rejoin(new Queue<string>(order), _rooms.Current);
        SendNextRejoin();
    }

    // One join_room at a time: its answer (a room event or an error) then says which room it was about.
    private void SendNextRejoin()
    {
        if (_rejoin is not { } rejoin || _client is not { } client || !rejoin.Pending.TryPeek(out var room))
        {
            return;
        }

        // Not awaited: the answer comes back as an event; a send that fails means the connection is going,
        // which the read side reports.
        _ = client.SendAsync(new ClientRequest("join_room") { Room = room }).AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    /// <summary>Takes the answer to a rejoin request; false for any other event.</summary>
    private async Task<bool> OnRejoinAnswerAsync(ServerEvent evt)
    {
        if (_rejoin is not { } rejoin || !rejoin.Pending.TryPeek(out var room))
        {
            return false;
        }

        switch (evt)
        {
            case RoomEvent { Event: "joined" or "switched" } e when RoomList.Same(e.Room, room):
                _rooms.Apply(e);
                rejoin.Pending.Dequeue();
                rejoin.Done.Add(e.Room);
                break;
            case ErrorEvent { Code: ErrorCodes.RateLimited }:
                // Many rooms at once can outrun the server's flood control: ask again once it has refilled.
                _ = Task.Delay(RejoinRetryDelay, _time).ContinueWith(
                    _ => _queue.Writer.TryWrite(new UiInput.Run(() =>
                    {
                        if (_rejoin == rejoin)
                        {
                            SendNextRejoin();
                        }
                    })),
                    TaskScheduler.Default);
                return true;
            case ErrorEvent e:
                // Refused (private and no invitation any more, too many rooms, ...): say why and carry on.
                rejoin.Pending.Dequeue();
                _rooms.Remove(room);
                _screen.Print(Error($"could not rejoin {room}: {e.Message}"));
                break;
            default:
                return false;
        }

        if (rejoin.Pending.Count > 0)
        {
            SendNextRejoin();
        }
        else
        {
            await EndRejoinAsync();
        }

        return true;
    }

    private async Task EndRejoinAsync()
    {
        var rejoined = _rejoin?.Done.Where(r => !RoomList.Same(r, RoomList.General)).ToList() ?? [];
        _rejoin = null;
        if (rejoined.Count > 0)
        {
            Print(Tone.System, $"Rejoined {string.Join(", ", rejoined)}; talking in {_rooms.Current}");
        }

        MarkReady();
        while (_held.TryDequeue(out var line))
        {
            await OnLineAsync(line);
        }

        if (_inputEnded && !_options.Interactive)
        {
            OnInputEnded();
        }
    }

    // The connection went while rejoining: what is not rejoined yet stays on the list for the next attempt.
    private void AbandonRejoin()
    {
        if (_rejoin is { } rejoin)
        {
            _rooms.ReturnTo(rejoin.Goal);
            _rejoin = null;
        }
    }

    /// <param name="Pending">Rooms still to join, the one asked for first.</param>
    /// <param name="Goal">The room that was current before the reconnect.</param>
    private sealed record Rejoin(Queue<string> Pending, string Goal)
    {
        public List<string> Done { get; } = [];
    }
}
