using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Protocol;

namespace Parley.Server;

/// <summary>
/// The TCP chat port. Each connection gets one read loop (pipe → framer → hub) and one write loop
/// (session queue → pipe, one flush per batch). The first byte picks the protocol: <c>{</c> is JSON
/// lines, anything else text. A client that stays silent is greeted with a prompt for its name.
/// </summary>
public sealed class ChatConnectionHandler(Hub hub, ServerOptions options, ChatPortGuard guard, ILogger<ChatConnectionHandler> logger, Web.FileLinks links) : ConnectionHandler
{
    private const int FlushThreshold = 64 * 1024;
    private const int WriteBatch = 64;

    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        if (!guard.TryAdmit(connection, out var admitted, out var refusal))
        {
            return ChatPortGuard.RefuseAsync(connection, refusal!);
        }

        Session session;
        try
        {
            session = hub.Connect("tcp", connection.RemoteEndPoint);
        }
        catch
        {
            guard.Release(admitted);
            throw;
        }

        session.WebOrigin = links.OriginFor(connection.LocalEndPoint);
        session.OnAborted(static (session, connection) => ((ConnectionContext)connection!).Abort(new ConnectionAbortedException(session.CloseReason ?? "aborted")), connection);
        var writing = WriteLoopAsync(session, connection.Transport.Output, connection.Transport.Input);
        return ReadLoopAsync(session, connection.Transport.Input, writing, admitted);
    }

    // The connection's life, ending when it does: one async method rather than nested ones, since each is a
    // heap object for as long as the connection is idle.
    private async Task ReadLoopAsync(Session session, PipeReader input, Task writing, System.Net.IPAddress? admitted)
    {
        try
        {
            var framer = new LineFramer(hub.Options.MaxLineBytes);
            var sniffed = false;
            if (!session.IsClosed && !await WaitForFirstByteAsync(session, input).ConfigureAwait(false))
            {
                return;
            }

            // When an unfinished line has been waiting since (slow-loris); 0 when there is none.
            long partialSince = 0;
            while (!session.IsClosed)
            {
                var next = partialSince == 0
                    ? await input.ReadAsync().ConfigureAwait(false)
                    : await ReadBeforeAsync(input, partialSince).ConfigureAwait(false);
                if (next is not { } result)
                {
                    hub.HandleProtocolError(session, new ProtocolError(ErrorCodes.LineTimeout, $"Line not finished within {hub.Options.Abuse.PartialLineTimeout.TotalSeconds:0} seconds; closing the connection"));
                    session.Close("line timeout");
                    return;
                }

                if (result.IsCanceled)
                {
                    return;
                }

                var completeLines = false;

                // The read's parts that are needed after the awaits below, rather than the whole ReadResult: the
                // state machine, which every idle connection holds, then has no room for one.
                var buffer = result.Buffer;
                var readCompleted = result.IsCompleted;
                if (!sniffed && !buffer.IsEmpty)
                {
                    session.Protocol = buffer.FirstSpan[0] == (byte)'{' ? ProtocolKind.Json : ProtocolKind.Text;
                    sniffed = true;
                }

                while (!session.IsClosed)
                {
                    if (!session.Ready.IsCompleted)
                    {
                        // A history or search answer is still being read: the next line is answered after it.
                        await session.Ready.WaitAsync(session.Aborted).ConfigureAwait(false);
                    }

                    if (hub.Flow.IsPaused)
                    {
                        // Someone's queue is backed up: stop taking input until it drains (see FlowControl).
                        await hub.Flow.WaitAsync(session.Aborted).ConfigureAwait(false);
                    }

                    var status = framer.TryRead(ref buffer, out var line);
                    if (status == LineStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == LineStatus.TooLong)
                    {
                        hub.HandleProtocolError(session, new ProtocolError(ErrorCodes.LineTooLong, $"Line longer than {framer.MaxLineBytes} bytes was ignored"));
                        continue;
                    }

                    completeLines = true;
                    Deliver(session, line);
                }

                partialSince = buffer.IsEmpty && !framer.IsDiscarding ? 0 : (completeLines || partialSince == 0 ? System.Diagnostics.Stopwatch.GetTimestamp() : partialSince);
                if (readCompleted)
                {
                    // A last line without its newline (e.g. `printf name | nc`) still counts.
                    if (!buffer.IsEmpty && !framer.IsDiscarding && !session.IsClosed && buffer.Length <= framer.MaxLineBytes)
                    {
                        Deliver(session, buffer);
                    }

                    input.AdvanceTo(buffer.End);
                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (ex is ConnectionResetException or ConnectionAbortedException or IOException or OperationCanceledException)
        {
            // The peer went away or we cut it off; either way the session ends below.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Connection #{Id}: read loop failed", session.Id);
        }
        finally
        {
            try
            {
                hub.Disconnected(session);
                await writing.ConfigureAwait(false);
            }
            finally
            {
                guard.Release(admitted);
            }
        }
    }

    // A read that must arrive before the unfinished line's time is up; null when it did not.
    private async Task<ReadResult?> ReadBeforeAsync(PipeReader input, long partialSince)
    {
        var left = hub.Options.Abuse.PartialLineTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(partialSince);
        if (left <= TimeSpan.Zero)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(left);
        try
        {
            return await input.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    // Waits for the client to speak first; if it does not within the greeting delay, it is most
    // likely a person at nc/telnet, so ask for a name. Returns false when the connection ended.
    private async Task<bool> WaitForFirstByteAsync(Session session, PipeReader input)
    {
        using var timeout = new CancellationTokenSource(options.GreetingDelay);
        try
        {
            var first = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            input.AdvanceTo(first.Buffer.Start);
            return !first.IsCanceled && !(first.IsCompleted && first.Buffer.IsEmpty);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            hub.Greet(session);
            return true;
        }
    }

    private void Deliver(Session session, in ReadOnlySequence<byte> line)
    {
        if (!Utf8Text.TryDecode(line, out var text))
        {
            hub.HandleProtocolError(session, new ProtocolError(ErrorCodes.InvalidUtf8, "Line is not valid UTF-8 and was ignored"));
            return;
        }

        if (session.Protocol == ProtocolKind.Text)
        {
            hub.HandleLine(session, text);
            return;
        }

        if (TextSanitizer.IsBlank(text))
        {
            return;
        }

        hub.HandleJson(session, line);
    }

    // Writes a batch of queued frames into the pipe (no flush); how many. Synchronous, so the pooled array
    // is never held across an await.
    private static int WriteQueued(Session session, PipeWriter output)
    {
        var frames = ArrayPool<OutboundFrame>.Shared.Rent(WriteBatch);
        try
        {
            var taken = session.Take(frames.AsSpan(0, WriteBatch));
            for (var i = 0; i < taken; i++)
            {
                output.Write(frames[i].GetBytes(session.Protocol));
            }

            session.Dequeued(frames.AsSpan(0, taken));
            Array.Clear(frames, 0, taken);
            return taken;
        }
        finally
        {
            ArrayPool<OutboundFrame>.Shared.Return(frames);
        }
    }

    private async Task WriteLoopAsync(Session session, PipeWriter output, PipeReader input)
    {
        try
        {
            // Abort completes the queue too, which ends this wait; frames left behind are dropped. The flushes take
            // no token: an abort also cuts the connection (OnAborted), which ends a flush that waits on a peer not
            // reading, and asking for session.Aborted would cost every idle session a CancellationTokenSource.
            while (await session.Outbound.WaitToReadAsync().ConfigureAwait(false) && !session.IsAborted)
            {
                while (!session.IsAborted && WriteQueued(session, output) > 0)
                {
                    if (output.UnflushedBytes >= FlushThreshold && (await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                    {
                        return;
                    }
                }

                if (session.IsAborted || (await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            // Aborted or the peer is gone: nothing more can be written.
        }
        finally
        {
            // Completing (not aborting) the output lets the transport send what is flushed, then FIN.
            await output.CompleteAsync().ConfigureAwait(false);
            input.CancelPendingRead();
        }
    }
}
