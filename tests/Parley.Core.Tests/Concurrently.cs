namespace Parley.Core.Tests;

/// <summary>
/// Runs actions on dedicated threads released together. Dedicated because they block on a barrier:
/// on a busy two-core machine the thread pool would add its threads one by one, slowly.
/// </summary>
internal static class Concurrently
{
    public static async Task RunAsync<T>(IReadOnlyList<T> items, Action<T, int> action)
    {
        using var start = new Barrier(items.Count);
        var tasks = items.Select((item, i) => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                action(item, i);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));
        await Task.WhenAll(tasks);
    }
}
