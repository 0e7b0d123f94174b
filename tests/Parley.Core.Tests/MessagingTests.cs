using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class MessagingTests
{
    [Fact]
    public void A_message_reaches_everyone_including_the_sender()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        var carol = h.JoinJson("carol");
        HubHarness.DrainAll(alice, bob, carol);

        h.Line(alice, "hello world");

        Assert.Equal(["[14:30:25] alice: hello world"], Outbox.Text(alice));
        Assert.Equal(["[14:30:25] alice: hello world"], Outbox.Text(bob));
        var json = Assert.Single(Outbox.Json(carol));
        Assert.Equal("message", json.GetProperty("type").GetString());
        Assert.Equal("alice", json.GetProperty("username").GetString());
        Assert.Equal("hello world", json.GetProperty("content").GetString());
        Assert.Equal("2026-11-22T14:30:25.000Z", json.GetProperty("timestamp").GetString());
        Assert.False(json.TryGetProperty("color", out _));
    }

    [Fact]
    public void Everyone_sees_messages_in_the_same_order_and_chat_log_agrees()
    {
        var h = new HubHarness();
        Session[] members = [h.JoinText("alice"), h.JoinJson("bob"), h.JoinText("carol"), h.JoinJson("dave")];
        HubHarness.DrainAll(members);

        var sent = new List<(string, string)>();
        for (var i = 0; i < 40; i++)
        {
            var sender = members[(i * 7) % members.Length];
            var content = $"message {i}";
            if (sender.Protocol == ProtocolKind.Text)
            {
                h.Line(sender, content);
            }
            else
            {
                h.Request(sender, new ClientRequest("message") { Content = content });
            }

            sent.Add((sender.Username!, content));
            h.Time.Advance(TimeSpan.FromMilliseconds(250));
        }

        foreach (var member in members)
        {
            var seen = Outbox.Events<ChatEvent>(member).Select(e => (e.Username, e.Content));
            Assert.Equal(sent, seen);
        }

        Assert.Equal(sent.Select(s => $"{s.Item1}: {s.Item2}"), h.Log.Lines.Where(l => l.Contains(": message", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Concurrent_senders_still_produce_one_order_that_everyone_and_the_log_share()
    {
        var h = new HubHarness(o =>
        {
            o.SendQueueFrames = 100_000;
            o.SendQueueBytes = 100L * 1024 * 1024;
        });
        Session[] members = [h.JoinText("alice"), h.JoinJson("bob"), h.JoinText("carol"), h.JoinJson("dave")];
        HubHarness.DrainAll(members);
        await Concurrently.RunAsync(members, (sender, _) =>
        {
            for (var i = 0; i < 250; i++)
            {
                if (sender.Protocol == ProtocolKind.Text)
                {
                    h.Line(sender, $"{sender.Username} {i}");
                }
                else
                {
                    h.Request(sender, new ClientRequest("message") { Content = $"{sender.Username} {i}" });
                }
            }
        });

        var reference = Outbox.Events<ChatEvent>(members[0]).Select(e => e.Content).ToList();
        Assert.Equal(1000, reference.Count);
        foreach (var member in members.Skip(1))
        {
            Assert.Equal(reference, Outbox.Events<ChatEvent>(member).Select(e => e.Content));
        }

        Assert.Equal(reference, h.Log.Lines.Where(l => !l.StartsWith("***", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]));

        // Each sender's own messages keep the order they were sent in.
        foreach (var member in members)
        {
            var own = reference.Where(c => c.StartsWith(member.Username + " ", StringComparison.Ordinal)).Select(c => int.Parse(c.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, 250), own);
        }
    }

    [Fact]
    public void The_time_stamp_uses_the_server_time_zone_for_text_and_utc_for_json()
    {
        var h = new HubHarness();
        h.Time.Zone = TimeZoneInfo.CreateCustomTimeZone("Test+02", TimeSpan.FromHours(2), "Test+02", "Test+02");
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        HubHarness.DrainAll(alice, bob);
        h.Time.Advance(TimeSpan.FromMilliseconds(1500));

        h.Line(alice, "hi");

        Assert.Equal(["[16:30:26] alice: hi"], Outbox.Text(alice));
        Assert.Equal("2026-11-22T14:30:26.500Z", Assert.Single(Outbox.Json(bob)).GetProperty("timestamp").GetString());
    }

    [Fact]
    public void A_private_message_reaches_only_its_target_and_the_sender_gets_a_confirmation()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        var carol = h.JoinText("carol");
        HubHarness.DrainAll(alice, bob, carol);

        h.Line(alice, "/msg bob hi   there ");

        Assert.Equal(["[14:30:25] [PM] alice: hi   there"], Outbox.Text(bob));
        Assert.Equal(["[14:30:25] [PM to bob] hi   there"], Outbox.Text(alice));
        Assert.Empty(Outbox.Frames(carol));
        Assert.Equal(1, alice.MessagesSent);
        Assert.Equal(1, h.Hub.MessagesTotal);
    }

    [Theory]
    [InlineData("/msg")]
    [InlineData("/private")]
    [InlineData("/pm")]
    [InlineData("/w")]
    [InlineData("/MSG")]
    public void Every_private_alias_works_and_the_target_name_ignores_case(string command)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("Bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, $"{command} bOB psst");

        var pm = Assert.IsType<PrivateMessageEvent>(Assert.Single(Outbox.Events(bob)));
        Assert.Equal(("alice", "psst"), (pm.Sender, pm.Content));
        var confirmation = Assert.IsType<PrivateConfirmationEvent>(Assert.Single(Outbox.Events(alice)));
        Assert.Equal(("Bob", "psst", true), (confirmation.Target, confirmation.Content, confirmation.Delivered));
    }

    [Fact]
    public void A_private_message_crosses_from_json_to_text()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Request(alice, new ClientRequest("private_message") { Target = "bob", Content = "psst" });

        Assert.Equal(["[14:30:25] [PM] alice: psst"], Outbox.Text(bob));
        var confirmation = Assert.Single(Outbox.Json(alice));
        Assert.Equal("private_confirmation", confirmation.GetProperty("type").GetString());
        Assert.Equal("bob", confirmation.GetProperty("target").GetString());
        Assert.Equal("psst", confirmation.GetProperty("content").GetString());
        Assert.True(confirmation.GetProperty("delivered").GetBoolean());
    }

    [Fact]
    public void A_private_message_to_an_unknown_user_is_an_error()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var json = h.JoinJson("jay");
        var connecting = h.Connect();
        h.Line(connecting, "bad name");
        HubHarness.DrainAll(alice, json, connecting);

        h.Line(alice, "/msg zed hello");
        h.Request(json, new ClientRequest("private_message") { Target = "zed", Content = "hello" });

        Assert.Equal(["ERROR User 'zed' is not online"], Outbox.Text(alice));
        Assert.Equal([ErrorCodes.UnknownUser], Outbox.ErrorCodes(json));
        Assert.Equal(0, h.Hub.MessagesTotal);
    }

    [Fact]
    public void A_private_message_to_someone_who_has_not_joined_is_an_error()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var anonymous = h.Connect();

        h.Line(alice, "/msg anonymous hi");

        Assert.Equal([ErrorCodes.UnknownUser], Outbox.ErrorCodes(alice));
        Assert.Empty(Outbox.Frames(anonymous));
    }

    [Theory]
    [InlineData("/msg")]
    [InlineData("/msg bob")]
    [InlineData("/msg    bob   ")]
    public void A_private_message_without_text_is_a_usage_error(string line)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, line);

        Assert.Equal(["ERROR Usage: /msg NAME TEXT"], Outbox.Text(alice));
        Assert.Empty(Outbox.Frames(bob));
    }

    [Fact]
    public void Double_slash_sends_the_text_with_one_slash()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, "//shrug is not a command");
        h.Line(alice, "//");

        Assert.Equal(["[14:30:25] alice: /shrug is not a command", "[14:30:25] alice: /"], Outbox.Text(alice));
        Assert.Equal(["/shrug is not a command", "/"], Outbox.Json(bob).Select(j => j.GetProperty("content").GetString()));
    }

    [Fact]
    public void A_json_command_request_runs_like_a_typed_line()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Request(alice, new ClientRequest("command") { Line = "/msg bob via command" });
        h.Request(alice, new ClientRequest("command") { Line = "plain text" });

        Assert.Equal(["[14:30:25] [PM] alice: via command", "[14:30:25] alice: plain text"], Outbox.Text(bob));
    }

    [Fact]
    public void Blank_lines_are_ignored_without_an_answer()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, string.Empty);
        h.Line(alice, "   ");
        h.Line(alice, "\t");

        Assert.Empty(Outbox.Frames(alice));
        Assert.Empty(Outbox.Frames(bob));
        Assert.Equal(0, h.Hub.MessagesTotal);
    }

    [Fact]
    public void A_blank_json_message_is_empty_message()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Request(alice, new ClientRequest("message") { Content = "  " });

        Assert.Equal([ErrorCodes.EmptyMessage], Outbox.ErrorCodes(alice));
        Assert.Empty(Outbox.Frames(bob));
    }

    [Theory]
    [InlineData("message", null, "content")]
    [InlineData("private_message", null, "target")]
    [InlineData("private_message", "bob", "content")]
    public void Json_requests_missing_a_field_are_missing_field(string type, string? target, string field)
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Request(alice, new ClientRequest(type) { Target = target });

        var error = Assert.IsType<ErrorEvent>(Assert.Single(Outbox.Events(alice)));
        Assert.Equal(ErrorCodes.MissingField, error.Code);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Outbox.Frames(bob));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_json_command_without_a_line_is_missing_field(string? line)
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Request(alice, new ClientRequest("command") { Line = line });

        Assert.Equal([ErrorCodes.MissingField], Outbox.ErrorCodes(alice));
    }

    [Fact]
    public void Control_characters_and_ansi_escapes_never_reach_others()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        var carol = h.JoinJson("carol");
        HubHarness.DrainAll(alice, bob, carol);

        h.Line(alice, "\u001b[2J\u001b[31mred\u001b[0m \u0007bell\u001b]0;title\u0007 \u202eevil\u007f");
        h.Request(carol, new ClientRequest("message") { Content = "two\n[14:30:25] alice: forged\rline\u0000" });
        h.Line(alice, "/msg bob \u001b[5mblink\u009b");

        Assert.Equal(
            ["[14:30:25] alice: red bell evil", "[14:30:25] carol: two [14:30:25] alice: forged line", "[14:30:25] [PM] alice: blink"],
            Outbox.Text(bob));
        Assert.Equal(["red bell evil", "two [14:30:25] alice: forged line"], Outbox.Events<ChatEvent>(carol).Select(e => e.Content));
        Assert.Contains("alice: red bell evil", h.Log.Lines);
    }

    [Fact]
    public void A_message_of_nothing_but_control_characters_is_empty_message()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, "\u001b[31m\u001b[0m");

        Assert.Equal(["ERROR Message is empty"], Outbox.Text(alice));
        Assert.Empty(Outbox.Frames(bob));
    }
}
