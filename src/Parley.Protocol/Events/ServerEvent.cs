namespace Parley.Protocol.Events;

/// <summary>Something the server tells a client. Each is written once per protocol by the event writers.</summary>
public abstract record ServerEvent;
