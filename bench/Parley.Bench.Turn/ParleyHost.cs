using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Turn;

namespace Parley.Bench.Turn;

/// <summary>
/// `host PORT SECRET RELAYMIN RELAYMAX`: Parley's TURN server alone in this process (so its CPU time can be read
/// from /proc), configured like the coturn run: loopback, shared secret, realm parley, loopback peers allowed.
/// The per-allocation bandwidth cap is raised so that it does not shape the load (coturn has none by default).
/// </summary>
internal static class ParleyHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        // As Parley.Server does by default (Server:InlineScheduling, src/Parley.Server/Hosting/InlineScheduling.cs):
        // async socket completions run on the runtime's epoll threads instead of hopping to the thread pool. It is
        // read at the first socket, so it is set before any. It matters for what the UDP event loop does not read:
        // TCP and TLS clients, and UDP with Turn:UdpEventLoops=false.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Port"] = args[1],
            ["Turn:TlsPort"] = (int.Parse(args[1], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture),
            ["Turn:ListenAddress"] = "127.0.0.1",
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:SharedSecrets:0"] = args[2],
            ["Turn:RelayPortMin"] = args[3],
            ["Turn:RelayPortMax"] = args[4],
            ["Turn:AllowedPeerRanges:0"] = "127.0.0.0/8",
            ["Turn:MaxBandwidthPerAllocation"] = "1000000000",
            ["Turn:MaxAllocationsPerUser"] = "10000",
            ["Turn:MaxAllocations"] = "10000",
        });
        builder.Services.AddParleyTurn();
        using IHost host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
