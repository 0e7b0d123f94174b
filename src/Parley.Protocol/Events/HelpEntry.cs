namespace Parley.Protocol.Events;

/// <summary>One line of help: how to type a command and what it does.</summary>
public sealed record HelpEntry(string Usage, string Description);
