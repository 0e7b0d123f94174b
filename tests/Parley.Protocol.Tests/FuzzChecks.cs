using System.Text;
using System.Text.Json;
using Parley.Protocol.Events;

namespace Parley.Protocol.Tests;

/// <summary>
/// The invariants every input must keep on its way LineFramer → Utf8Text → JsonRequestParser /
/// TextCommand → TextSanitizer → event writers. Throws (any exception) when one breaks.
/// </summary>
internal static class FuzzChecks
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, 123, TimeSpan.Zero);

    private static readonly HashSet<string> ParserErrors = [ErrorCodes.InvalidJson, ErrorCodes.InvalidField, ErrorCodes.MissingField];

    public static void Check(byte[] input, int maxLineBytes, Random rng)
    {
        var (expected, pending) = ReferenceFramer.Frame(input, maxLineBytes);

        var runs = new List<(string How, FramingRun Run)>
        {
            ("whole", FramerDriver.Whole(maxLineBytes, input)),
            ("random splits", FramerDriver.Run(maxLineBytes, Segments.Chunks(input, RandomCuts(rng, input.Length)))),
        };
        if (input.Length <= 512)
        {
            runs.Add(("bytewise", FramerDriver.Bytewise(maxLineBytes, input)));
        }

        foreach (var (how, run) in runs)
        {
            Require(expected.SequenceEqual(run.Outcomes), $"{how}: outcomes differ from the reference.\n expected: {string.Join(", ", expected)}\n actual:   {string.Join(", ", run.Outcomes)}");
            Require(pending.AsSpan().SequenceEqual(run.Leftover), $"{how}: left {run.Leftover.Length} bytes unconsumed, expected {pending.Length}");
            Require(run.MaxPending <= maxLineBytes + 1, $"{how}: buffered {run.MaxPending} bytes with a limit of {maxLineBytes}");
        }

        foreach (var outcome in expected.Where(o => o.Status == LineStatus.Line))
        {
            var line = Encoding.Latin1.GetBytes(outcome.Line!);
            Require(line.Length <= maxLineBytes, $"a line of {line.Length} bytes passed a limit of {maxLineBytes}");
            CheckLine(line, rng);
        }
    }

    private static void CheckLine(byte[] line, Random rng)
    {
        var split = Segments.Split(line, rng.Next(line.Length + 1));
        var decoded = Utf8Text.TryDecode(line, out var text);
        Require(decoded == Utf8Text.TryDecode(split, out var splitText) && text == splitText, "UTF-8 decoding depends on segmentation");
        if (!decoded)
        {
            Require(text.Length == 0, "a failed decode returned text");
            return;
        }

        CheckText(text);

        var parsed = JsonRequestParser.TryParse(line, out var request, out var error);
        var parsedSplit = JsonRequestParser.TryParse(split, out var splitRequest, out var splitError);
        Require(parsed == parsedSplit && request == splitRequest && error == splitError, "JSON parsing depends on segmentation");
        if (!parsed)
        {
            Require(error is not null && ParserErrors.Contains(error.Code), $"unexpected parse error {error}");
            return;
        }

        Require(error is null && !string.IsNullOrEmpty(request.Type), "a parsed request has no type");
        foreach (var field in new[] { request.Type, request.Username, request.Password, request.Content, request.Target, request.Color, request.Room, request.Line })
        {
            if (field is not null)
            {
                CheckText(field);
            }
        }
    }

    // What the hub does with any client text: parse it as a command, clean it, write it both ways.
    private static void CheckText(string text)
    {
        if (TextCommand.TryParse(text, out var command))
        {
            for (var max = 0; max <= 3; max++)
            {
                var args = TextCommand.SplitArguments(command.Rest, max);
                Require(args.Length <= max, "too many arguments");
                Require(args.All(a => a.Length > 0 && !char.IsWhiteSpace(a[0]) && !char.IsWhiteSpace(a[^1])), "an argument is empty or padded");
            }
        }

        _ = UsernameRules.Validate(text);
        _ = ChatColors.Normalize(text);

        var clean = TextSanitizer.Clean(text);
        Require(ReferenceEquals(clean, TextSanitizer.Clean(clean)), "cleaning is not idempotent");
        for (var i = 0; i < clean.Length; i++)
        {
            var c = clean[i];
            Require(c >= ' ' && c != '\u007f' && (c < '\u0080' || c > '\u009f'), $"control character U+{(int)c:X4} survived cleaning");
            Require(c is not (>= '\u202a' and <= '\u202e') and not (>= '\u2066' and <= '\u2069'), $"bidi control U+{(int)c:X4} survived cleaning");
        }

        var wellFormed = IsWellFormed(text);
        Require(!wellFormed || IsWellFormed(clean), "cleaning split a surrogate pair");

        var json = JsonEventWriter.Encode(new ChatEvent("fuzz", clean, null, At));
        Require(json.Count(b => b == (byte)'\n') == 1 && json[^1] == (byte)'\n', "a JSON event is not exactly one line");
        using (var doc = JsonDocument.Parse(json))
        {
            Require(!wellFormed || doc.RootElement.GetProperty("content").GetString() == clean, "JSON content does not round-trip");
        }

        var line = TextEventWriter.Format(new ChatEvent("fuzz", clean, null, At), TimeZoneInfo.Utc);
        Require(line.IndexOf('\n') == line.Length - 1 && !line.Contains('\r', StringComparison.Ordinal), "a text event is not exactly one line");
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int[] RandomCuts(Random rng, int length)
    {
        var cuts = new int[rng.Next(1, 9)];
        for (var i = 0; i < cuts.Length; i++)
        {
            cuts[i] = rng.Next(length + 1);
        }

        Array.Sort(cuts);
        return cuts;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzFailureException(message);
        }
    }
}
