using Parley.Server.Commands;

// `parley` / `parley serve` runs the server; `token`, `check-config` and `--version` run instead of it (ParleyCommands).
return ParleyCommands.Run(args);

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
