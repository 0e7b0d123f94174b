using Microsoft.Extensions.Logging;

namespace Parley.Server.Admin;

/// <summary>
/// Copies the server's own log (connections, kicks, refusals, operator actions) into the activity log,
/// so the admin page shows what the console shows. Only Parley's categories are registered for it.
/// </summary>
internal sealed class ActivityLoggerProvider(ActivityLog activity) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ActivityLogger(activity);

    public void Dispose()
    {
    }

    private sealed class ActivityLogger(ActivityLog activity) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var kind = logLevel switch
            {
                LogLevel.Warning => "warning",
                >= LogLevel.Error => "error",
                _ => "info",
            };
            activity.Add(kind, formatter(state, exception));
        }
    }
}
