using System.Text;

namespace Parley.Cli.Chat;

/// <summary>
/// The input line: text, cursor, history and completion, driven by key presses. Pure state: it
/// never touches the console, so it can be tested key by key; <see cref="Screen"/> draws it. The
/// line is shown on one terminal row and scrolls sideways when it is longer than the row, which
/// keeps redrawing it after incoming messages exact whatever the terminal width.
/// </summary>
internal sealed class LineEditor
{
    private const int MaxHistory = 500;

    private readonly StringBuilder _text = new();
    private readonly List<string> _history = [];
    private int _cursor;
    private int _scroll;
    private int _historyIndex;
    private string _draft = "";

    public string Prompt { get; set; } = "> ";

    public string Text => _text.ToString();

    /// <summary>Cursor position as an index into <see cref="Text"/>.</summary>
    public int Cursor => _cursor;

    /// <summary>Offers completions for the word before the cursor (the word itself is passed in).</summary>
    public Func<string, bool, IEnumerable<string>>? Completions { get; set; }

    /// <summary>The choices when the last Tab could not decide.</summary>
    public IReadOnlyList<string> Candidates { get; private set; } = [];

    public EditResult Handle(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return EditResult.Submitted;
            case ConsoleKey.Backspace:
                return DeleteBack();
            case ConsoleKey.Delete:
                return DeleteForward();
            case ConsoleKey.LeftArrow:
                return Move((key.Modifiers & ConsoleModifiers.Control) != 0 ? WordStart(_cursor) : Previous(_cursor));
            case ConsoleKey.RightArrow:
                return Move((key.Modifiers & ConsoleModifiers.Control) != 0 ? WordEnd(_cursor) : Next(_cursor));
            case ConsoleKey.Home:
                return Move(0);
            case ConsoleKey.End:
                return Move(_text.Length);
            case ConsoleKey.UpArrow:
                return HistoryBack();
            case ConsoleKey.DownArrow:
                return HistoryForward();
            case ConsoleKey.Tab:
                return Complete();
        }

        return key.KeyChar switch
        {
            '\r' or '\n' => EditResult.Submitted,
            '\u0001' => Move(0), // Ctrl+A
            '\u0005' => Move(_text.Length), // Ctrl+E
            '\u0002' => Move(Previous(_cursor)), // Ctrl+B
            '\u0006' => Move(Next(_cursor)), // Ctrl+F
            '\u0008' or '\u007f' => DeleteBack(), // Ctrl+H, DEL
            '\u0004' => _text.Length == 0 ? EditResult.EndOfInput : DeleteForward(), // Ctrl+D
            '\u000b' => Kill(_cursor, _text.Length), // Ctrl+K
            '\u0015' => Kill(0, _cursor), // Ctrl+U
            '\u0017' => Kill(WordStart(_cursor), _cursor), // Ctrl+W
            '\u000c' => EditResult.ClearScreen, // Ctrl+L
            '\u0010' => HistoryBack(), // Ctrl+P
            '\u000e' => HistoryForward(), // Ctrl+N
            '\t' => Complete(),
            var c when c >= ' ' && c != '\u007f' && !char.IsControl(c) => Insert(c),
            _ => EditResult.None,
        };
    }

    /// <summary>Takes the finished line: it goes into the history and the editor starts empty.</summary>
    public string Submit()
    {
        var line = _text.ToString();
        if (!string.IsNullOrWhiteSpace(line) && (_history.Count == 0 || _history[^1] != line))
        {
            _history.Add(line);
            if (_history.Count > MaxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        _historyIndex = _history.Count;
        _draft = "";
        SetText("");
        return line;
    }

    /// <summary>
    /// What to draw in <paramref name="columns"/> terminal columns after the prompt: the visible part of
    /// the line and the cursor's column within it. Keeps the cursor in view, scrolling sideways.
    /// </summary>
    public (string Visible, int CursorColumn) View(int columns)
    {
        columns = Math.Max(columns, 4);
        var text = _text.ToString();
        _scroll = Math.Min(_scroll, _cursor);

        // The cursor needs a column of its own at the end of the view.
        while (TerminalText.Width(text.AsSpan(_scroll, _cursor - _scroll)) > columns - 1)
        {
            _scroll = Next(_scroll);
        }

        // Scroll back while the text left of the view still fits (after deleting, say).
        while (_scroll > 0 && TerminalText.Width(text.AsSpan(Previous(_scroll))) <= columns - 1)
        {
            _scroll = Previous(_scroll);
        }

        var end = _scroll;
        var width = 0;
        while (end < text.Length)
        {
            var next = Next(end);
            var w = TerminalText.Width(text.AsSpan(end, next - end));
            if (width + w > columns - 1 && end >= _cursor)
            {
                break;
            }

            width += w;
            end = next;
        }

        return (text[_scroll..end], TerminalText.Width(text.AsSpan(_scroll, _cursor - _scroll)));
    }

    private EditResult Insert(char c)
    {
        _text.Insert(_cursor, c == '\t' ? ' ' : c);
        _cursor++;
        return EditResult.Changed;
    }

    private EditResult DeleteBack()
    {
        if (_cursor == 0)
        {
            return EditResult.None;
        }

        var start = Previous(_cursor);
        _text.Remove(start, _cursor - start);
        _cursor = start;
        return EditResult.Changed;
    }

    private EditResult DeleteForward()
    {
        if (_cursor == _text.Length)
        {
            return EditResult.None;
        }

        _text.Remove(_cursor, Next(_cursor) - _cursor);
        return EditResult.Changed;
    }

    private EditResult Kill(int from, int to)
    {
        if (from == to)
        {
            return EditResult.None;
        }

        _text.Remove(from, to - from);
        _cursor = from;
        return EditResult.Changed;
    }

    private EditResult Move(int to)
    {
        if (to == _cursor)
        {
            return EditResult.None;
        }

        _cursor = to;
        return EditResult.Changed;
    }

    private EditResult HistoryBack()
    {
        if (_historyIndex == 0)
        {
            return EditResult.None;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = _text.ToString();
        }

        _historyIndex--;
        SetText(_history[_historyIndex]);
        return EditResult.Changed;
    }

    private EditResult HistoryForward()
    {
        if (_historyIndex >= _history.Count)
        {
            return EditResult.None;
        }

        _historyIndex++;
        SetText(_historyIndex == _history.Count ? _draft : _history[_historyIndex]);
        return EditResult.Changed;
    }

    private EditResult Complete()
    {
        Candidates = [];
        if (Completions is null)
        {
            return EditResult.None;
        }

        var start = _cursor;
        while (start > 0 && !char.IsWhiteSpace(_text[start - 1]))
        {
            start--;
        }

        var word = _text.ToString(start, _cursor - start);
        var matches = Completions(word, start == 0)
            .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (matches.Count == 0)
        {
            return EditResult.None;
        }

        var replacement = matches.Count == 1 ? matches[0] + " " : CommonPrefix(matches);
        if (replacement.Length <= word.Length)
        {
            Candidates = matches;
            return EditResult.ShowCandidates;
        }

        _text.Remove(start, _cursor - start).Insert(start, replacement);
        _cursor = start + replacement.Length;
        return EditResult.Changed;
    }

    private static string CommonPrefix(List<string> words)
    {
        var prefix = words[0];
        foreach (var w in words)
        {
            var n = 0;
            while (n < prefix.Length && n < w.Length && char.ToLowerInvariant(prefix[n]) == char.ToLowerInvariant(w[n]))
            {
                n++;
            }

            prefix = prefix[..n];
        }

        return prefix;
    }

    private void SetText(string text)
    {
        _text.Clear().Append(text);
        _cursor = text.Length;
        _scroll = 0;
    }

    // Surrogate pairs move and delete as one character.
    private int Previous(int i) =>
        i <= 0 ? 0 : i >= 2 && char.IsLowSurrogate(_text[i - 1]) && char.IsHighSurrogate(_text[i - 2]) ? i - 2 : i - 1;

    private int Next(int i) =>
        i >= _text.Length ? _text.Length : i + 1 < _text.Length && char.IsHighSurrogate(_text[i]) && char.IsLowSurrogate(_text[i + 1]) ? i + 2 : i + 1;

    private int WordStart(int i)
    {
        while (i > 0 && char.IsWhiteSpace(_text[i - 1]))
        {
            i--;
        }

        while (i > 0 && !char.IsWhiteSpace(_text[i - 1]))
        {
            i--;
        }

        return i;
    }

    private int WordEnd(int i)
    {
        while (i < _text.Length && char.IsWhiteSpace(_text[i]))
        {
            i++;
        }

        while (i < _text.Length && !char.IsWhiteSpace(_text[i]))
        {
            i++;
        }

        return i;
    }
}
