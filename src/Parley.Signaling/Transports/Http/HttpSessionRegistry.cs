using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Transports.Http;

/// <summary>
/// The open HTTP signaling sessions by id, bounded in total (with WebSockets, by <see cref="SignalingOptions.MaxConnections"/>)
/// and per client address (<see cref="HttpSignalingOptions.MaxSessionsPerAddress"/>).
/// </summary>
public sealed class HttpSessionRegistry(SignalingServer server, ILogger<HttpSessionRegistry> logger)
{
    private readonly ConcurrentDictionary<string, HttpTransport> sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, int> perAddress = [];
    private readonly Lock addressGate = new();

    /// <summary>Open HTTP sessions; for tests and diagnostics.</summary>
    public int Count => sessions.Count;

    /// <summary>Opens a session for a client at <paramref name="origin"/>; its hello is queued when this returns.</summary>
    internal HttpOpenResult TryOpen(SessionOrigin origin, out HttpTransport? transport)
    {
        transport = null;
        if (!TryCountAddress(origin.RemoteAddress))
        {
            return HttpOpenResult.TooManyForAddress;
        }

        if (!server.Connections.TryAcquire())
        {
            ReleaseAddress(origin.RemoteAddress);
            SignalingLog.ServerBusy(logger, server.Options.MaxConnections);
            return HttpOpenResult.Busy;
        }

        // 128 random bits: the id is the session's only secret besides the address it is bound to.
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var opened = new HttpTransport(id, origin.RemoteAddress, server.Options, server.Time);
        sessions[id] = opened;

        // Runs synchronously up to the transport's wait for its end, so the session takes POSTs once this returns.
        var run = server.RunSessionAsync(_ => opened, origin, CancellationToken.None);
        _ = ForgetWhenEndedAsync(run, opened);
        transport = opened;
        return HttpOpenResult.Opened;
    }

    /// <summary>The session <paramref name="id"/>, if it is open and <paramref name="from"/> is the address that opened it.</summary>
    /// <remarks>
    /// An ended session stays listed until its run has finished (<see cref="ForgetWhenEndedAsync"/>); meanwhile it is
    /// found no more, or a reader would attach to it and get an empty 200 instead of <c>unknown-session</c>.
    /// </remarks>
    internal HttpTransport? Find(string id, IPAddress? from) =>
        sessions.TryGetValue(id, out var transport) && !transport.Ended.IsCompleted && Equals(Normalize(transport.Owner), Normalize(from)) ? transport : null;

    private async Task ForgetWhenEndedAsync(Task run, HttpTransport transport)
    {
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            sessions.TryRemove(transport.Id, out _);
            transport.Dispose();
            server.Connections.Release();
            ReleaseAddress(transport.Owner);
        }
    }

    private bool TryCountAddress(IPAddress? address)
    {
        if (Normalize(address) is not { } key || IPAddress.IsLoopback(key))
        {
            return true;
        }

        lock (addressGate)
        {
            var count = perAddress.GetValueOrDefault(key);
            if (count >= server.Options.Http.MaxSessionsPerAddress)
            {
                return false;
            }

            perAddress[key] = count + 1;
            return true;
        }
    }

    private void ReleaseAddress(IPAddress? address)
    {
        if (Normalize(address) is not { } key || IPAddress.IsLoopback(key))
        {
            return;
        }

        lock (addressGate)
        {
            if (perAddress.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    perAddress.Remove(key);
                }
                else
                {
                    perAddress[key] = count - 1;
                }
            }
        }
    }

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}

internal enum HttpOpenResult
{
    Opened,
    Busy,
    TooManyForAddress,
}
