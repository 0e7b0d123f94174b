namespace Parley.Protocol;

/// <summary>Usernames: 1 to <see cref="MaxLength"/> of ASCII letters, digits, '_', '-' and '.'; unique ignoring case.</summary>
public static class UsernameRules
{
    public const int MaxLength = 32;

    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>Returns null when the name is acceptable, otherwise a sentence saying why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Username must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"Username must be at most {MaxLength} characters";
        }

        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                return "Username may only contain letters, digits, '_', '-' and '.'";
            }
        }

        return null;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}
