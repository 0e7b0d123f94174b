namespace Parley.Protocol.Tests;

/// <summary>An invariant of <see cref="FuzzChecks"/> did not hold.</summary>
internal sealed class FuzzFailureException(string message) : Exception(message);
