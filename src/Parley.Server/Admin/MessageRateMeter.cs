using Parley.Core;

namespace Parley.Server.Admin;

/// <summary>
/// Messages per second over the last few seconds: a timer samples the hub's message counter once a
/// second, so the figure is the same whoever asks and however often.
/// </summary>
internal sealed class MessageRateMeter : IDisposable
{
    private const int Window = 10;

    private readonly Hub _hub;
    private readonly TimeProvider _time;
    private readonly Queue<(long Timestamp, long Total)> _samples = new();
    private readonly ITimer _timer;

    public MessageRateMeter(Hub hub, TimeProvider time)
    {
        _hub = hub;
        _time = time;
        Sample();
        _timer = time.CreateTimer(static state => ((MessageRateMeter)state!).Sample(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public double MessagesPerSecond
    {
        get
        {
            lock (_samples)
            {
                var first = _samples.Peek();
                var now = _time.GetTimestamp();
                var seconds = _time.GetElapsedTime(first.Timestamp, now).TotalSeconds;
                return seconds < 0.5 ? 0 : Math.Round((_hub.MessagesTotal - first.Total) / seconds, 2);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        lock (_samples)
        {
            _samples.Enqueue((_time.GetTimestamp(), _hub.MessagesTotal));
            while (_samples.Count > Window + 1)
            {
                _samples.Dequeue();
            }
        }
    }
}
