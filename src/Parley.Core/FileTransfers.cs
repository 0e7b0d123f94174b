using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>
/// File sharing beside the chat: an offer on the chat connection reserves an upload, the bytes arrive
/// in chunks through the web port (never on the chat connection, so nobody's messages queue behind
/// them), each chunk goes straight to a part file, and only when the whole file is there and its
/// SHA-256 checks out is it stored once by content hash and announced. Nothing half-uploaded is ever
/// visible; idle uploads are deleted after <see cref="FileTransferOptions.UploadTimeout"/>. An offer
/// that names a SHA-256 the server already holds may be shared at once (FileTransfers.Stored.cs).
/// Which shares exist is the message store's business (<see cref="IMessageStore.Files"/>).
/// </summary>
public sealed partial class FileTransfers : IDisposable
{
    private const int CopyBufferSize = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingUpload> _uploads = new(StringComparer.Ordinal);
    private readonly Hub _hub;
    private readonly IFileCatalog _catalog;
    private readonly Func<Session, string> _baseUrl;
    private readonly ILogger _logger;
    private readonly ITimer _sweeper;
    private long _reserved;
    private long _stored;

    public FileTransfers(Hub hub, FileTransferOptions options, Func<Session, string> baseUrl, ILogger logger)
    {
        _hub = hub;
        Options = options;
        _catalog = hub.Store.Files;
        _baseUrl = baseUrl;
        _logger = logger;
        Directory.CreateDirectory(BlobDirectory);
        Directory.CreateDirectory(PartDirectory);

        // Parts left by a previous run belong to uploads nobody can resume (their tokens were in memory).
        foreach (var part in Directory.EnumerateFiles(PartDirectory))
        {
            File.Delete(part);
        }

        CatalogImport.Run(options.Directory, hub.Store, logger);
        _stored = _catalog.ContentBytes();
        _sweeper = hub.Time.CreateTimer(static state => ((FileTransfers)state!).Sweep(), this, options.SweepInterval, options.SweepInterval);
    }

    public FileTransferOptions Options { get; }

    /// <summary>Bytes of shared contents (each content once), as the store counts them.</summary>
    public long StoredBytes => Interlocked.Read(ref _stored);

    public int UploadsInProgress
    {
        get
        {
            lock (_gate)
            {
                return _uploads.Count;
            }
        }
    }

    public string BlobDirectory => Path.Combine(Options.Directory, "blobs");

    public string PartDirectory => Path.Combine(Options.Directory, "uploads");

    /// <summary>The share with this id, if <paramref name="token"/> is its capability; otherwise null.</summary>
    public StoredFile? Find(string id, string? token)
    {
        var file = _catalog.Find(id);
        return file is not null && TokenMatches(file.Token, token) && File.Exists(BlobPath(file.Sha256)) ? file : null;
    }

    public string BlobPath(string sha256) => Path.Combine(BlobDirectory, sha256[..2], sha256);

    /// <summary>
    /// Handles a <c>file_offer</c>: validates it and answers the sender with an upload slot or a refusal.
    /// <paramref name="roomName"/> (JSON <c>room</c>) picks a room the sender is in; null means the current room.
    /// </summary>
    internal void Offer(Session sender, string offeredName, string sizeText, string sha256, string targetName, string? roomName)
    {
        var name = FileNameRules.Sanitize(offeredName);
        void Refuse(string code, string message) => sender.Send(_hub.Frame(new FileRefusedEvent(name, code, message)));

        if (!long.TryParse(sizeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            Refuse(ErrorCodes.InvalidFile, "Field 'size' must be a whole number of bytes");
            return;
        }

        if (size > Options.MaxFileSize)
        {
            Refuse(ErrorCodes.FileTooLarge, $"{name} is {ByteSize.Format(size)}; files may be at most {ByteSize.Format(Options.MaxFileSize)}");
            return;
        }

        string? expected = null;
        if (sha256.Length > 0)
        {
            expected = sha256.ToLowerInvariant();
            if (expected.Length != 64 || !expected.All(Uri.IsHexDigit))
            {
                Refuse(ErrorCodes.InvalidFile, "Field 'sha256' must be 64 hexadecimal digits");
                return;
            }
        }

        Session? recipient = null;
        if (targetName.Length > 0 && (recipient = _hub.Find(targetName)) is null)
        {
            Refuse(ErrorCodes.UnknownUser, $"User '{TextSanitizer.Clean(targetName)}' is not online");
            return;
        }

        var target = recipient?.Username;
        if (target is not null && roomName is not null)
        {
            Refuse(ErrorCodes.InvalidFile, "A file goes to a room or to one person (target), not both");
            return;
        }

        // A public share goes to the room the offer was made in (or named), even if the sender moves on meanwhile.
        string? room = null;
        if (target is null && (room = OfferRoom(sender, roomName)) is null)
        {
            Refuse(ErrorCodes.NotInRoom, $"You are not in {TextSanitizer.Clean(roomName!)}; /join it first");
            return;
        }

        if (expected is not null && TryShareStored(sender, name, size, expected, recipient, room))
        {
            return;
        }

        var upload = new PendingUpload(NewId(), NewToken(), sender.Username!, target, room, name, size, expected, _hub.Time.GetTimestamp());
        lock (_gate)
        {
            if (Options.MaxUploadsPerUser > 0 && _uploads.Values.Count(u => UsernameRules.Comparer.Equals(u.Sender, upload.Sender)) >= Options.MaxUploadsPerUser)
            {
                Refuse(ErrorCodes.TooManyUploads, $"You already have {Options.MaxUploadsPerUser} uploads in progress, the most one user may; let one finish first");
                return;
            }

            if (StoredBytes + _reserved + size > Options.QuotaBytes)
            {
                Refuse(ErrorCodes.QuotaExceeded, $"The server's file storage is full ({ByteSize.Format(Options.QuotaBytes)}); try a smaller file or later");
                return;
            }

            _reserved += size;
            _uploads.Add(upload.Id, upload);
        }

        File.Create(PartPath(upload.Id)).Dispose();
        var path = $"/files/uploads/{upload.Id}?token={upload.Token}";
        sender.Send(_hub.Frame(new FileUploadEvent(upload.Id, name, size, _baseUrl(sender) + path, path, Options.ChunkSize)));
        _logger.LogInformation("{User} offers {Name} ({Size}) to {Target}: upload {Id}", upload.Sender, name, ByteSize.Format(size), target ?? room, upload.Id);
    }

    /// <summary>Where an upload stands (for resuming), or null when there is no such upload for this token.</summary>
    public ChunkResult Status(string id, string? token)
    {
        var upload = Get(id, token);
        return upload is null ? NotFound() : new ChunkResult(ChunkStatus.Accepted, upload.Offset, upload.Size);
    }

    /// <summary>Abandons an upload and deletes its part. False when there is no such upload for this token.</summary>
    public bool Cancel(string id, string? token)
    {
        var upload = Get(id, token);
        if (upload is null)
        {
            return false;
        }

        Drop(upload, "cancelled");
        return true;
    }

    /// <summary>
    /// Appends one chunk at <paramref name="offset"/>, which must be where the upload stands. A chunk is
    /// all or nothing: if it breaks off, is too long or fails <paramref name="chunkSha256"/>, the part is cut
    /// back and the client resumes from the returned offset. The last chunk completes the upload.
    /// </summary>
    public async Task<ChunkResult> WriteChunkAsync(string id, string? token, long offset, Stream body, string? chunkSha256, CancellationToken cancellationToken)
    {
        var upload = Get(id, token);
        if (upload is null)
        {
            return NotFound();
        }

        lock (upload)
        {
            if (upload.Busy)
            {
                return new ChunkResult(ChunkStatus.Busy, upload.Offset, upload.Size, "Another chunk of this upload is being received");
            }

            if (offset != upload.Offset)
            {
                return new ChunkResult(ChunkStatus.WrongOffset, upload.Offset, upload.Size, $"Chunks must arrive in order: the next one starts at byte {upload.Offset}, not {offset}");
            }

            upload.Busy = true;
        }

        try
        {
            upload.Touch(_hub.Time.GetTimestamp());
            var written = await AppendAsync(upload, body, chunkSha256, cancellationToken).ConfigureAwait(false);
            if (written.Status != ChunkStatus.Accepted)
            {
                return written;
            }

            upload.Touch(_hub.Time.GetTimestamp());
            return upload.Offset < upload.Size
                ? new ChunkResult(ChunkStatus.Accepted, upload.Offset, upload.Size)
                : await CompleteAsync(upload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (upload)
            {
                upload.Busy = false;
            }
        }
    }

    /// <summary>Deletes abandoned uploads and files past their retention. Runs on a timer; public for tests and operators.</summary>
    public void Sweep()
    {
        var now = _hub.Time.GetTimestamp();
        PendingUpload[] idle;
        lock (_gate)
        {
            idle = [.. _uploads.Values.Where(u => !u.Busy && _hub.Time.GetElapsedTime(u.LastActivity, now) >= Options.UploadTimeout)];
        }

        foreach (var upload in idle)
        {
            Drop(upload, "abandoned");
        }

        var cutoff = _hub.Time.GetUtcNow() - Options.Retention;
        var expired = _catalog.SharedBefore(cutoff);
        if (expired.Count == 0)
        {
            return;
        }

        // Under the lock, so no upload completes against (or shares at once) a blob being deleted.
        lock (_gate)
        {
            _catalog.Remove([.. expired.Select(f => f.Id)]);
            foreach (var sha in expired.Select(f => f.Sha256).Distinct(StringComparer.Ordinal).Where(s => _catalog.WithContent(s).Count == 0))
            {
                TryDelete(BlobPath(sha));
            }

            Interlocked.Exchange(ref _stored, _catalog.ContentBytes());
        }

        _logger.LogInformation("Deleted {Count} shared files past their retention of {Retention}", expired.Count, Options.Retention);
    }

    public void Dispose() => _sweeper.Dispose();

    private async Task<ChunkResult> AppendAsync(PendingUpload upload, Stream body, string? chunkSha256, CancellationToken cancellationToken)
    {
        var start = upload.Offset;
        var room = upload.Size - start;
        using var hash = chunkSha256 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        long received = 0;
        var stream = new FileStream(PartPath(upload.Id), FileMode.Open, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            stream.Position = start;
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    received += read;
                    if (received > room || received > Options.MaxChunkSize)
                    {
                        stream.SetLength(start);
                        return new ChunkResult(ChunkStatus.TooLarge, start, upload.Size, received > room
                            ? $"The chunk goes past the end of the file ({upload.Size} bytes)"
                            : $"Chunks may be at most {Options.MaxChunkSize} bytes");
                    }

                    hash?.AppendData(buffer, 0, read);
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                // The client went away mid-chunk: the chunk never happened, and it resumes from its start.
                stream.SetLength(start);
                throw;
            }

            if (hash is not null && !string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), chunkSha256, StringComparison.OrdinalIgnoreCase))
            {
                stream.SetLength(start);
                return new ChunkResult(ChunkStatus.BadChunkHash, start, upload.Size, "The chunk's SHA-256 does not match its bytes; send it again");
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        upload.Offset = start + received;
        return new ChunkResult(ChunkStatus.Accepted, upload.Offset, upload.Size);
    }

    private async Task<ChunkResult> CompleteAsync(PendingUpload upload, CancellationToken cancellationToken)
    {
        var part = PartPath(upload.Id);
        string sha;
        var stream = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        if (upload.ExpectedSha256 is { } expected && expected != sha)
        {
            Drop(upload, "wrong SHA-256");
            return new ChunkResult(ChunkStatus.BadFileHash, 0, upload.Size, $"The file's SHA-256 is {sha}, not the {expected} offered; the upload is discarded");
        }

        if (_hub.Find(upload.Sender) is not { } sender)
        {
            Drop(upload, "sender left");
            return new ChunkResult(ChunkStatus.Gone, 0, upload.Size, $"{upload.Sender} is not in the chat any more; the file was not shared");
        }

        Session? target = null;
        if (upload.Target is not null && (target = _hub.Find(upload.Target)) is null)
        {
            Drop(upload, "recipient left");
            return new ChunkResult(ChunkStatus.Gone, 0, upload.Size, $"{upload.Target} is not online any more; the file was not sent");
        }

        if (upload.Room is { } roomName && !InRoom(sender, roomName))
        {
            Drop(upload, "sender left the room");
            return new ChunkResult(ChunkStatus.Gone, 0, upload.Size, $"{upload.Sender} is not in {roomName} any more; the file was not shared");
        }

        var file = new StoredFile(NewId(), sha, upload.Name, upload.Size, upload.Sender, upload.Target, NewToken(), _hub.Time.GetUtcNow()) { Room = upload.Room };
        var blob = BlobPath(sha);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        lock (_gate)
        {
            _uploads.Remove(upload.Id);
            _reserved -= upload.Size;

            // The row first: a crash before the blob is in place leaves a row that finds nothing (and
            // goes at retention), never a blob that no row owns and nothing would ever delete.
            try
            {
                _catalog.Add(file);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "Could not record {Name} from {User} in the store; the upload is discarded", upload.Name, upload.Sender);
                TryDelete(part);
                return new ChunkResult(ChunkStatus.StoreFailed, 0, upload.Size, "The server could not record the file (its storage failed); it was not shared");
            }

            if (File.Exists(blob))
            {
                File.Delete(part); // the same bytes are stored already: keep one copy
            }
            else
            {
                File.Move(part, blob);
                _stored += upload.Size;
            }
        }

        var url = Announce(sender, target, file);
        return new ChunkResult(ChunkStatus.Complete, upload.Size, upload.Size, null, file, url);
    }

    private string Announce(Session sender, Session? target, StoredFile file)
    {
        var path = DownloadPath(file);
        var url = _baseUrl(sender) + path;
        _hub.ShareFile(sender, target, new FileSharedEvent(file.Id, file.Sender, file.Target, file.Name, file.Size, file.Sha256, url, path, file.SharedAt) { Room = file.Room });
        _logger.LogInformation("{User} shared {Name} ({Size}, sha256 {Sha}) with {Target}", file.Sender, file.Name, ByteSize.Format(file.Size), file.Sha256, file.Target ?? file.Room);
        return url;
    }

    // The canonical name of the room an offer goes to, or null when the sender is not in the named room.
    private string? OfferRoom(Session sender, string? name)
    {
        if (name is null)
        {
            return _hub.CurrentRoom(sender).Name;
        }

        return _hub.FindRoom(name) is { } room && (room.IsGeneral || _hub.IsMember(room, sender)) ? room.Name : null;
    }

    private bool InRoom(Session session, string name) =>
        _hub.FindRoom(name) is { } room && (room.IsGeneral || _hub.IsMember(room, session));

    /// <summary>The download link's path: the id, the name (for people and for "save as"), the capability.</summary>
    public static string DownloadPath(StoredFile file) => $"/files/{file.Id}/{Uri.EscapeDataString(file.Name)}?token={file.Token}";

    private PendingUpload? Get(string id, string? token)
    {
        lock (_gate)
        {
            return _uploads.TryGetValue(id, out var upload) && TokenMatches(upload.Token, token) ? upload : null;
        }
    }

    private void Drop(PendingUpload upload, string why)
    {
        lock (_gate)
        {
            if (!_uploads.Remove(upload.Id))
            {
                return;
            }

            _reserved -= upload.Size;
        }

        TryDelete(PartPath(upload.Id));
        _logger.LogInformation("Upload {Id} of {Name} by {User} dropped: {Why}", upload.Id, upload.Name, upload.Sender, why);
    }

    private string PartPath(string id) => Path.Combine(PartDirectory, id + ".part");

    private static ChunkResult NotFound() => new(ChunkStatus.NotFound, 0, 0, "No such upload (finished, cancelled, abandoned, or a wrong token)");

    private static bool TokenMatches(string expected, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(presented));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A download still reading it on a system that locks open files: the next sweep tries again.
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
