using Microsoft.Extensions.Hosting;
using Parley.Core;

namespace Parley.Server;

/// <summary>
/// Runs the hub's graceful shutdown in the host's "stopping" phase, which comes before any hosted
/// service (Kestrel included) stops: clients are told and drained while their connections still
/// exist, and nothing blocks a thread while it happens.
/// </summary>
internal sealed class HubShutdownService(Hub hub, ServerOptions options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => hub.ShutdownAsync(options.ShutdownGrace);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
