using System.Net.Sockets;
using Parley.Client;
using Parley.Protocol;

namespace Parley.Cli.Chat;

/// <summary>One plain sentence for each way connecting or joining can fail, saying what to do about it.</summary>
internal static class ConnectErrors
{
    public static bool IsConnectError(Exception ex) => ex is SocketException or TimeoutException or IOException or System.Security.Authentication.AuthenticationException;

    public static string Describe(Exception ex, string host, int port) => ex switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
            $"cannot connect to {host}:{port}: connection refused. Is the server running? Start one with `parley serve {port}`.",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
            $"cannot connect: unknown host '{host}'. Check the name, or use an IP address.",
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable } =>
            $"cannot connect to {host}:{port}: the host cannot be reached from this network.",
        SocketException e => $"cannot connect to {host}:{port}: {e.Message}",
        TimeoutException => $"cannot connect to {host}:{port}: no answer. Is the address right, and is a firewall in the way?",
        System.Security.Authentication.AuthenticationException => $"TLS with {host}:{port} failed: {ex.Message} If the server uses a self-signed certificate, add --insecure (and compare the fingerprint it shows with the server's log) or --fingerprint SHA256.",
        _ => $"cannot connect to {host}:{port}: {ex.Message}",
    };

    /// <summary>A few words for a failed reconnect attempt, where the full advice would repeat itself.</summary>
    public static string Brief(Exception ex) => ex switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => "unknown host",
        TimeoutException => "no answer",
        _ => ex.Message,
    };

    /// <summary>Why the server refused a name, without the text-mode "Please enter another username:" tail.</summary>
    public static string DescribeRefusal(JoinRefusedException ex, string name)
    {
        if (ex.Code == ErrorCodes.UsernameTaken)
        {
            return $"The name '{name}' is already taken.";
        }

        var message = ex.Message;
        var tail = message.IndexOf(". Please enter", StringComparison.Ordinal);
        return tail > 0 ? message[..(tail + 1)] : message;
    }
}
