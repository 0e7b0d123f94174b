using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>
/// One event on its way to one or many sessions, or a run of them sent as one. Its wire bytes are produced
/// at most once per protocol and shared by every recipient, so a broadcast costs one serialization per
/// protocol, not one per member.
/// </summary>
public sealed class OutboundFrame
{
    private readonly TimeZoneInfo _zone;
    private readonly OutboundFrame[]? _parts;
    private byte[]? _text;
    private byte[]? _json;

    public OutboundFrame(ServerEvent evt, TimeZoneInfo zone)
    {
        Event = evt;
        _zone = zone;
    }

    private OutboundFrame(OutboundFrame[] parts)
    {
        _parts = parts;
        Event = parts[0].Event;
        _zone = parts[0]._zone;
    }

    /// <summary>The event; for a combined frame, the first of <see cref="Parts"/>.</summary>
    public ServerEvent Event { get; }

    /// <summary>The frames a combined frame carries, in order; null for a frame of one event.</summary>
    public IReadOnlyList<OutboundFrame>? Parts => _parts;

    /// <summary>
    /// One frame whose bytes are those of <paramref name="parts"/> one after the other: a run of messages to the
    /// same recipients costs each recipient one queue entry and one copy instead of one per message.
    /// </summary>
    public static OutboundFrame Combine(OutboundFrame[] parts) => parts.Length == 1 ? parts[0] : new OutboundFrame(parts);

    /// <summary>The complete line(s) for <paramref name="protocol"/>, ending in <c>\n</c>.</summary>
    public byte[] GetBytes(ProtocolKind protocol) => protocol switch
    {
        // Races only ever compute identical bytes, so a plain publish is enough.
        ProtocolKind.Text => _text ??= _parts is null ? TextEventWriter.Encode(Event, _zone) : Concat(protocol),
        _ => _json ??= _parts is null ? JsonEventWriter.Encode(Event) : Concat(protocol),
    };

    private byte[] Concat(ProtocolKind protocol)
    {
        var length = 0;
        foreach (var part in _parts!)
        {
            length += part.GetBytes(protocol).Length;
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var part in _parts)
        {
            var piece = part.GetBytes(protocol);
            piece.CopyTo(bytes, at);
            at += piece.Length;
        }

        return bytes;
    }
}
