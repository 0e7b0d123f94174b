using System.Text;

namespace Parley.Cli.Chat;

/// <summary>
/// The terminal. Interactive, the bottom row belongs to the line editor and every chat line is
/// printed above it: clear the row, print the line, redraw prompt and text, put the cursor back.
/// Each of those is one write, so the screen never shows a half-drawn state. Not interactive
/// (output to a pipe or a file), lines are simply written. Only the UI loop calls it.
/// </summary>
internal sealed class Screen(TextWriter output, Palette palette, bool interactive, Func<int> columns)
{
    private const string ClearRow = "\r\u001b[K";
    private LineEditor? _editor;

    public bool Interactive => interactive;

    public Palette Palette => palette;

    /// <summary>Shows <paramref name="editor"/> on the bottom row (interactive only); null hides it.</summary>
    public void ShowEditor(LineEditor? editor)
    {
        if (!interactive)
        {
            return;
        }

        var sb = new StringBuilder(ClearRow);
        _editor = editor;
        AppendEditor(sb);
        output.Write(sb.ToString());
        output.Flush();
    }

    public void Print(ScreenLine line) => Print([line]);

    public void Print(IReadOnlyList<ScreenLine> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var sb = new StringBuilder();
        if (interactive && _editor is not null)
        {
            sb.Append(ClearRow);
        }

        foreach (var line in lines)
        {
            sb.Append(palette.Paint(line)).Append('\n');
        }

        AppendEditor(sb);
        output.Write(sb.ToString());
        output.Flush();
    }

    public void RedrawEditor()
    {
        if (interactive && _editor is not null)
        {
            var sb = new StringBuilder(ClearRow);
            AppendEditor(sb);
            output.Write(sb.ToString());
            output.Flush();
        }
    }

    public void Clear()
    {
        if (interactive)
        {
            var sb = new StringBuilder("\u001b[H\u001b[2J");
            AppendEditor(sb);
            output.Write(sb.ToString());
            output.Flush();
        }
    }

    /// <summary>Leaves the terminal on a clean new row (the editor's row is cleared), e.g. before exiting.</summary>
    public void Close()
    {
        if (interactive && _editor is not null)
        {
            output.Write(ClearRow);
            output.Flush();
            _editor = null;
        }
    }

    private void AppendEditor(StringBuilder sb)
    {
        if (!interactive || _editor is null)
        {
            return;
        }

        var prompt = TerminalText.Escape(_editor.Prompt);
        var promptWidth = TerminalText.Width(prompt);
        var width = columns();
        if (width <= 0)
        {
            width = 80;
        }

        // One column is left free so the row never reaches the edge, where terminals wrap or defer.
        var (visible, cursor) = _editor.View(width - promptWidth - 1);
        sb.Append(palette.Enabled ? "\u001b[1m" + prompt + "\u001b[0m" : prompt).Append(visible).Append("\u001b[K\r");
        var column = promptWidth + cursor;
        if (column > 0)
        {
            sb.Append("\u001b[").Append(column).Append('C');
        }
    }
}
