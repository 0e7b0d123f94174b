using System.Threading.Channels;

namespace Parley.Cli.Chat;

/// <summary>
/// Reads standard input on a background thread (the console offers no cancellable read) and posts
/// it to the UI queue: single keys for the line editor when it is a terminal, whole lines otherwise.
/// The thread is a background one, so a read still blocked at exit does not keep the process alive.
/// </summary>
internal static class InputSource
{
    public static void Start(bool keys, ChannelWriter<UiInput> queue)
    {
        var thread = new Thread(() =>
        {
            try
            {
                if (keys)
                {
                    while (true)
                    {
                        queue.TryWrite(new UiInput.Key(Console.ReadKey(intercept: true)));
                    }
                }

                while (Console.In.ReadLine() is { } line)
                {
                    queue.TryWrite(new UiInput.Line(line));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // Input went away under us (terminal closed); that is the end of input.
            }

            queue.TryWrite(new UiInput.InputEnded());
        })
        {
            IsBackground = true,
            Name = "parley chat input",
        };
        thread.Start();
    }
}
