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

    public override string ToString() => Path;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
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
