using Parley.Compat.LiveKit.Hosting;
using Parley.Server.Hosting;
using Parley.Signaling.Hosting;
using Parley.Turn;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebApp.RootPath });
builder.UseParleyDefaultUrls();
builder.UseParleyInlineScheduling();
builder.Services.AddParleyTurn();
builder.Services.AddParleyTurnIceServers();
builder.Services.AddParleySignaling();
builder.Services.AddParleyLiveKit();

var app = builder.BuildParley(); // a configuration mistake ends the process here, one line per problem on stderr
app.UseParleyWebApp();
app.MapParleyHealth();
app.MapParleySignaling();
app.LogParleyAddresses();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
