namespace Parley.Server.Hosting;

internal static class DefaultUrls
{
    /// <summary>Where Parley listens when nothing else is configured: this machine only, port 8080.</summary>
    public const string Value = "http://localhost:8080";

    /// <summary>
    /// Listens on <see cref="Value"/> unless <c>--urls</c>, <c>URLS</c>/<c>ASPNETCORE_URLS</c>, appsettings
    /// <c>Urls</c> or a Kestrel endpoint says otherwise.
    /// </summary>
    public static WebApplicationBuilder UseParleyDefaultUrls(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]) && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(Value);
        }

        return builder;
    }
}
