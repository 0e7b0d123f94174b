using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class AccountTests
{
    [Fact]
    public void Passwords_are_salted_pbkdf2_hashes_checked_in_constant_time()
    {
        var now = HubHarness.Start;
        var a = PasswordHasher.Create("alice", "correct horse", Account.UserRole, now);
        var b = PasswordHasher.Create("bob", "correct horse", Account.UserRole, now);

        Assert.True(a.Iterations >= 100_000);
        Assert.Equal(32, a.Hash.Length);
        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.True(PasswordHasher.Verify(a, "correct horse"));
        Assert.False(PasswordHasher.Verify(a, "correct horsE"));
        Assert.NotNull(PasswordHasher.Validate("short"));
    }

    [Fact]
    public void A_registered_name_needs_its_password_in_text_and_json()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.Line(alice, "/register s3cret-pw");
        Assert.Equal(["*** Registered alice: from now on this name needs your password"], Outbox.Text(alice));
        h.Line(alice, "/quit");
        h.Hub.Disconnected(alice);

        var text = h.Connect();
        h.Line(text, "alice");
        Assert.Equal(["alice is registered. Password:"], Outbox.Text(text));
        h.Line(text, "s3cret-pw");
        Assert.Equal(SessionState.Joined, text.State);
        Assert.Equal("Welcome to Parley, alice! Type /help for commands.", Outbox.Text(text)[0]);
        h.Hub.Disconnected(text);

        var json = h.Connect(ProtocolKind.Json);
        h.Request(json, new ClientRequest("join") { Username = "ALICE" });
        Assert.Equal([ErrorCodes.PasswordRequired], Outbox.ErrorCodes(json));
        h.Request(json, new ClientRequest("join") { Username = "alice", Password = "s3cret-pw" });
        var welcome = Assert.Single(Outbox.Events<WelcomeEvent>(json));
        Assert.True(welcome.Registered);
    }

    [Fact]
    public void Failed_logins_are_slowed_per_name_and_per_address_then_allowed_again()
    {
        var h = new HubHarness();
        h.Hub.Store.SaveAccount(PasswordHasher.Create("alice", "right-password", Account.UserRole, HubHarness.Start, iterations: 1_000));
        var json = h.Connect(ProtocolKind.Json);
        for (var i = 0; i < 3; i++)
        {
            h.Request(json, new ClientRequest("join") { Username = "alice", Password = "wrong" });
            Assert.Equal([ErrorCodes.WrongPassword], Outbox.ErrorCodes(json));
        }

        // Even the right password is refused while the delay lasts, from anywhere and for any name from this address.
        h.Request(json, new ClientRequest("join") { Username = "alice", Password = "right-password" });
        Assert.Equal([ErrorCodes.TooManyAttempts], Outbox.ErrorCodes(json));
        Assert.Equal(SessionState.Connecting, json.State);

        h.Time.Advance(TimeSpan.FromSeconds(3));
        h.Request(json, new ClientRequest("join") { Username = "alice", Password = "right-password" });
        Assert.Equal(SessionState.Joined, json.State);
    }

    [Fact]
    public void Password_change_needs_the_old_password()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.Line(alice, "/password a b");
        Assert.Equal([ErrorCodes.NotRegistered], Outbox.ErrorCodes(alice));
        h.Line(alice, "/register first-pw");
        h.Line(alice, "/password wrong-pw second-pw");
        Assert.Equal([ErrorCodes.WrongPassword], Outbox.ErrorCodes(alice));
        h.Line(alice, "/password first-pw second-pw");
        Assert.Equal("*** Password changed", Outbox.Text(alice)[^1]);
        Assert.True(PasswordHasher.Verify(h.Hub.Store.FindAccount("alice")!, "second-pw"));
    }

    [Fact]
    public void Admin_commands_are_refused_to_others_and_work_for_admins()
    {
        var h = new HubHarness();
        h.Hub.Store.SaveAccount(PasswordHasher.Create("root", "root-password", Account.AdminRole, HubHarness.Start, iterations: 1_000));
        var bob = h.JoinText("bob");
        var mallory = h.JoinText("mallory");
        var root = h.Connect(ProtocolKind.Json);
        h.Request(root, new ClientRequest("join") { Username = "root", Password = "root-password" });
        HubHarness.DrainAll(bob, mallory, root);

        h.Line(bob, "/kick mallory");
        h.Line(bob, "/ban mallory");
        h.Line(bob, "/announce hi");
        Assert.Equal([ErrorCodes.NotPermitted, ErrorCodes.NotPermitted, ErrorCodes.NotPermitted], Outbox.ErrorCodes(bob));

        h.Request(root, new ClientRequest("command") { Line = "/announce Maintenance at noon" });
        Assert.Equal(["[14:30:25] [SERVER] Maintenance at noon"], Outbox.Text(bob));
        h.Request(root, new ClientRequest("command") { Line = "/ban mallory 10" });
        Assert.Contains("You have been kicked: banned for 10 minutes", Outbox.Text(mallory));
        h.Hub.Disconnected(mallory);

        var again = h.Connect();
        h.Line(again, "mallory");
        Assert.Equal([ErrorCodes.Banned], Outbox.ErrorCodes(again));
        h.Time.Advance(TimeSpan.FromMinutes(11));
        var later = h.Connect();
        h.Line(later, "mallory");
        Assert.Equal(SessionState.Joined, later.State);
    }

    [Fact]
    public void Require_accounts_refuses_guests()
    {
        var h = new HubHarness(o => o.RequireAccounts = true);
        var guest = h.Connect();
        h.Line(guest, "guest");
        Assert.Equal([ErrorCodes.AccountRequired], Outbox.ErrorCodes(guest));
        Assert.Equal(SessionState.Connecting, guest.State);
    }

    [Fact]
    public void Private_messages_to_an_offline_registered_user_wait_for_their_login()
    {
        var h = new HubHarness();
        h.Hub.Store.SaveAccount(PasswordHasher.Create("bob", "bob-password", Account.UserRole, HubHarness.Start, iterations: 1_000));
        var alice = h.JoinText("alice");
        h.Line(alice, "/msg bob see you tomorrow");
        Assert.Equal(["[14:30:25] [PM to bob] see you tomorrow (delivered later)"], Outbox.Text(alice));
        h.Line(alice, "/msg nobody hello");
        Assert.Equal([ErrorCodes.UnknownUser], Outbox.ErrorCodes(alice));

        h.Time.Advance(TimeSpan.FromHours(1));
        var bob = h.Connect(ProtocolKind.Json);
        h.Request(bob, new ClientRequest("join") { Username = "bob", Password = "bob-password" });
        var pm = Assert.Single(Outbox.Events<PrivateMessageEvent>(bob));
        Assert.Equal(("alice", "see you tomorrow", true, HubHarness.Start), (pm.Sender, pm.Content, pm.Offline, pm.Timestamp));

        // Delivered once only.
        h.Hub.Disconnected(bob);
        var bobAgain = h.Connect(ProtocolKind.Json);
        h.Request(bobAgain, new ClientRequest("join") { Username = "bob", Password = "bob-password" });
        Assert.Empty(Outbox.Events<PrivateMessageEvent>(bobAgain));
    }
}
