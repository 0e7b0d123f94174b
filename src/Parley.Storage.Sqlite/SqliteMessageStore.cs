using System.Text;
using Microsoft.Data.Sqlite;
using Parley.Core;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The default store: one SQLite file (parley.db) in WAL mode, so readers (history, search, logins)
/// never wait for the writer. Each call opens a pooled connection, which keeps the class thread-safe;
/// <see cref="Append"/> commits a whole batch in one transaction with synchronous=FULL, so a batch
/// acknowledged here survives a crash of the process or the machine. History and search, which run
/// beside the writer's commits, use read-only connections of their own pool: whatever a query does, it
/// cannot take the write lock, and the hub's reader threads bound how many of them are open at once.
/// </summary>
public sealed class SqliteMessageStore : IMessageStore
{
    public const string FileName = "parley.db";

    private readonly string _connectionString;
    private readonly string _readConnectionString;

    private SqliteMessageStore(string connectionString)
    {
        _connectionString = connectionString;
        _readConnectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
        Files = new SqliteFileCatalog(OpenConnection);
    }

    public string Path { get; private init; } = string.Empty;

    /// <summary>The schema version the file had before this open (0: new file).</summary>
    public int OpenedAtVersion { get; private init; }

    public bool IsInMemory => false;

    public IFileCatalog Files { get; }

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and applies any missing migrations.</summary>
    public static SqliteMessageStore Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        var before = SchemaMigrations.Apply(connection);
        return new SqliteMessageStore(connectionString) { Path = path, OpenedAtVersion = before };
    }

    public IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch)
    {
        var ids = new long[batch.Count];
        if (batch.Count == 0)
        {
            return ids;
        }

        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO messages (time, room, sender, target, content, color, pending) VALUES ($time, $room, $sender, $target, $content, $color, $pending) RETURNING id;";
        var time = command.Parameters.Add("$time", SqliteType.Integer);
        var room = command.Parameters.Add("$room", SqliteType.Text);
        var sender = command.Parameters.Add("$sender", SqliteType.Text);
        var target = command.Parameters.Add("$target", SqliteType.Text);
        var content = command.Parameters.Add("$content", SqliteType.Text);
        var color = command.Parameters.Add("$color", SqliteType.Text);
        var pending = command.Parameters.Add("$pending", SqliteType.Integer);
        command.Prepare();
        for (var i = 0; i < batch.Count; i++)
        {
            var m = batch[i];
            time.Value = m.Timestamp.ToUnixTimeMilliseconds();
            room.Value = (object?)m.Room ?? DBNull.Value;
            sender.Value = m.Sender;
            target.Value = (object?)m.Target ?? DBNull.Value;
            content.Value = m.Content;
            color.Value = (object?)m.Color ?? DBNull.Value;
            pending.Value = m.Pending ? 1 : 0;
            ids[i] = (long)command.ExecuteScalar()!;
        }

        transaction.Commit();
        return ids;
    }

    public IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM messages WHERE room = $room AND id < $before ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$before", beforeId ?? long.MaxValue);
        command.Parameters.AddWithValue("$limit", limit);
        var list = ReadMessages(command);
        list.Reverse();
        return list;
    }

    public IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit)
    {
        if (words.Count == 0 || rooms.Count == 0)
        {
            return [];
        }

        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        var roomParameters = new StringBuilder();
        var i = 0;
        foreach (var room in rooms)
        {
            roomParameters.Append(i == 0 ? "$r0" : $", $r{i}");
            command.Parameters.AddWithValue($"$r{i}", room);
            i++;
        }

        // Each word becomes a quoted FTS5 string, so user input can never be read as query syntax.
        var match = string.Join(' ', words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        command.CommandText = $"SELECT m.id, m.time, m.room, m.sender, m.target, m.content, m.color, m.pending FROM messages_fts f JOIN messages m ON m.id = f.rowid " +
            $"WHERE messages_fts MATCH $match AND m.room IN ({roomParameters}) ORDER BY m.id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadMessages(command);
    }

    public IReadOnlyList<StoredMessage> TakePending(string target)
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE messages SET pending = 0 WHERE pending = 1 AND target = $target COLLATE NOCASE RETURNING {Columns};";
        command.Parameters.AddWithValue("$target", target);
        var list = ReadMessages(command);
        transaction.Commit();
        list.Sort((a, b) => a.Id.CompareTo(b.Id));
        return list;
    }

    public int Prune(DateTimeOffset? olderThan, int? keep)
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var removed = 0;
        if (olderThan is { } cutoff)
        {
            command.CommandText = "DELETE FROM messages WHERE time < $cutoff AND pending = 0;";
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            removed += command.ExecuteNonQuery();
        }

        if (keep is { } max)
        {
            command.Parameters.Clear();
            command.CommandText = "DELETE FROM messages WHERE pending = 0 AND id <= (SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET $keep);";
            command.Parameters.AddWithValue("$keep", max);
            removed += command.ExecuteNonQuery();
        }

        transaction.Commit();
        return removed;
    }

    public IReadOnlyList<RoomRecord> LoadRooms()
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, topic, private, owner, invited FROM rooms ORDER BY name;";
        using var reader = command.ExecuteReader();
        var rooms = new List<RoomRecord>();
        while (reader.Read())
        {
            rooms.Add(new RoomRecord(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2) != 0,
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4).Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }

        return rooms;
    }

    public void SaveRoom(RoomRecord room)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO rooms (name, topic, private, owner, invited) VALUES ($name, $topic, $private, $owner, $invited);";
        command.Parameters.AddWithValue("$name", room.Name);
        command.Parameters.AddWithValue("$topic", (object?)room.Topic ?? DBNull.Value);
        command.Parameters.AddWithValue("$private", room.IsPrivate ? 1 : 0);
        command.Parameters.AddWithValue("$owner", (object?)room.Owner ?? DBNull.Value);
        command.Parameters.AddWithValue("$invited", string.Join('\n', room.Invited));
        command.ExecuteNonQuery();
    }

    public Account? FindAccount(string name)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, hash, salt, iterations, role, created FROM accounts WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new Account(
            reader.GetString(0),
            (byte[])reader[1],
            (byte[])reader[2],
            reader.GetInt32(3),
            reader.GetString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
    }

    public void SaveAccount(Account account)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO accounts (name, hash, salt, iterations, role, created) VALUES ($name, $hash, $salt, $iterations, $role, $created);";
        command.Parameters.AddWithValue("$name", account.Name);
        command.Parameters.AddWithValue("$hash", account.Hash);
        command.Parameters.AddWithValue("$salt", account.Salt);
        command.Parameters.AddWithValue("$iterations", account.Iterations);
        command.Parameters.AddWithValue("$role", account.Role);
        command.Parameters.AddWithValue("$created", account.Created.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<BanRecord> LoadBans()
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, until, by FROM bans;";
        using var reader = command.ExecuteReader();
        var bans = new List<BanRecord>();
        while (reader.Read())
        {
            bans.Add(new BanRecord(reader.GetString(0), reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2)));
        }

        return bans;
    }

    public void SaveBan(BanRecord ban)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO bans (name, until, by) VALUES ($name, $until, $by);";
        command.Parameters.AddWithValue("$name", ban.Name);
        command.Parameters.AddWithValue("$until", ban.Until is { } until ? until.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$by", ban.By);
        command.ExecuteNonQuery();
    }

    public void RemoveBan(string name)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM bans WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal) open; releasing them checkpoints the WAL. Readers go
        // first: the last connection to close does the checkpoint, and a read-only one could not.
        using var reader = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(reader);
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private const string Columns = "id, time, room, sender, target, content, color, pending";

    private static List<StoredMessage> ReadMessages(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var list = new List<StoredMessage>();
        while (reader.Read())
        {
            list.Add(new StoredMessage(
                reader.GetInt64(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6))
            { Pending = reader.GetInt64(7) != 0 });
        }

        return list;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL;");
        return connection;
    }
}
