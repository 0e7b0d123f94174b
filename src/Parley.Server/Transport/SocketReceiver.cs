using System.Net.Sockets;

namespace Parley.Server.Transport;

/// <summary>
/// Where epoll is not available (see <see cref="ReadinessLoop"/>): the zero-byte receive an idle connection keeps
/// posted to learn that it became readable; its completions go straight to the connection's input.
/// </summary>
internal sealed class SocketReceiver(SocketInput input) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
{
    protected override void OnCompleted(SocketAsyncEventArgs e) => input.OnReadable();
}
