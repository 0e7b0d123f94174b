namespace Parley.Core;

public enum SessionState
{
    /// <summary>Connected, no name yet.</summary>
    Connecting,

    /// <summary>Joined under a name: can chat.</summary>
    Joined,

    /// <summary>Leaving: no more input is processed.</summary>
    Closing,

    /// <summary>Asked to join under a (reserved) name; waits for an operator to approve or reject it.</summary>
    Pending,
}
