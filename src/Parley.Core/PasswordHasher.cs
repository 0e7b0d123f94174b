using System.Security.Cryptography;
using System.Text;

namespace Parley.Core;

/// <summary>PBKDF2-SHA256 with a random salt per account, compared in constant time.</summary>
public static class PasswordHasher
{
    public const int DefaultIterations = 100_000;
    public const int MinLength = 6;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static Account Create(string name, string password, string role, DateTimeOffset now, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new Account(name, Derive(password, salt, iterations), salt, iterations, role, now);
    }

    public static bool Verify(Account account, string password) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, account.Salt, account.Iterations), account.Hash);

    /// <summary>Why a password cannot be used, or null when it can.</summary>
    public static string? Validate(string password) =>
        password.Length < MinLength ? $"Passwords need at least {MinLength} characters" : null;

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
