using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Parley.Testing;

/// <summary>
/// A fresh data directory under /tmp for one test, deleted afterwards. Pooled SQLite connections
/// (ours, or a store opened by the test) keep parley.db open, so the pools are cleared first; a
/// directory a child process still holds is left behind rather than failing the test.
/// </summary>
public sealed class TempDataDirectory : IDisposable
{
    public TempDataDirectory(string prefix = "parley")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>
    /// Whether disposing clears every SQLite pool in the process first (default). Off where the user of the
    /// database already released it (a disposed server clears its own pool), so that servers of tests
    /// running in parallel keep their pooled connections.
    /// </summary>
    public bool ClearSqlitePools { get; init; } = true;

    public override string ToString() => Path;

    /// <summary>Writes <paramref name="size"/> random bytes to a file here (named <paramref name="name"/>, or uniquely).</summary>
    public (string Path, string Sha256, byte[] Bytes) WriteRandomFile(int size, string? name = null)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var path = System.IO.Path.Combine(Path, name ?? Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return (path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
    }

    public void Dispose()
    {
        if (ClearSqlitePools)
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover directory in /tmp is not worth a failed test.
        }
    }
}
