using System.Net.Sockets;

namespace Parley.Server.Transport;

/// <summary>The one receive a connection keeps posted; its completions go straight to the connection's input.</summary>
internal sealed class SocketReceiver(SocketInput input) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
{
    protected override void OnCompleted(SocketAsyncEventArgs e) => input.OnReceiveCompleted();
}
