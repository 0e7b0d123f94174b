using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>Accounts (passwords, roles), login throttling and bans. Passwords are never logged.</summary>
public sealed partial class Hub
{
    private readonly Dictionary<string, BanRecord> _bans = new(UsernameRules.Comparer);
    private readonly LoginThrottle _throttle;

    /// <summary>Bans that are still in force.</summary>
    public IReadOnlyList<BanRecord> Bans
    {
        get
        {
            var now = Time.GetUtcNow();
            lock (_gate)
            {
                return [.. _bans.Values.Where(b => b.IsActive(now)).OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase)];
            }
        }
    }

    /// <summary>Bans a name (for <paramref name="duration"/>, or for good) and disconnects it if online.</summary>
    public void Ban(string username, TimeSpan? duration, string by)
    {
        var ban = new BanRecord(username, duration is { } d ? Time.GetUtcNow() + d : null, by);
        lock (_gate)
        {
            _bans[username] = ban;
        }

        _store.SaveBan(ban);
        _logger.LogWarning("{By} banned {User} {Duration}", by, username, duration is { } span ? $"for {span.TotalMinutes:0} minutes" : "for good");
        Kick(username, duration is { } m ? $"banned for {m.TotalMinutes:0} minutes" : "banned");
    }

    public bool Unban(string username)
    {
        lock (_gate)
        {
            if (!_bans.Remove(username))
            {
                return false;
            }
        }

        _store.RemoveBan(username);
        return true;
    }

    internal void Register(Session session, string password)
    {
        if (session.Account is not null || _store.FindAccount(session.Username!) is not null)
        {
            SendError(session, ErrorCodes.AlreadyRegistered, $"{session.Username} is already registered; /password OLD NEW changes the password");
            return;
        }

        if (PasswordHasher.Validate(password) is { } weak)
        {
            SendError(session, ErrorCodes.WeakPassword, weak);
            return;
        }

        // The hash is the slow part: computed here, on the session's own thread (see CommandDefinition.Immediate).
        var account = PasswordHasher.Create(session.Username!, password, Account.UserRole, Time.GetUtcNow());
        InOrder(session, () =>
        {
            _store.SaveAccount(account);
            lock (_gate)
            {
                session.Account = account;
            }

            _logger.LogInformation("{User} registered", session.Username);
            session.Send(Frame(new InfoEvent($"Registered {session.Username}: from now on this name needs your password")));
        });
    }

    internal void ChangePassword(Session session, string oldPassword, string newPassword)
    {
        if (session.Account is null)
        {
            SendError(session, ErrorCodes.NotRegistered, $"{session.Username} is not registered; /register PASSWORD claims it");
            return;
        }

        if (!CheckPassword(session, session.Username!, oldPassword, out var account) || account is null)
        {
            return;
        }

        if (PasswordHasher.Validate(newPassword) is { } weak)
        {
            SendError(session, ErrorCodes.WeakPassword, weak);
            return;
        }

        var updated = PasswordHasher.Create(account.Name, newPassword, account.Role, account.Created);
        InOrder(session, () =>
        {
            _store.SaveAccount(updated);
            lock (_gate)
            {
                session.Account = updated;
            }

            session.Send(Frame(new InfoEvent("Password changed")));
        });
    }

    internal void Promote(Session session, string username)
    {
        if (_store.FindAccount(username) is not { } account)
        {
            SendError(session, ErrorCodes.NotRegistered, $"{TextSanitizer.Clean(username)} is not a registered account");
            return;
        }

        var admin = account with { Role = Account.AdminRole };
        _store.SaveAccount(admin);
        lock (_gate)
        {
            if (_byName.GetValueOrDefault(username) is { } online)
            {
                online.Account = admin;
                online.Send(Frame(new InfoEvent($"{session.Username} made you an admin")));
            }
        }

        _logger.LogWarning("{By} made {User} an admin", session.Username, account.Name);
        session.Send(Frame(new InfoEvent($"{account.Name} is now an admin")));
    }

    // Checks a login: bans, throttling, and the password when the name is registered. False (the client told why) to refuse.
    private bool Authenticate(Session session, string username, string? password, out Account? account)
    {
        account = null;
        BanRecord? ban;
        lock (_gate)
        {
            ban = _bans.GetValueOrDefault(username);
        }

        if (ban is not null && ban.IsActive(Time.GetUtcNow()))
        {
            var until = ban.Until is { } end ? $" until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : string.Empty;
            SendError(session, ErrorCodes.Banned, $"{username} is banned{until}. Please enter another username:");
            return false;
        }

        var found = _store.FindAccount(username);
        if (found is null)
        {
            if (Options.RequireAccounts)
            {
                SendError(session, ErrorCodes.AccountRequired, $"This server only admits registered accounts, and {username} is not one. Please enter another username:");
                return false;
            }

            return true;
        }

        if (password is null)
        {
            if (session.Protocol == ProtocolKind.Text)
            {
                session.PasswordFor = username;
                session.Send(Frame(new PromptEvent($"{username} is registered. Password:")));
            }
            else
            {
                SendError(session, ErrorCodes.PasswordRequired, $"{username} is registered: send the 'password' field with the join");
            }

            return false;
        }

        return CheckPassword(session, username, password, out account);
    }

    private bool CheckPassword(Session session, string username, string password, out Account? account)
    {
        account = null;
        var wait = _throttle.RetryAfter(username, session.RemoteAddress);
        if (wait > TimeSpan.Zero)
        {
            SendError(session, ErrorCodes.TooManyAttempts, $"Too many failed logins; try again in {Math.Ceiling(wait.TotalSeconds):0} seconds");
            return false;
        }

        var found = _store.FindAccount(username);
        if (found is null || !PasswordHasher.Verify(found, password))
        {
            _throttle.Failed(username, session.RemoteAddress);
            _logger.LogWarning("Failed login for {User} from {Remote}", username, session.RemoteAddress);
            var again = session.State == SessionState.Connecting ? " Please enter a username:" : string.Empty;
            SendError(session, ErrorCodes.WrongPassword, "Wrong password." + again);
            return false;
        }

        _throttle.Succeeded(username);
        account = found;
        return true;
    }
}
