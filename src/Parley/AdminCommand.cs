using System.CommandLine;
using Parley.Core;
using Parley.Storage.Sqlite;

namespace Parley.Cli;

/// <summary>
/// `parley admin create NAME`: writes an admin account straight into DATA/parley.db (the server may be
/// running: SQLite's WAL lets both write). The password comes from stdin when it is redirected, else
/// from a prompt that does not echo; it never appears on the command line.
/// </summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The account name (also the chat username)" };
        var data = new Option<string>("--data") { Description = "Data directory holding parley.db", DefaultValueFactory = _ => "data" };
        var user = new Option<bool>("--user") { Description = "Create an ordinary account instead of an admin (for --require-accounts servers)" };
        var create = new Command("create", "Create (or reset the password of) an admin account. Reads the password from stdin, or prompts for it.") { name, data, user };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var username = parse.GetValue(name)!;
            if (Protocol.UsernameRules.Validate(username) is { } invalid)
            {
                await Console.Error.WriteLineAsync($"parley admin create: {invalid}");
                return 2;
            }

            var password = ReadPassword($"Password for {username}: ");
            if (password is null || PasswordHasher.Validate(password) is { } weak)
            {
                await Console.Error.WriteLineAsync($"parley admin create: {(password is null ? "no password given" : PasswordHasher.Validate(password))}");
                return 2;
            }

            var role = parse.GetValue(user) ? Account.UserRole : Account.AdminRole;
            using var store = SqliteMessageStore.Open(Path.Combine(parse.GetValue(data)!, SqliteMessageStore.FileName));
            store.SaveAccount(PasswordHasher.Create(username, password, role, DateTimeOffset.UtcNow));
            await Console.Out.WriteLineAsync($"Account {username} ({role}) saved in {store.Path}");
            return 0;
        });

        return new Command("admin", "Manage accounts in the data directory's parley.db") { create };
    }

    private static string? ReadPassword(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        Console.Error.Write(prompt);
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return chars.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Length > 0)
                {
                    chars.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Append(key.KeyChar);
            }
        }
    }
}
