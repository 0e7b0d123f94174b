using System.Buffers;
using System.Text;

namespace Parley.Protocol;

/// <summary>Strict UTF-8 decoding: invalid input is rejected, never silently replaced.</summary>
public static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(in ReadOnlySequence<byte> bytes, out string text)
    {
        if (bytes.IsSingleSegment)
        {
            return TryDecode(bytes.FirstSpan, out text);
        }

        var length = checked((int)bytes.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            return TryDecode(rented.AsSpan(0, length), out text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            text = string.Empty;
            return false;
        }

        text = Strict.GetString(bytes);
        return true;
    }
}
