namespace Parley.Core;

/// <summary>A session's place in flow control (see <see cref="FlowControl"/>).</summary>
internal enum PressureState
{
    Normal,

    /// <summary>Over the high-water mark and still draining: input pauses until it is below the low-water mark.</summary>
    Congested,

    /// <summary>Over the high-water mark without draining (or closing): no longer holds input back.</summary>
    Stalled,
}
