using System.Data.Common;
using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>History and search: reads of the store, answered off its writer thread.</summary>
public sealed partial class Hub
{
    private const int MaxHistoryPage = 500;
    private const int MaxSearchResults = 100;

    // Null with an in-memory store, which has no writer to keep free either.
    private readonly ReadWorkers? _reads;

    /// <summary>
    /// Runs a command that reads the store (<see cref="CommandDefinition.Reads"/>). It used to wait behind the
    /// asker's messages as a step of the writer's loop, so a slow search held up every other user's commits and
    /// deliveries. Now the writer only hands it over once those messages are delivered (so the answer includes
    /// them), and it runs on a reader thread. The asker's later input waits for the answer (<see cref="Session.Ready"/>).
    /// </summary>
    private void RunRead(Session session, Action read)
    {
        if (_reads is not { } reads)
        {
            ReadGuarded(session, read);
            return;
        }

        var (done, previous) = session.HoldInput();
        if (previous.IsCompleted)
        {
            Schedule();
        }
        else
        {
            // Only a transport that did not await Ready gets here: its queries still run one at a time.
            previous.ContinueWith(_ => Schedule(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        void Schedule()
        {
            if (MustWait(session))
            {
                Defer(session, () => reads.Post(Answer));
            }
            else
            {
                reads.Post(Answer);
            }
        }

        void Answer()
        {
            try
            {
                // Gone while waiting for its turn: nobody would read the answer.
                if (!session.IsClosed)
                {
                    ReadGuarded(session, read);
                }
            }
            finally
            {
                done.TrySetResult();
            }
        }
    }

    // A store that cannot be read (I/O error) answers store_failed rather than ending the connection or leaving the asker waiting.
    private void ReadGuarded(Session session, Action read)
    {
        try
        {
            read();
        }
        catch (Exception ex) when (ex is DbException or IOException)
        {
            _logger.LogError(ex, "Could not read the message history for {User}", session.Username);
            SendError(session, ErrorCodes.StoreFailed, $"The message history could not be read ({StoreFailures.Reason(ex)}); try again later");
        }
    }

    /// <summary>Older messages of a room (the current one unless the request names one), oldest first, then a closing event.</summary>
    internal void SendHistory(Session session, string? roomName, long? before, int? limit)
    {
        Room? room;
        lock (_gate)
        {
            room = roomName is null ? CurrentRoom(session) : _rooms.GetValueOrDefault(roomName);
            if (room is null || !room.CanSee(session))
            {
                SendError(session, ErrorCodes.UnknownRoom, $"No room {TextSanitizer.Clean(roomName ?? string.Empty)}");
                return;
            }
        }

        var count = Math.Clamp(limit ?? Options.HistoryReplay, 1, MaxHistoryPage);
        var messages = _store.History(room.Name, before, count + 1);
        var more = messages.Count > count;
        var page = more ? messages.Skip(1).ToArray() : messages;
        var fits = NewestWithin(page, ReplyBudget);
        if (fits < page.Count)
        {
            // 500 long messages would overflow the asker's send queue and disconnect them: send what fits, newest
            // first kept, and let "more" page back to the rest.
            page = page.Skip(page.Count - fits).ToArray();
            more = true;
        }

        foreach (var message in page)
        {
            session.Send(Frame(ToEvent(message)));
        }

        session.Send(Frame(new HistoryEndEvent(room.Name, page.Count, page.Count > 0 ? page[0].Id : 0, more)));
    }

    internal void Search(Session session, string query, int? limit)
    {
        var words = TextSanitizer.Clean(query).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(10).ToArray();
        if (words.Length == 0)
        {
            SendError(session, ErrorCodes.Usage, "Usage: /search WORDS");
            return;
        }

        string[] rooms;
        lock (_gate)
        {
            rooms = [.. _rooms.Values.Where(r => r.CanSee(session)).Select(r => r.Name)];
        }

        var results = _store.Search(words, rooms, Math.Clamp(limit ?? 20, 1, MaxSearchResults));
        // Search results come newest first: the first ones that fit the budget are the ones worth sending.
        results = results.Take(NewestWithin(results.Reverse().ToArray(), ReplyBudget)).ToArray();
        foreach (var message in results)
        {
            session.Send(Frame(ToEvent(message)));
        }

        session.Send(Frame(new SearchEndEvent(string.Join(' ', words), results.Count)));
    }

    // What one answer to a single request (/history, /search) may queue: a quarter of the send queue's bound,
    // so it never alone gets its asker disconnected for "send queue exceeded".
    private long ReplyBudget => Math.Max(Options.SendQueueBytes / 4, 16 * 1024);

    // How many of the last messages of an oldest-first list fit in the budget (at least one).
    private static int NewestWithin(IReadOnlyList<StoredMessage> oldestFirst, long budget)
    {
        long used = 0;
        var fits = 0;
        for (var i = oldestFirst.Count - 1; i >= 0; i--)
        {
            // An upper bound of the encoded event: JSON escapes at most 6 bytes per UTF-16 unit (\uXXXX), plus
            // names, room, id and timestamp.
            used += (oldestFirst[i].Content.Length * 6L) + oldestFirst[i].Sender.Length + 200;
            if (used > budget && fits > 0)
            {
                break;
            }

            fits++;
        }

        return fits;
    }
}
