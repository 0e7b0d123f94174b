namespace Parley.Client;

/// <summary>An upload or download the server refused, or whose bytes did not check out.</summary>
public sealed class FileTransferException(string message) : Exception(message);
