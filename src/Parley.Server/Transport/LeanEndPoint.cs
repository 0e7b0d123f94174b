using System.Net;

namespace Parley.Server.Transport;

/// <summary>
/// An address for Kestrel to bind with the lean transport rather than its socket transport: the chat
/// ports use it, the web port does not (see <see cref="LeanSocketTransportFactory.CanBind"/>).
/// </summary>
public sealed class LeanEndPoint(IPAddress address, int port) : IPEndPoint(address, port);
