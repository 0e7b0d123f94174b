using System.Buffers;

namespace Parley.Protocol;

/// <summary>
/// The event writers' <c>Encode</c>: write into this thread's buffer and copy out exactly what was written. A
/// fresh growing buffer per event left a trail of doubled arrays, 16 KB of garbage for a 500-name welcome.
/// </summary>
internal static class EncodeBuffer
{
    private const int KeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Encode<TState>(TState state, Action<TState, IBufferWriter<byte>> write)
    {
        // Taken out of the field while in use, so that a nested call could never share it.
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        t_buffer = null;
        try
        {
            write(state, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity <= KeptBytes)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
            }
        }
    }
}
