using System.Security.Cryptography;
using Parley.Protocol;

namespace Parley.Client;

/// <summary>
/// Saves a shared file: streams it to a part file beside its destination while hashing, checks the
/// SHA-256 the server announced, and only then gives it its name, the sender's name made safe again
/// here (<see cref="FileNameRules"/>), never replacing a file: <c>report (1).pdf</c> when
/// <c>report.pdf</c> exists.
/// </summary>
public sealed class FileDownloader(HttpClient http)
{
    public async Task<string> DownloadAsync(Uri url, string directory, string name, string sha256, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var part = Path.Combine(directory, "." + Guid.NewGuid().ToString("N") + ".part");
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FileTransferException($"The server answered {(int)response.StatusCode} {response.StatusCode} (expired, or not yours to fetch)");
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = new byte[64 * 1024];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;
                    progress?.Report(total);
                }
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new FileTransferException($"The download's SHA-256 is {actual}, not the announced {sha256}; it was not kept");
            }

            return MoveToFreeName(part, directory, FileNameRules.Sanitize(name));
        }
        finally
        {
            File.Delete(part);
        }
    }

    /// <summary><c>name</c>, else <c>name (1)</c>, <c>name (2)</c>, ... : the first that does not exist, claimed atomically.</summary>
    public static string MoveToFreeName(string source, string directory, string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 0; ; n++)
        {
            var candidate = Path.Combine(directory, n == 0 ? name : $"{stem} ({n}){extension}");
            try
            {
                File.Move(source, candidate, overwrite: false);
                return candidate;
            }
            catch (IOException) when (File.Exists(candidate) || Directory.Exists(candidate))
            {
            }
        }
    }

    /// <summary>SHA-256 of a file, lower-case hex, reading it in a stream.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }
}
