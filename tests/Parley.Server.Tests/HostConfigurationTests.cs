using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The web host underneath is configured by Parley alone, and watches no files.</summary>
public sealed class HostConfigurationTests
{
    [Fact]
    public async Task The_host_watches_no_configuration_files()
    {
        await using var server = await TestServer.StartAsync();
        var configuration = (IConfigurationRoot)server.Server.Services.GetRequiredService<IConfiguration>();

        // appsettings.json reloading used to watch the current directory recursively: one inotify watch per
        // directory beneath it (3,583 when run from /tmp).
        var watched = configuration.Providers.OfType<FileConfigurationProvider>().Where(p => p.Source.ReloadOnChange).ToList();
        Assert.Empty(watched);
    }
}
