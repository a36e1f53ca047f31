namespace Parley.Server.Tests.Scale;

/// <summary>
/// The scale tests start redis-server and two or three server processes each, and measure time (a node's death noticed
/// within seconds, a message too old to deliver): they run one at a time, after the rest of the suite, so a loaded
/// machine does not turn their timing into failures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScaleTestGroup
{
    public const string Name = "Scale";
}
