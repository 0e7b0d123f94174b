using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Protocol;

namespace Parley.Server.Web;

/// <summary>
/// The browser's transport (<c>/ws</c>): one JSON request per WebSocket text message in, one JSON event
/// per text message out, exactly the JSON-lines protocol without the newlines. Like the TCP handler,
/// each connection has one receive loop (socket → parser → hub) and one send loop draining the
/// session's bounded queue; the hub never sees the socket.
/// </summary>
internal sealed class WebSocketChatHandler(Hub hub, ConnectionAdmission admission, ServerOptions options, ILogger<WebSocketChatHandler> logger)
{
    /// <summary>How long a peer has to answer our close frame before the socket is dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("This is Parley's WebSocket endpoint: connect with a WebSocket client (the chat page at / does).\n");
            return;
        }

        if (!OriginPolicy.IsAllowed(context.Request, options.AllowedOrigins))
        {
            // Another site's page must not chat (or read the chat) with the visitor's browser.
            logger.LogWarning("Refused WebSocket from {Remote}: origin {Origin} is not allowed", context.Connection.RemoteIpAddress, TextSanitizer.Clean(context.Request.Headers.Origin.ToString()));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("This page's origin may not use this chat server (see --allowed-origins).\n");
            return;
        }

        var address = context.Connection.RemoteIpAddress;
        if (!admission.TryAdmit(address, out var refusal))
        {
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            await RefuseAsync(refused, refusal!);
            return;
        }

        try
        {
            await RunAsync(context);
        }
        finally
        {
            admission.Release(address);
        }
    }

    private static async Task RefuseAsync(WebSocket socket, string refusal)
    {
        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            var error = new OutboundFrame(new Protocol.Events.ErrorEvent(ErrorCodes.TooManyConnections, refusal), TimeZoneInfo.Utc).GetBytes(ProtocolKind.Json);
            await socket.SendAsync(error.AsMemory(0, error.Length - 1), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, Truncate(refusal, 120), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The peer is gone or slow: it was being turned away anyway.
        }
    }

    private async Task RunAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var remote = context.Connection.RemoteIpAddress is { } ip ? new IPEndPoint(ip, context.Connection.RemotePort) : null;
        var session = hub.Connect("ws", remote, ProtocolKind.Json);
        session.WebOrigin = FileLinks.OriginOf(context.Request);
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        await using var abort = session.Aborted.Register(socket.Abort);
        var sending = SendLoopAsync(session, socket, receiving);
        try
        {
            await ReceiveLoopAsync(session, socket, receiving.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away, or we cut it off; either way the session ends below.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Connection #{Id}: WebSocket receive loop failed", session.Id);
        }
        finally
        {
            hub.Disconnected(session);
            await sending;
        }
    }

    private async Task ReceiveLoopAsync(Session session, WebSocket socket, CancellationToken cancellationToken)
    {
        var limit = hub.Options.MaxLineBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var length = 0;
            var tooLong = false;
            long partialSince = 0;
            while (true)
            {
                if (length == 0 && !session.Ready.IsCompleted)
                {
                    // A history or search answer is still being read: the next request is answered after it.
                    await session.Ready.WaitAsync(cancellationToken);
                }

                if (length == 0 && hub.Flow.IsPaused)
                {
                    // Someone's queue is backed up: take no new input until it drains (see FlowControl).
                    await hub.Flow.WaitAsync(cancellationToken);
                }

                // Reads at most one byte past the limit, so an over-long message is noticed without being stored.
                var space = tooLong ? buffer.AsMemory(0, Math.Min(buffer.Length, 4096)) : buffer.AsMemory(length, limit + 1 - length);
                ValueWebSocketReceiveResult result;
                if (length == 0 && !tooLong)
                {
                    partialSince = 0;
                    result = await socket.ReceiveAsync(space, cancellationToken);
                }
                else
                {
                    // Part of a message is in: the rest must come within the line timeout (slow-loris).
                    partialSince = partialSince == 0 ? System.Diagnostics.Stopwatch.GetTimestamp() : partialSince;
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (hub.Options.Abuse.PartialLineTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(partialSince)).Ticks)));
                    try
                    {
                        result = await socket.ReceiveAsync(space, deadline.Token);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or WebSocketException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        // A cancelled receive aborts the WebSocket, so there is no way left to say why.
                        session.Abort("line timeout");
                        return;
                    }
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (!tooLong)
                {
                    length += result.Count;
                    tooLong = length > limit;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                // Once the session is closing, input is read only to reach the peer's close frame.
                if (!session.IsClosed)
                {
                    if (tooLong)
                    {
                        hub.HandleProtocolError(session, new ProtocolError(ErrorCodes.LineTooLong, $"Message longer than {limit} bytes was ignored"));
                    }
                    else if (result.MessageType != WebSocketMessageType.Text)
                    {
                        hub.HandleProtocolError(session, new ProtocolError(ErrorCodes.InvalidJson, "Send each request as one JSON object in a WebSocket text message"));
                    }
                    else
                    {
                        Deliver(session, buffer.AsSpan(0, length));
                    }
                }

                length = 0;
                tooLong = false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Deliver(Session session, ReadOnlySpan<byte> message)
    {
        if (!System.Text.Unicode.Utf8.IsValid(message))
        {
            hub.HandleProtocolError(session, new ProtocolError(ErrorCodes.InvalidUtf8, "Message is not valid UTF-8 and was ignored"));
            return;
        }

        if (message.Trim(" \t\r\n"u8).IsEmpty)
        {
            return;
        }

        hub.HandleJson(session, message);
    }

    private static ValueTask SendAsync(WebSocket socket, OutboundFrame frame, CancellationToken cancellationToken)
    {
        // The JSON-lines form ends in '\n'; a WebSocket message is already delimited.
        var bytes = frame.GetBytes(ProtocolKind.Json);
        return socket.SendAsync(bytes.AsMemory(0, bytes.Length - 1), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private async Task SendLoopAsync(Session session, WebSocket socket, CancellationTokenSource receiving)
    {
        var queue = session.Outbound;
        try
        {
            // Abort completes the queue too, which ends this wait; frames left behind are dropped.
            while (await queue.WaitToReadAsync() && !session.Aborted.IsCancellationRequested)
            {
                while (queue.TryRead(out var frame))
                {
                    session.Dequeued(frame);

                    // One event per WebSocket message, so a combined frame goes out as its parts.
                    if (frame.Parts is { } parts)
                    {
                        foreach (var part in parts)
                        {
                            await SendAsync(socket, part, session.Aborted);
                        }
                    }
                    else
                    {
                        await SendAsync(socket, frame, session.Aborted);
                    }
                }
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(session.Aborted);
                timeout.CancelAfter(CloseHandshakeTimeout);
                var (status, description) = CloseStatusFor(session.CloseReason);
                await socket.CloseOutputAsync(status, description, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Aborted or the peer is gone: nothing more can be written.
        }
        finally
        {
            // Our side is done: give the peer a moment to answer the close, then stop reading.
            try
            {
                receiving.CancelAfter(CloseHandshakeTimeout);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static (WebSocketCloseStatus Status, string Description) CloseStatusFor(string? reason)
    {
        var status = reason switch
        {
            null or "quit" or "connection closed" => WebSocketCloseStatus.NormalClosure,
            "server shutting down" => WebSocketCloseStatus.EndpointUnavailable,
            _ when reason.StartsWith("kicked", StringComparison.Ordinal) || reason.StartsWith("join rejected", StringComparison.Ordinal) => WebSocketCloseStatus.PolicyViolation,
            _ => WebSocketCloseStatus.NormalClosure,
        };
        return (status, Truncate(reason ?? "closed", 120));
    }

    // A close frame's reason is limited to 123 bytes of UTF-8.
    private static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes - 3)
        {
            end--;
        }

        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end] + "...";
    }
}
