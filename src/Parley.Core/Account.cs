namespace Parley.Core;

/// <summary>A registered name: its PBKDF2-SHA256 password hash (see <see cref="PasswordHasher"/>) and role.</summary>
public sealed record Account(string Name, byte[] Hash, byte[] Salt, int Iterations, string Role, DateTimeOffset Created)
{
    public const string UserRole = "user";
    public const string AdminRole = "admin";

    public bool IsAdmin => Role == AdminRole;
}
