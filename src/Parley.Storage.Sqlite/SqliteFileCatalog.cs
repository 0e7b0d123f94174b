using Microsoft.Data.Sqlite;
using Parley.Core;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The <c>files</c> table of parley.db (schema step 3). Connections come from the store, so every
/// write is committed with its synchronous=FULL before the share is announced.
/// </summary>
internal sealed class SqliteFileCatalog(Func<SqliteConnection> open) : IFileCatalog
{
    private const string Columns = "id, sha256, name, size, sender, room, target, token, time";

    public void Add(StoredFile file)
    {
        using var connection = open();
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT OR REPLACE INTO files ({Columns}) VALUES ($id, $sha256, $name, $size, $sender, $room, $target, $token, $time);";
        command.Parameters.AddWithValue("$id", file.Id);
        command.Parameters.AddWithValue("$sha256", file.Sha256);
        command.Parameters.AddWithValue("$name", file.Name);
        command.Parameters.AddWithValue("$size", file.Size);
        command.Parameters.AddWithValue("$sender", file.Sender);
        command.Parameters.AddWithValue("$room", (object?)file.Room ?? DBNull.Value);
        command.Parameters.AddWithValue("$target", (object?)file.Target ?? DBNull.Value);
        command.Parameters.AddWithValue("$token", file.Token);
        command.Parameters.AddWithValue("$time", file.SharedAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    public StoredFile? Find(string id) => Query("WHERE id = $value", id).FirstOrDefault();

    public IReadOnlyList<StoredFile> WithContent(string sha256) => Query("WHERE sha256 = $value", sha256);

    public IReadOnlyList<StoredFile> SharedBefore(DateTimeOffset cutoff) => Query("WHERE time <= $value", cutoff.ToUnixTimeMilliseconds());

    public void Remove(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        using var connection = open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM files WHERE id = $id;";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        foreach (var value in ids)
        {
            id.Value = value;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public long ContentBytes()
    {
        using var connection = open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(size), 0) FROM (SELECT MAX(size) AS size FROM files GROUP BY sha256);";
        return (long)command.ExecuteScalar()!;
    }

    private List<StoredFile> Query(string where, object value)
    {
        using var connection = open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM files {where} ORDER BY time, id;";
        command.Parameters.AddWithValue("$value", value);
        using var reader = command.ExecuteReader();
        var list = new List<StoredFile>();
        while (reader.Read())
        {
            list.Add(new StoredFile(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)))
            { Room = reader.IsDBNull(5) ? null : reader.GetString(5) });
        }

        return list;
    }
}
