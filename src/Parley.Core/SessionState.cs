namespace Parley.Core;

public enum SessionState
{
    /// <summary>Connected, no name yet.</summary>
    Connecting,

    /// <summary>Joined under a name: can chat.</summary>
    Joined,

    /// <summary>Leaving: no more input is processed.</summary>
    Closing,
}
