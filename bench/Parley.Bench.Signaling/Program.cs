using Parley.Bench.Signaling;
using Parley.Server.Tests;

// Parley.Bench.Signaling throughput [--servers parley,peerjs,ws-relay,parley-http] [--participants 128] [--room-size 8]
//                                   [--rate 1000,2000,...] [--seconds 5] [--warmup 2] [--rounds 2]
// Parley.Bench.Signaling memory     [--servers ...] [--connections 19000] [--room-size 8] [--rounds 1]
// [--parley-env NAME=VALUE,...] sets environment variables for the Parley process only.
// Servers alternate per step; see ../README.md for the method.
var options = BenchOptions.Parse(args);
if (options.Error is { } error)
{
    Console.Error.WriteLine(error);
    return 2;
}

var launcher = new ServerLauncher(RepositoryFiles.Root, options.ParleyEnvironment);
Console.WriteLine($"{options.Describe()} cores={Environment.ProcessorCount} load={LoadAverage.All()} {DateTime.UtcNow:u}");
if (options.Mode == "memory")
{
    await MemoryBenchmark.RunAsync(launcher, options).ConfigureAwait(false);
}
else
{
    await ThroughputBenchmark.RunAsync(launcher, options).ConfigureAwait(false);
}

return 0;
