using Parley.Compat.LiveKit.Hosting;
using Parley.Compat.Tracker.Hosting;
using Parley.Compat.PeerJs.Hosting;
using Parley.Server.Commands;
using Parley.Server.Hosting;
using Parley.Signaling.Hosting;
using Parley.Turn;

if (ParleyCommands.TryRun(args, out var exitCode))
{
    return exitCode; // a command such as `token`, run instead of the server
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebApp.RootPath });
builder.UseParleyDefaultUrls();
builder.UseParleyInlineScheduling();
builder.Services.AddParleyTurn();
builder.Services.AddParleyTurnIceServers();
builder.Services.AddParleySignaling();
builder.Services.AddParleyAccess();
builder.Services.AddParleyTurnEviction();
builder.Services.AddParleyTokenSafeLogging();
builder.Services.AddParleyLiveKit();
builder.Services.AddParleyTracker();
builder.Services.AddParleyWebApp();
builder.Services.AddParleyPeerJs();

var app = builder.BuildParley(); // a configuration mistake ends the process here, one line per problem on stderr
app.UseParleyWebApp();
app.MapParleyHealth();
app.MapParleySignaling();
app.MapParleyLiveKit();
app.MapParleyTracker();
app.MapParleyPeerJs();
app.LogParleyAddresses();
app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
