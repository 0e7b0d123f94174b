namespace Parley.Server.Admin;

/// <summary>One line of the admin page's activity log. <see cref="Seq"/> grows by one per entry, so clients can ask for what is new.</summary>
internal sealed record ActivityEntry(long Seq, DateTimeOffset Time, string Kind, string Text);
