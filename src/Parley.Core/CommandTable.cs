namespace Parley.Core;

/// <summary>Commands by name and alias (case-insensitive, without the leading '/').</summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, CommandDefinition> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CommandDefinition> _ordered = [];

    public void Add(CommandDefinition command)
    {
        command = command with { Handler = StoreFailures.Guard(command.Handler) };
        foreach (var name in command.Aliases.Prepend(command.Name))
        {
            if (!_byName.TryAdd(name, command))
            {
                throw new InvalidOperationException($"Command name '/{name}' is registered twice");
            }
        }

        _ordered.Add(command);
    }

    public bool TryGet(string name, out CommandDefinition command) => _byName.TryGetValue(name, out command!);

    public CommandDefinition this[string name] => _byName[name];

    /// <summary>The commands shown by <c>/help</c>, in registration order.</summary>
    public IEnumerable<CommandDefinition> Visible => _ordered.Where(c => !c.Hidden);
}
