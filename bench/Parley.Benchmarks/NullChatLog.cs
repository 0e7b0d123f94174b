using Parley.Core;

namespace Parley.Benchmarks;

/// <summary>chat.log that writes nothing: the file writer runs on its own loop and is not what is measured.</summary>
internal sealed class NullChatLog : IChatLog
{
    public void Write(DateTimeOffset time, string line)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
