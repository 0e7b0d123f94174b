using System.Globalization;

namespace Parley.Bench;

/// <summary>
/// What Linux says about a process and the machine (/proc). Every reader returns null when the
/// file is missing or unreadable, so a run against a remote or exited server still completes.
/// </summary>
internal static class ProcStats
{
    // USER_HZ is 100 on every Linux architecture .NET runs on; /proc/PID/stat counts in it.
    private const double ClockTicksPerSecond = 100;

    /// <summary>Resident and peak resident memory in KiB (VmRSS, VmHWM).</summary>
    public static (long RssKib, long HwmKib)? ReadMemory(int pid)
    {
        try
        {
            long? rss = null, hwm = null;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = ParseKib(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = ParseKib(line);
                }
            }

            return rss is { } r && hwm is { } h ? (r, h) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User plus system CPU seconds the process has used so far.</summary>
    public static double? ReadCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may contain spaces; count from after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / ClockTicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Kernel memory held by TCP buffers, whole machine, in KiB (/proc/net/sockstat "TCP: ... mem N" pages).</summary>
    public static long? ReadTcpMemoryKib()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/net/sockstat"))
            {
                if (!line.StartsWith("TCP:", StringComparison.Ordinal))
                {
                    continue;
                }

                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var mem = Array.IndexOf(parts, "mem");
                if (mem > 0 && mem + 1 < parts.Length && long.TryParse(parts[mem + 1], CultureInfo.InvariantCulture, out var pages))
                {
                    return pages * Environment.SystemPageSize / 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static long ParseKib(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(parts[1], CultureInfo.InvariantCulture);
    }
}
