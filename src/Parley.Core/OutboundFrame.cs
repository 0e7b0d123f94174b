using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>
/// One event on its way to one or many sessions. Its wire bytes are produced at most once per
/// protocol and shared by every recipient, so a broadcast costs one serialization per protocol,
/// not one per member.
/// </summary>
public sealed class OutboundFrame
{
    private readonly TimeZoneInfo _zone;
    private byte[]? _text;
    private byte[]? _json;

    public OutboundFrame(ServerEvent evt, TimeZoneInfo zone)
    {
        Event = evt;
        _zone = zone;
    }

    public ServerEvent Event { get; }

    /// <summary>The complete line(s) for <paramref name="protocol"/>, ending in <c>\n</c>.</summary>
    public byte[] GetBytes(ProtocolKind protocol) => protocol switch
    {
        // Races only ever compute identical bytes, so a plain publish is enough.
        ProtocolKind.Text => _text ??= TextEventWriter.Encode(Event, _zone),
        _ => _json ??= JsonEventWriter.Encode(Event),
    };
}
