using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Parley.Turn;

/// <summary>Validates <see cref="TurnOptions"/> at start (beyond the data annotations).</summary>
internal sealed class TurnOptionsValidator : IValidateOptions<TurnOptions>
{
    public ValidateOptionsResult Validate(string? name, TurnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"Turn:ListenAddress '{options.ListenAddress}' is not an IP address.");
        }

        CheckAddress(options.RelayAddress, AddressFamily.InterNetwork, "Turn:RelayAddress", failures);
        CheckAddress(options.RelayAddressIPv6, AddressFamily.InterNetworkV6, "Turn:RelayAddressIPv6", failures);
        CheckAddress(options.ExternalAddress, AddressFamily.InterNetwork, "Turn:ExternalAddress", failures);
        foreach (string range in options.AllowedPeerRanges)
        {
            if (!IPNetwork.TryParse(range, out _))
            {
                failures.Add($"Turn:AllowedPeerRanges entry '{range}' is not a CIDR range.");
            }
        }

        for (int i = 0; i < options.SharedSecrets.Count; i++)
        {
            if (string.IsNullOrEmpty(options.SharedSecrets[i]) || options.SharedSecrets[i].Length < 16)
            {
                // Never echo the secret itself.
                failures.Add($"Turn:SharedSecrets[{i}] must be at least 16 characters.");
            }
        }

        if (options.TlsPort == options.Port)
        {
            failures.Add("Turn:TlsPort must differ from Turn:Port (both are TCP listeners).");
        }

        if (!string.IsNullOrEmpty(options.CertificateKeyPath) && string.IsNullOrEmpty(options.CertificatePath))
        {
            failures.Add("Turn:CertificateKeyPath needs Turn:CertificatePath.");
        }

        if (options.RelayPortMin > options.RelayPortMax)
        {
            failures.Add("Turn:RelayPortMin must not exceed Turn:RelayPortMax.");
        }

        if (options.DefaultLifetime < TimeSpan.FromSeconds(60) || options.DefaultLifetime > options.MaxLifetime)
        {
            failures.Add("Turn:DefaultLifetime must be at least 60 s and at most Turn:MaxLifetime.");
        }

        if (options.MaxLifetime > TimeSpan.FromSeconds(3600))
        {
            failures.Add("Turn:MaxLifetime must be at most 3600 s (RFC 8656 §7.2).");
        }

        if (options.ExpiredCredentialGrace < TimeSpan.Zero || options.ExpiredCredentialGrace > TimeSpan.FromDays(7))
        {
            failures.Add("Turn:ExpiredCredentialGrace must be between 0 and 7 days.");
        }

        if (options.CredentialLifetime < TimeSpan.FromMinutes(1) || options.CredentialLifetime > TimeSpan.FromHours(24))
        {
            failures.Add("Turn:CredentialLifetime must be between 1 minute and 24 hours.");
        }

        if (options.NonceLifetime < TimeSpan.FromSeconds(30) || options.NonceLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Turn:NonceLifetime must be between 30 seconds and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckAddress(string? value, AddressFamily family, string name, List<string> failures)
    {
        if (value is not null && (!IPAddress.TryParse(value, out IPAddress? address) || address.AddressFamily != family))
        {
            failures.Add($"{name} '{value}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address.");
        }
    }
}
