using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Turn.Auth;

namespace Parley.Turn.Tests;

public class ServiceRegistrationTests
{
    [Fact]
    public async Task AddParleyTurn_registers_the_issuer_and_hosted_services_that_idle_when_disabled()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Turn:Enabled"] = "false" });
        builder.Services.AddParleyTurn();
        using IHost host = builder.Build();
        await host.StartAsync();

        TurnCredential credential = host.Services.GetRequiredService<TurnCredentialIssuer>().Issue("participant-1", TimeSpan.FromMinutes(10));
        Assert.EndsWith(":participant-1", credential.Username, StringComparison.Ordinal);
        Assert.Equal(4, host.Services.GetServices<IHostedService>().Count(s => s.GetType().Namespace == "Parley.Turn.Sockets"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Turn:AllowedPeerRanges:0"] = "not-a-cidr" });
        builder.Services.AddParleyTurn();
        using IHost host = builder.Build();
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
    }
}
