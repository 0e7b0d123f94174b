using Parley.Cli.Chat;

namespace Parley.Client.Tests;

public sealed class LineEditorTests
{
    [Fact]
    public void Typing_moving_and_deleting_edit_at_the_cursor()
    {
        var editor = new LineEditor();
        Type(editor, "hello wrld");
        Press(editor, ConsoleKey.LeftArrow, ConsoleKey.LeftArrow, ConsoleKey.LeftArrow);
        Type(editor, "o");
        Assert.Equal(("hello world", 8), (editor.Text, editor.Cursor));

        Press(editor, ConsoleKey.Home, ConsoleKey.Delete);
        Press(editor, ConsoleKey.End, ConsoleKey.Backspace);
        Assert.Equal(("ello worl", 9), (editor.Text, editor.Cursor));
    }

    [Fact]
    public void Control_keys_work_like_readline()
    {
        var editor = new LineEditor();
        Type(editor, "one two three");
        Assert.Equal(EditResult.Changed, editor.Handle(Ctrl('W')));
        Assert.Equal("one two ", editor.Text);
        editor.Handle(Ctrl('A'));
        editor.Handle(Ctrl('F'));
        editor.Handle(Ctrl('K'));
        Assert.Equal(("o", 1), (editor.Text, editor.Cursor));
        Type(editor, "ne");
        editor.Handle(Ctrl('U'));
        Assert.Equal(("", 0), (editor.Text, editor.Cursor));
        Assert.Equal(EditResult.EndOfInput, editor.Handle(Ctrl('D')));
        Assert.Equal(EditResult.ClearScreen, editor.Handle(Ctrl('L')));
    }

    [Fact]
    public void Ctrl_arrows_jump_by_word()
    {
        var editor = new LineEditor();
        Type(editor, "alpha beta gamma");
        editor.Handle(Key(ConsoleKey.LeftArrow, control: true));
        Assert.Equal(11, editor.Cursor);
        editor.Handle(Key(ConsoleKey.LeftArrow, control: true));
        Assert.Equal(6, editor.Cursor);
        editor.Handle(Key(ConsoleKey.RightArrow, control: true));
        Assert.Equal(10, editor.Cursor);
    }

    [Fact]
    public void History_walks_back_and_forth_and_keeps_the_draft()
    {
        var editor = new LineEditor();
        foreach (var line in new[] { "first", "second", "second" })
        {
            Type(editor, line);
            Assert.Equal(EditResult.Submitted, editor.Handle(Key(ConsoleKey.Enter)));
            Assert.Equal(line, editor.Submit());
        }

        Type(editor, "draft");
        Press(editor, ConsoleKey.UpArrow);
        Assert.Equal("second", editor.Text);
        Press(editor, ConsoleKey.UpArrow);
        Assert.Equal("first", editor.Text); // the repeated line was stored once
        Assert.Equal(EditResult.None, editor.Handle(Key(ConsoleKey.UpArrow)));
        Press(editor, ConsoleKey.DownArrow, ConsoleKey.DownArrow);
        Assert.Equal(("draft", 5), (editor.Text, editor.Cursor));
    }

    [Fact]
    public void A_surrogate_pair_is_one_character_to_move_over_and_delete()
    {
        var editor = new LineEditor();
        Type(editor, "a😀b");
        Press(editor, ConsoleKey.LeftArrow, ConsoleKey.LeftArrow);
        Assert.Equal(1, editor.Cursor);
        Press(editor, ConsoleKey.Delete);
        Assert.Equal("ab", editor.Text);
    }

    [Fact]
    public void Control_characters_are_never_inserted()
    {
        var editor = new LineEditor();
        Assert.Equal(EditResult.None, editor.Handle(new ConsoleKeyInfo('\u001b', ConsoleKey.Escape, false, false, false)));
        Assert.Equal(EditResult.None, editor.Handle(new ConsoleKeyInfo('\u0000', ConsoleKey.F1, false, false, false)));
        Assert.Equal("", editor.Text);
    }

    [Fact]
    public void Tab_completes_a_unique_match_and_lists_several()
    {
        var editor = new LineEditor { Completions = (word, atStart) => atStart ? ["/msg", "/me"] : ["bob", "bella", "carol"] };
        Type(editor, "/ms");
        Press(editor, ConsoleKey.Tab);
        Assert.Equal("/msg ", editor.Text);

        Type(editor, "b");
        Assert.Equal(EditResult.ShowCandidates, editor.Handle(Key(ConsoleKey.Tab)));
        Assert.Equal(["bella", "bob"], editor.Candidates);
        Type(editor, "o");
        Press(editor, ConsoleKey.Tab);
        Assert.Equal("/msg bob ", editor.Text);
    }

    [Fact]
    public void A_long_line_scrolls_sideways_to_keep_the_cursor_in_view()
    {
        var editor = new LineEditor();
        Type(editor, "0123456789abcdefghij");

        var (visible, column) = editor.View(10);
        Assert.Equal(("bcdefghij", 9), (visible, column));

        Press(editor, ConsoleKey.Home);
        (visible, column) = editor.View(10);
        Assert.Equal(("012345678", 0), (visible, column));

        // Everything fits again after deleting: the view scrolls back to the start.
        Press(editor, ConsoleKey.End);
        editor.View(10);
        for (var i = 0; i < 15; i++)
        {
            Press(editor, ConsoleKey.Backspace);
        }

        Assert.Equal(("01234", 5), editor.View(10));
    }

    [Fact]
    public void Wide_characters_take_two_columns_in_the_view()
    {
        var editor = new LineEditor();
        Type(editor, "日本語");
        Assert.Equal(("日本語", 6), editor.View(20));
    }

    private static void Type(LineEditor editor, string text)
    {
        foreach (var c in text)
        {
            Assert.Equal(EditResult.Changed, editor.Handle(new ConsoleKeyInfo(c, 0, false, false, false)));
        }
    }

    private static void Press(LineEditor editor, params ConsoleKey[] keys)
    {
        foreach (var key in keys)
        {
            editor.Handle(Key(key));
        }
    }

    private static ConsoleKeyInfo Key(ConsoleKey key, bool control = false) => new('\0', key, false, false, control);

    private static ConsoleKeyInfo Ctrl(char letter) => new((char)(letter - '@'), ConsoleKey.A + (letter - 'A'), false, false, true);
}
