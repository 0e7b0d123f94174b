using System.CommandLine;
using Parley.Cli;

var root = new RootCommand("Parley: a chat server and its clients. Run `parley serve` to start a server.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SoakCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
root.Subcommands.Add(BenchStoreCommand.Create());

// The host handles SIGINT/SIGTERM itself (graceful shutdown); System.CommandLine must not race it.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
