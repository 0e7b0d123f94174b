using System.Globalization;
using Parley.Bench;

namespace Parley.Cli;

/// <summary>
/// The progress line of `parley bench` on stderr: redrawn in place on a terminal, otherwise one
/// line a second so a log stays readable. Snapshots come from timer threads, hence the lock.
/// </summary>
internal sealed class BenchProgressDisplay(TextWriter output)
{
    private readonly Lock _gate = new();
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private DateTime _lastLine = DateTime.MinValue;
    private int _width;
    private bool _finished;

    public void Show(BenchProgress p)
    {
        var text = p.Phase switch
        {
            "connect" => string.Format(CultureInfo.InvariantCulture, "connect  {0}/{1} registered, {2} failed", p.Registered, p.Total, p.Failed),
            "probe" => string.Format(CultureInfo.InvariantCulture, "probe    {0}/{1} clients saw it ({2:0.0} s)", p.Registered, p.Total, p.Elapsed.TotalSeconds),
            "hold" => string.Format(CultureInfo.InvariantCulture, "hold     {0:0.0} s, {1} registered, {2} dropped", p.Elapsed.TotalSeconds, p.Registered, p.Dropped),
            _ => string.Format(
                CultureInfo.InvariantCulture,
                "{0,-8} sent {1:N0}/{2:N0}  delivered {3:N0}/{4:N0} ({5:0.0} %)  {6}  dropped {7}",
                p.Phase,
                p.Sent,
                p.Messages,
                p.Delivered,
                p.Expected,
                p.Expected == 0 ? 0 : p.Delivered * 100.0 / p.Expected,
                p.Elapsed.TotalSeconds > 0 ? string.Format(CultureInfo.InvariantCulture, "{0:N0}/s", p.Delivered / p.Elapsed.TotalSeconds) : "",
                p.Dropped),
        };

        lock (_gate)
        {
            if (_finished)
            {
                return; // a timer's last snapshot arriving after the summary
            }

            if (_terminal)
            {
                output.Write("\r" + text.PadRight(_width));
                _width = text.Length;
            }
            else if (DateTime.UtcNow - _lastLine >= TimeSpan.FromSeconds(1))
            {
                _lastLine = DateTime.UtcNow;
                output.WriteLine(text);
            }
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            if (_terminal && _width > 0)
            {
                output.WriteLine();
                _width = 0;
            }
        }
    }
}
