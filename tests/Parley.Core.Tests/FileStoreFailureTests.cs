using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Protocol;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Core.Tests;

/// <summary>File sharing when the store cannot record a share: nothing half-shared, nothing left behind.</summary>
public sealed class FileStoreFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-file-store-failure-").FullName;
    private readonly FailingFileStore _store = new();
    private readonly Hub _hub;
    private readonly FileTransfers _files;

    public FileStoreFailureTests()
    {
        _hub = new Hub(new HubOptions { RateLimit = 0 }, new ManualTimeProvider(), new MemoryChatLog(), NullLogger<Hub>.Instance, _store);
        _files = new FileTransfers(_hub, new FileTransferOptions { Directory = _dir }, _ => "http://h", NullLogger.Instance);
        _hub.Files = _files;
    }

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_finished_upload_the_store_cannot_record_is_discarded_and_never_announced()
    {
        var alice = Join("alice");
        var bytes = RandomNumberGenerator.GetBytes(100);
        var upload = Offer(alice, bytes);
        _store.Broken = true;

        var result = await _files.WriteChunkAsync(upload.Id, Token(upload), 0, new MemoryStream(bytes), null, CancellationToken.None);

        Assert.Equal(ChunkStatus.StoreFailed, result.Status);
        Assert.Empty(Outbox.Events<FileSharedEvent>(alice));
        Assert.Equal(0, _files.UploadsInProgress);
        Assert.Empty(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Stored_content_offered_while_the_store_fails_gets_an_ordinary_upload_slot()
    {
        var alice = Join("alice");
        var bytes = RandomNumberGenerator.GetBytes(100);
        var first = Offer(alice, bytes);
        Assert.Equal(ChunkStatus.Complete, (await _files.WriteChunkAsync(first.Id, Token(first), 0, new MemoryStream(bytes), null, CancellationToken.None)).Status);
        Assert.Single(Outbox.Events<FileSharedEvent>(alice));

        // While the store works, the same content is shared at once: the answer, then the announcement.
        var stored = OfferEvents(alice, bytes);
        Assert.True(Assert.IsType<FileUploadEvent>(stored[0]).Complete);
        Assert.IsType<FileSharedEvent>(Assert.Single(stored, e => e is FileSharedEvent));

        _store.Broken = true;
        var failing = OfferEvents(alice, bytes);
        var slot = Assert.IsType<FileUploadEvent>(Assert.Single(failing));
        Assert.False(slot.Complete);
        Assert.NotEmpty(slot.UploadUrl);
    }

    private Session Join(string name)
    {
        var session = _hub.Connect("test", "mem", ProtocolKind.Json);
        _hub.HandleRequest(session, new ClientRequest("join") { Username = name });
        Outbox.Frames(session);
        return session;
    }

    private FileUploadEvent Offer(Session session, byte[] bytes) => Assert.IsType<FileUploadEvent>(OfferEvents(session, bytes)[0]);

    private IReadOnlyList<ServerEvent> OfferEvents(Session session, byte[] bytes)
    {
        _hub.HandleRequest(session, new ClientRequest("file_offer") { Name = "a.bin", Size = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) });
        return Outbox.Events(session);
    }

    private static string Token(FileUploadEvent upload) => upload.UploadPath[(upload.UploadPath.IndexOf("token=", StringComparison.Ordinal) + 6)..];
}
