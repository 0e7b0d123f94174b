using Parley.Protocol.Events;

namespace Parley.Protocol.Tests;

/// <summary>An event neither writer knows, to check they refuse it cleanly.</summary>
internal sealed record UnknownEvent : ServerEvent;
