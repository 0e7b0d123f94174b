namespace Parley.Protocol.Tests;

/// <summary>What a framer produced from a whole input: outcomes in order, the unconsumed tail, and the most it ever held.</summary>
internal sealed record FramingRun(IReadOnlyList<Framed> Outcomes, byte[] Leftover, long MaxPending);
