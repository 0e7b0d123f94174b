using System.Buffers;
using System.Text;

namespace Parley.Protocol.Tests;

public sealed class JsonRequestParserTests
{
    public static TheoryData<string> StringFields => ["type", "username", "password", "content", "target", "color", "room", "line"];

    [Fact]
    public void Reads_every_field()
    {
        var request = Parse("""{"type":"join","username":"alice","password":"pw","content":"c","target":"t","color":"red","room":"lobby","line":"/who"}""");

        Assert.Equal(
            new ClientRequest("join") { Username = "alice", Password = "pw", Content = "c", Target = "t", Color = "red", Room = "lobby", Line = "/who" },
            request);
    }

    [Fact]
    public void Only_type_is_required()
    {
        Assert.Equal(new ClientRequest("ping"), Parse("""{"type":"ping"}"""));
    }

    [Fact]
    public void Field_order_does_not_matter()
    {
        Assert.Equal(
            new ClientRequest("private_message") { Target = "bob", Content = "psst" },
            Parse("""{"content":"psst","target":"bob","type":"private_message"}"""));
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        Assert.Equal(
            new ClientRequest("message") { Content = "hi" },
            Parse("""{"type":"message","id":42,"extra":"x","flag":true,"nothing":null,"content":"hi","ratio":1.5e3}"""));
    }

    [Fact]
    public void Nested_unknown_values_are_skipped_without_leaking_their_fields()
    {
        var request = Parse("""{"meta":{"type":"evil","content":"inner","list":[1,{"username":"x"},[[]]]},"type":"message","arr":["content",{"content":"no"}],"content":"outer"}""");

        Assert.Equal(new ClientRequest("message") { Content = "outer" }, request);
    }

    [Theory]
    [MemberData(nameof(StringFields))]
    public void A_field_of_the_wrong_type_is_invalid_field(string field)
    {
        foreach (var value in new[] { "1", "true", "false", "{}", "[]", """["a"]""", """{"x":"y"}""" })
        {
            var json = field == "type" ? $$"""{"type":{{value}}}""" : $$"""{"type":"message","{{field}}":{{value}}}""";
            var error = ParseError(json);

            Assert.Equal(ErrorCodes.InvalidField, error.Code);
            Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_null_optional_field_is_absent()
    {
        Assert.Equal(new ClientRequest("message"), Parse("""{"type":"message","content":null,"color":null}"""));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"content":"hi"}""")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"type":""}""")]
    [InlineData("""{"Type":"message"}""")]
    public void A_missing_type_is_missing_field(string json)
    {
        var error = ParseError(json);

        Assert.Equal(ErrorCodes.MissingField, error.Code);
        Assert.Contains("'type'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("""[{"type":"ping"}]""")]
    [InlineData("\"ping\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("type=ping")]
    [InlineData("{")]
    [InlineData("{\"type\":\"ping\"")]
    [InlineData("""{"type":"ping",}""")]
    [InlineData("""{'type':'ping'}""")]
    [InlineData("""{type:"ping"}""")]
    [InlineData("""{"type":"ping" /* c */}""")]
    [InlineData("\uFEFF{\"type\":\"ping\"}")]
    public void Anything_but_one_object_is_invalid_json(string json)
    {
        Assert.Equal(ErrorCodes.InvalidJson, ParseError(json).Code);
    }

    [Theory]
    [InlineData("""{"type":"ping"}x""")]
    [InlineData("""{"type":"ping"}}""")]
    [InlineData("""{"type":"ping"},""")]
    [InlineData("""{"type":"ping"}{"type":"quit"}""")]
    [InlineData("""{"type":"ping"} {"type":"quit"}""")]
    [InlineData("""{"type":"ping"}null""")]
    public void Trailing_garbage_is_invalid_json(string json)
    {
        Assert.Equal(ErrorCodes.InvalidJson, ParseError(json).Code);
    }

    [Fact]
    public void White_space_around_the_object_is_fine()
    {
        Assert.Equal(new ClientRequest("ping"), Parse(" \t{ \"type\" : \"ping\" } \t "));
    }

    [Fact]
    public void With_duplicate_keys_the_last_one_wins_like_json_parse()
    {
        Assert.Equal(
            new ClientRequest("quit") { Content = "second" },
            Parse("""{"type":"message","content":"first","type":"quit","content":"second"}"""));
    }

    [Fact]
    public void Nesting_up_to_the_maximum_depth_is_skipped_and_beyond_it_is_invalid_json()
    {
        // The request object is level 1, so 15 arrays inside it reach depth 16.
        var atLimit = $$"""{"type":"ping","deep":{{new string('[', 15)}}{{new string(']', 15)}}}""";
        var beyond = $$"""{"type":"ping","deep":{{new string('[', 16)}}{{new string(']', 16)}}}""";
        var hostile = $$"""{"type":"ping","deep":{{new string('[', 100_000)}}""";

        Assert.Equal(new ClientRequest("ping"), Parse(atLimit));
        Assert.Equal(ErrorCodes.InvalidJson, ParseError(beyond).Code);
        Assert.Equal(ErrorCodes.InvalidJson, ParseError(hostile).Code);
    }

    [Fact]
    public void Escapes_are_decoded()
    {
        var request = Parse("""{"typ\u0065":"message","content":"caf\u00e9 \"q\" \\ \n \ud83d\ude00 \u001b"}""");

        Assert.Equal(new ClientRequest("message") { Content = "caf\u00e9 \"q\" \\ \n \U0001F600 \u001b" }, request);
    }

    [Theory]
    [InlineData("""{"type":"message","content":"\ud800"}""")]
    [InlineData("""{"type":"message","content":"\udc00x"}""")]
    [InlineData("""{"type":"message","content":"\x"}""")]
    [InlineData("""{"type":"message","content":"\u12"}""")]
    [InlineData("{\"type\":\"message\",\"content\":\"raw\ttab\"}")]
    public void Bad_string_escapes_are_invalid_json(string json)
    {
        Assert.Equal(ErrorCodes.InvalidJson, ParseError(json).Code);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_invalid_json()
    {
        byte[] json = [.. "{\"type\":\"message\",\"content\":\""u8, 0xC0, 0x80, .. "\"}"u8];

        Assert.False(JsonRequestParser.TryParse(json, out _, out var error));
        Assert.Equal(ErrorCodes.InvalidJson, error!.Code);
    }

    [Fact]
    public void Every_truncated_prefix_of_a_request_is_invalid_json_and_never_throws()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"private_message","target":"bob","content":"caf\u00e9 \u20ac","meta":[1,{"a":null}]}""");
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(JsonRequestParser.TryParse(bytes.AsSpan(0, length), out var request, out var error), $"prefix of {length}");
            Assert.Equal(ErrorCodes.InvalidJson, error!.Code);
            Assert.Equal(string.Empty, request.Type);
        }

        Assert.True(JsonRequestParser.TryParse(bytes, out _, out _));
    }

    [Fact]
    public void The_sequence_overload_gives_the_same_result_at_every_split_point()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"message","content":"caf\u00e9 \ud83d\ude00 \u20ac","skip":{"a":[1,2]}}""");
        var expected = Parse(Encoding.UTF8.GetString(bytes));
        for (var a = 0; a <= bytes.Length; a++)
        {
            for (var b = a; b <= bytes.Length; b += 7)
            {
                Assert.True(JsonRequestParser.TryParse(Segments.Split(bytes, a, b), out var request, out var error), $"cuts at {a},{b}: {error}");
                Assert.Equal(expected, request);
            }
        }
    }

    [Theory]
    [InlineData("f")]
    [InlineData("{\"type\":\"ping\",\"a\":fals")]
    [InlineData("{\"type\":\"ping\",\"a\":nu")]
    [InlineData("[tr")]
    public void A_literal_cut_short_at_a_segment_boundary_is_invalid_json(string json)
    {
        // The framer slices a line up to its newline; when the newline starts a segment, the line
        // ends in an empty segment.
        var framer = new LineFramer(1024);
        var buffer = Segments.Of(Encoding.UTF8.GetBytes(json), "\n"u8.ToArray());
        Assert.Equal(LineStatus.Line, framer.TryRead(ref buffer, out var line));

        Assert.False(JsonRequestParser.TryParse(line, out _, out var error));
        Assert.Equal(ErrorCodes.InvalidJson, error!.Code);
        Assert.False(JsonRequestParser.TryParse(Segments.Of(Encoding.UTF8.GetBytes(json), []), out _, out error));
        Assert.Equal(ErrorCodes.InvalidJson, error!.Code);
    }

    [Fact]
    public void The_sequence_overload_reports_the_same_errors()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"message","content":5}""");

        Assert.False(JsonRequestParser.TryParse(Segments.Split(bytes, 10, 20), out _, out var error));
        Assert.Equal(ErrorCodes.InvalidField, error!.Code);
    }

    private static ClientRequest Parse(string json)
    {
        var ok = JsonRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error);
        Assert.True(ok, $"{json} → {error}");
        Assert.Null(error);
        return request;
    }

    private static ProtocolError ParseError(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.False(JsonRequestParser.TryParse(bytes, out _, out var error), json);
        Assert.NotNull(error);

        // Both entry points must agree on every rejection.
        Assert.False(JsonRequestParser.TryParse(new ReadOnlySequence<byte>(bytes), out _, out var sequenceError));
        Assert.Equal(error, sequenceError);
        return error;
    }
}
