using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>
/// The file side of <see cref="ChatApp"/>: /send offers a file on the chat connection and, once the
/// server gives it an upload slot, streams the bytes over HTTP in the background with a progress bar
/// in the prompt; files others share get a short number for /accept (or are saved at once with
/// --auto-accept), checked against their SHA-256 and saved without overwriting anything.
/// Background work reports back through the UI queue, so state is still only touched by the UI loop.
/// </summary>
internal sealed partial class ChatApp
{
    private readonly Queue<PendingOffer> _offers = new();
    private readonly Dictionary<string, FileSharedEvent> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _fileNumbers = new(StringComparer.Ordinal);
    private readonly List<string> _numberedIds = [];
    private HttpClient? _http;
    private int _transfers;
    private int _joins; // reconnects so far: an upload that fails across one says it may be sent again
    private bool _quitAfterTransfers;
    private string? _progress;

    private HttpClient Http => _http ??= new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

    private async Task OfferFileAsync(ChatClient client, UserAction.SendFile send)
    {
        var path = ExpandHome(send.Path);
        if (!File.Exists(path))
        {
            PrintInOrder([Error($"no such file: {send.Path}")]);
            return;
        }

        var size = new FileInfo(path).Length;
        var sha = await FileDownloader.HashFileAsync(path);
        _offers.Enqueue(new PendingOffer(path, size));
        await Sent(client.OfferFileAsync(Path.GetFileName(path), size, sha, send.Target, send.Room));
    }

    private void OnFileEvent(ServerEvent evt)
    {
        switch (evt)
        {
            case FileUploadEvent { Complete: true } stored when _offers.TryDequeue(out var offer):
                // The server had these bytes already (same SHA-256): shared, nothing to send.
                Print(Tone.System, $"{stored.Name} ({ByteSize.Format(offer.Size)}) is on the server already: shared without uploading");
                QuitIfIdle();
                break;
            case FileUploadEvent upload when _offers.TryDequeue(out var offer):
                StartUpload(upload, offer);
                break;
            case FileRefusedEvent refused:
                _offers.TryDequeue(out _);
                _screen.Print(_format.Format(refused));
                QuitIfIdle();
                break;
            case FileSharedEvent shared:
                _files[shared.Id] = shared;
                var own = string.Equals(shared.Sender, _name, StringComparison.OrdinalIgnoreCase);
                if (!own)
                {
                    NumberFor(shared.Id);
                }

                _screen.Print(_format.Format(shared));
                if (!own && _options.AutoAccept)
                {
                    StartDownload(shared);
                }

                break;
        }
    }

    private void Accept(string idOrNumber)
    {
        var id = int.TryParse(idOrNumber, out var n) && n >= 1 && n <= _numberedIds.Count ? _numberedIds[n - 1] : idOrNumber;
        if (!_files.TryGetValue(id, out var file))
        {
            PrintInOrder([Error($"no file {idOrNumber} (files are numbered as they are announced)")]);
            return;
        }

        StartDownload(file);
    }

    private void StartUpload(FileUploadEvent upload, PendingOffer offer)
    {
        _transfers++;
        var name = upload.Name;
        Print(Tone.System, $"Uploading {name} ({ByteSize.Format(offer.Size)})...");
        var lastShown = -1;
        var finished = false; // only touched on the UI loop
        var joins = _joins;

        // Progress<T> reports through the thread pool, so the last report can reach the UI loop after the
        // upload's end: a bar drawn then would stay in the prompt for good.
        var progress = new Progress<long>(done =>
        {
            var percent = offer.Size == 0 ? 100 : (int)(done * 100 / offer.Size);
            if (percent != Interlocked.Exchange(ref lastShown, percent))
            {
                _queue.Writer.TryWrite(new UiInput.Run(() =>
                {
                    if (!finished)
                    {
                        ShowProgress(name, percent);
                    }
                }));
            }
        });
        _ = Task.Run(async () =>
        {
            string? problem = null;
            try
            {
                // The server shares the file only if we are in the chat (and in its room) when the last byte
                // arrives: across a reconnect, the last chunk waits until we are back in our rooms.
                var uploader = new FileUploader(Http) { BeforeLastChunk = token => Ready.WaitAsync(token) };
                await uploader.UploadAsync(new Uri(upload.UploadUrl), offer.Path, upload.ChunkSize, progress);
            }
            catch (Exception ex) when (ex is FileTransferException or HttpRequestException or IOException or TaskCanceledException or UriFormatException)
            {
                problem = ex.Message;
            }

            _queue.Writer.TryWrite(new UiInput.Run(() =>
            {
                finished = true;
                ShowProgress(name, null);
                if (problem is not null)
                {
                    // A restarted server has forgotten its uploads; a refused rejoin leaves the room's share homeless.
                    var again = _joins != joins ? " (the connection was lost meanwhile; /send it again)" : "";
                    _screen.Print(Error($"upload of {name} failed: {problem}{again}"));
                }

                TransferDone();
            }));
        });
    }

    private void StartDownload(FileSharedEvent file)
    {
        _transfers++;
        var directory = _options.DownloadDirectory;
        Print(Tone.System, $"Saving {file.Name} ({ByteSize.Format(file.Size)}) from {file.Sender}...");
        _ = Task.Run(async () =>
        {
            string result;
            var ok = false;
            try
            {
                var saved = await new FileDownloader(Http).DownloadAsync(new Uri(file.Url), directory, file.Name, file.Sha256);
                result = $"Saved {file.Name} from {file.Sender} as {saved} (SHA-256 checked)";
                ok = true;
            }
            catch (Exception ex) when (ex is FileTransferException or HttpRequestException or IOException or UnauthorizedAccessException or TaskCanceledException or UriFormatException)
            {
                result = $"could not save {file.Name}: {ex.Message}";
            }

            _queue.Writer.TryWrite(new UiInput.Run(() =>
            {
                _screen.Print(ok ? _format.Now(Tone.System, result) : Error(result));
                TransferDone();
            }));
        });
    }

    private void TransferDone()
    {
        _transfers--;
        QuitIfIdle();
    }

    // Piped input ends with a quit; files still going out or coming in finish first.
    private void QuitAfterTransfers()
    {
        _quitAfterTransfers = true;
        QuitIfIdle();
    }

    private void QuitIfIdle()
    {
        if (_quitAfterTransfers && _transfers == 0 && _offers.Count == 0)
        {
            BeginQuit();
        }
    }

    // The bar lives in the prompt, the one row that is redrawn in place; null puts the plain prompt back.
    private void ShowProgress(string name, int? percent)
    {
        if (!_options.Interactive || _name is null)
        {
            return; // a transcript gets the start and end lines only
        }

        const int width = 20;
        _progress = percent is { } p ? $"[{new string('#', p * width / 100)}{new string('-', width - (p * width / 100))}] {p,3}% {name} " : null;
        _editor.Prompt = (_progress ?? "") + _name + "> ";
        _screen.RedrawEditor();
    }

    private int NumberFor(string id)
    {
        if (!_fileNumbers.TryGetValue(id, out var number))
        {
            _numberedIds.Add(id);
            number = _numberedIds.Count;
            _fileNumbers[id] = number;
        }

        return number;
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;

    private sealed record PendingOffer(string Path, long Size);
}
