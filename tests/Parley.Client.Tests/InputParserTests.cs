using Parley.Cli.Chat;

namespace Parley.Client.Tests;

public sealed class InputParserTests
{
    private static readonly (string Line, UserAction Expected)[] Cases =
    [
        ("hello there", new UserAction.Say("hello there", null)),
        ("  ", new UserAction.Nothing()),
        ("//etc/passwd is a file", new UserAction.Say("/etc/passwd is a file", null)),
        ("/msg bob hi there", new UserAction.Private("bob", "hi there", null)),
        ("/private bob  spaced   out ", new UserAction.Private("bob", "spaced   out", null)),
        ("/MSG bob x", new UserAction.Private("bob", "x", null)),
        ("/private bob /color Cyan secret", new UserAction.Private("bob", "secret", "cyan")),
        ("/color red in red", new UserAction.Say("in red", "red")),
        ("/who", new UserAction.Who()),
        ("/who 2", new UserAction.PassThrough("/who 2")),
        ("/send report.pdf", new UserAction.SendFile(null, "report.pdf")),
        ("/send ~/My Documents/a b.txt", new UserAction.SendFile(null, "~/My Documents/a b.txt")),
        ("/send @bob \"/tmp/x y.pdf\"", new UserAction.SendFile("bob", "/tmp/x y.pdf")),
        ("/send #dev My Plans/plan v2.txt", new UserAction.SendFile(null, "My Plans/plan v2.txt", "#dev")),
        ("/send \"#notes.txt\"", new UserAction.SendFile(null, "#notes.txt")),
        ("/send", new UserAction.Mistake("Usage: /send PATH, /send #ROOM PATH or /send @NAME PATH")),
        ("/send @bob", new UserAction.Mistake("Usage: /send PATH, /send #ROOM PATH or /send @NAME PATH")),
        ("/send #dev", new UserAction.Mistake("Usage: /send PATH, /send #ROOM PATH or /send @NAME PATH")),
        ("/send # x.txt", new UserAction.Mistake("Usage: /send PATH, /send #ROOM PATH or /send @NAME PATH")),
        ("/accept 3", new UserAction.Accept("3")),
        ("/get 3", new UserAction.Accept("3")),
        ("/get", new UserAction.Mistake("Usage: /get ID (the number shown with the file)")),
        ("/users", new UserAction.Who()),
        ("/ping", new UserAction.Ping()),
        ("/help", new UserAction.Help()),
        ("/quit", new UserAction.Quit()),
        ("/exit", new UserAction.Quit()),
        ("/q", new UserAction.Quit()),
        ("/leave", new UserAction.Quit()),
        ("/join #lobby", new UserAction.PassThrough("/join #lobby")),
        ("/msg bob", new UserAction.Mistake("Usage: /msg NAME TEXT")),
        ("/color red", new UserAction.Mistake("Usage: /color COLOUR TEXT (colours: red, green, yellow, blue, magenta, cyan, white)")),
        ("/color purple text", new UserAction.Mistake("Unknown colour 'purple'. Choose one of red, green, yellow, blue, magenta, cyan, white.")),
        ("/private bob /color pink x", new UserAction.Mistake("Unknown colour 'pink'. Choose one of red, green, yellow, blue, magenta, cyan, white.")),
    ];

    [Fact]
    public void Parses_every_command_and_explains_mistakes()
    {
        foreach (var (line, expected) in Cases)
        {
            Assert.True(expected == InputParser.Parse(line), $"'{line}' gave {InputParser.Parse(line)}, expected {expected}");
        }
    }
}
