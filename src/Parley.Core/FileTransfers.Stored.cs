using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>Offers of content the server already stores: shared at once, without an upload.</summary>
public sealed partial class FileTransfers
{
    /// <summary>
    /// Shares an offered SHA-256 whose bytes are stored already, without an upload. Only content the
    /// sender has been given a share of (sent, received, or announced in a public room) qualifies, so an
    /// offer cannot be used to learn what others exchanged privately or to obtain it by its hash alone;
    /// any other offer is uploaded as usual and deduplicated after (invisibly to the client).
    /// </summary>
    private bool TryShareStored(Session sender, string name, long size, string sha256, Session? recipient, string? room)
    {
        var file = new StoredFile(NewId(), sha256, name, size, sender.Username!, recipient?.Username, NewToken(), _hub.Time.GetUtcNow()) { Room = room };
        try
        {
            if (!_catalog.WithContent(sha256).Any(f => f.Size == size && SeenBy(sender, f)))
            {
                return false;
            }

            lock (_gate)
            {
                if (!File.Exists(BlobPath(sha256)))
                {
                    return false; // its row outlived the blob (a crash mid-share): upload it again
                }

                _catalog.Add(file);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store failed: the ordinary upload path is still there, and reports a failure at its end.
            _logger.LogError(ex, "Could not share stored content {Sha} for {User}", sha256, sender.Username);
            return false;
        }

        var path = DownloadPath(file);
        sender.Send(_hub.Frame(new FileUploadEvent(file.Id, name, size, "", "", 0) { Complete = true, Url = _baseUrl(sender) + path, Path = path }));
        Announce(sender, recipient, file);
        return true;
    }

    private bool SeenBy(Session session, StoredFile file) =>
        UsernameRules.Comparer.Equals(file.Sender, session.Username) ||
        (file.Target is not null && UsernameRules.Comparer.Equals(file.Target, session.Username)) ||
        (file.Room is not null && _hub.FindRoom(file.Room) is { IsPrivate: false });
}
