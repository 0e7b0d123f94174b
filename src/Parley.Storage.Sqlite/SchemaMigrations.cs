using Microsoft.Data.Sqlite;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The schema, as numbered steps. <c>PRAGMA user_version</c> records how many have been applied; start-up
/// applies the missing ones in order, each in its own transaction. Steps are never edited once shipped:
/// a change is a new step.
/// </summary>
internal static class SchemaMigrations
{
    public static readonly string[] Steps =
    [
        // 1: messages and rooms.
        """
        CREATE TABLE messages (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            time    INTEGER NOT NULL,            -- Unix milliseconds, UTC
            room    TEXT,                        -- null for private messages
            sender  TEXT NOT NULL,
            target  TEXT,                        -- private messages only
            content TEXT NOT NULL,
            color   TEXT,
            pending INTEGER NOT NULL DEFAULT 0   -- 1: private message waiting for an offline user
        );
        CREATE INDEX messages_room ON messages (room, id);
        CREATE INDEX messages_pending ON messages (target) WHERE pending = 1;
        CREATE TABLE rooms (
            name    TEXT PRIMARY KEY COLLATE NOCASE,
            topic   TEXT,
            private INTEGER NOT NULL DEFAULT 0,
            owner   TEXT,
            invited TEXT NOT NULL DEFAULT ''     -- names, one per line
        );
        """,

        // 2: accounts, bans, full-text search over room messages (indexing what step 1 already stored).
        """
        CREATE TABLE accounts (
            name       TEXT PRIMARY KEY COLLATE NOCASE,
            hash       BLOB NOT NULL,
            salt       BLOB NOT NULL,
            iterations INTEGER NOT NULL,
            role       TEXT NOT NULL,
            created    INTEGER NOT NULL
        );
        CREATE TABLE bans (
            name    TEXT PRIMARY KEY COLLATE NOCASE,
            until   INTEGER,                     -- null: for good
            by      TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE messages_fts USING fts5 (content, content = 'messages', content_rowid = 'id', tokenize = 'unicode61');
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.room IS NOT NULL BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.room IS NOT NULL BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        END;
        INSERT INTO messages_fts (rowid, content) SELECT id, content FROM messages WHERE room IS NOT NULL;
        """,

        // 3: shared files (metadata; the bytes are blobs under DATA/files). Before this step they were
        // in DATA/files/catalog.json, which the server imports once at its next start.
        """
        CREATE TABLE files (
            id      TEXT PRIMARY KEY,
            sha256  TEXT NOT NULL,               -- lower-case hex: names the blob
            name    TEXT NOT NULL,               -- as announced, already made safe
            size    INTEGER NOT NULL,
            sender  TEXT NOT NULL,
            room    TEXT,                        -- public shares: the room it was announced in
            target  TEXT,                        -- private shares: the recipient
            token   TEXT NOT NULL,               -- the download capability
            time    INTEGER NOT NULL             -- Unix milliseconds, UTC
        );
        CREATE INDEX files_sha256 ON files (sha256);
        CREATE INDEX files_time ON files (time);
        """,
    ];

    public static int Latest => Steps.Length;

    /// <summary>Brings the database up to <paramref name="target"/> (default: the latest step). Returns the version it started at.</summary>
    public static int Apply(SqliteConnection connection, int? target = null)
    {
        var current = Version(connection);
        var goal = target ?? Latest;
        if (current > Latest)
        {
            throw new InvalidOperationException($"parley.db has schema version {current}, newer than this Parley understands ({Latest}); use a newer Parley");
        }

        for (var version = current; version < goal; version++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Steps[version] + $"\nPRAGMA user_version = {version + 1};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return current;
    }

    public static int Version(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
