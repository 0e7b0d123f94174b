using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Parley.Core;

/// <summary>
/// Moves the file catalog of older versions (DATA/files/catalog.json) into the message store, once:
/// every share in it is added (shares already there are skipped, so an import cut short by a crash
/// simply runs again), then the file is renamed to catalog.json.imported and never read again.
/// </summary>
internal static class CatalogImport
{
    public const string FileName = "catalog.json";
    public const string ImportedSuffix = ".imported";

    /// <summary>Imports <paramref name="directory"/>/catalog.json if there is one; returns how many shares were added.</summary>
    public static int Run(string directory, IMessageStore store, ILogger logger)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return 0;
        }

        if (store.IsInMemory)
        {
            // Importing into memory and renaming the file would lose every share at exit.
            logger.LogWarning("{Path} is not imported: the message store is in memory. Its shares are unreachable until the server runs with the SQLite store", path);
            return 0;
        }

        List<StoredFile> files;
        try
        {
            files = JsonSerializer.Deserialize<List<StoredFile>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid file catalog: {ex.Message}", ex);
        }

        var added = 0;
        foreach (var file in files)
        {
            if (!IsWhole(file))
            {
                logger.LogWarning("{Path}: skipped an entry with missing fields ({Id})", path, file.Id);
                continue;
            }

            if (store.Files.Find(file.Id) is null)
            {
                store.Files.Add(file);
                added++;
            }
        }

        File.Move(path, path + ImportedSuffix, overwrite: true);
        logger.LogInformation("Imported {Count} shared files from {Path} into the message store; the old file is now {Name}", added, path, FileName + ImportedSuffix);
        return added;
    }

    // The JSON serializer does not enforce non-nullable properties: a hand-edited file may lack some.
    private static bool IsWhole(StoredFile f) =>
        !string.IsNullOrEmpty(f.Id) && f.Sha256 is { Length: 64 } && f.Sha256.All(Uri.IsHexDigit) &&
        !string.IsNullOrEmpty(f.Name) && !string.IsNullOrEmpty(f.Sender) && !string.IsNullOrEmpty(f.Token);
}
