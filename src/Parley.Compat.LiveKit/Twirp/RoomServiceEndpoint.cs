using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Access;
using Parley.Compat.LiveKit.LiveKitJson;

namespace Parley.Compat.LiveKit.Twirp;

/// <summary>
/// <c>POST /twirp/livekit.RoomService/&lt;Method&gt;</c>: LiveKit's admin API over Twirp JSON, as its server SDKs'
/// <c>RoomServiceClient</c> calls it, with <c>Authorization: Bearer &lt;token&gt;</c> from an <c>Auth:Keys</c> key.
/// Checked in Twirp's order: the route (<c>bad_route</c>), the token (<c>unauthenticated</c>), the body
/// (<c>malformed</c>), then the method's grant and arguments. Errors are Twirp's JSON with their HTTP status.
/// </summary>
internal sealed class RoomServiceEndpoint(
    IOptions<AuthOptions> auth,
    IAccessTokenValidator validator,
    RoomServiceMethods methods,
    ILogger<RoomServiceEndpoint> logger)
{
    /// <summary>Largest request body: the biggest request, SendData, carries data the size of a chat message or so.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const string Prefix = "/twirp/";
    private const string Service = "livekit.RoomService/";
    private const string BearerPrefix = "Bearer ";

    public async Task HandleAsync(HttpContext context)
    {
        var (method, response, error) = await CallAsync(context).ConfigureAwait(false);
        if (error is null)
        {
            await WriteAsync(context.Response, StatusCodes.Status200OK, response!).ConfigureAwait(false);
            return;
        }

        TwirpLog.Refused(logger, method ?? "(no method)", error.Code);
        await WriteAsync(context.Response, error.HttpStatus, JsonSerializer.SerializeToUtf8Bytes(error, LiveKitJsonContext.Default.TwirpError)).ConfigureAwait(false);
    }

    private async Task<(string? Method, byte[]? Response, TwirpError? Error)> CallAsync(HttpContext context)
    {
        var (method, error) = Route(context.Request);
        if (error is not null)
        {
            return (null, null, error);
        }

        if (!IsBearer(context.Request.Headers.Authorization.ToString(), out var token))
        {
            return (method, null, new TwirpError(TwirpError.Unauthenticated, $"{AccessRefusal.Missing}: an Authorization: Bearer <token> header is required."));
        }

        if (!validator.TryValidateApiCall(token, out var grant, out var refusal))
        {
            return (method, null, new TwirpError(TwirpError.Unauthenticated, $"{refusal.Code}: {refusal.Message}"));
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (method, null, new TwirpError(TwirpError.Malformed, $"The request body is over {MaxBodyBytes} bytes."));
        }

        if (!TwirpRequest.TryParse(body, out var request, out var document))
        {
            return (method, null, new TwirpError(TwirpError.Malformed, "The request body is not a JSON object."));
        }

        using (document)
        {
            try
            {
                var (response, failure) = await methods.InvokeAsync(method!, request, grant.Video).ConfigureAwait(false);
                if (failure is null)
                {
                    TwirpLog.Called(logger, method!, grant.ApiKey);
                }

                return (method, response, failure);
            }
            catch (TwirpRequestException wrongField)
            {
                return (method, null, new TwirpError(TwirpError.Malformed, wrongField.Message));
            }
        }
    }

    /// <summary>The method named by the path, if this server serves it to this request.</summary>
    private (string? Method, TwirpError? Error) Route(HttpRequest request)
    {
        if (!auth.Value.TokenMode)
        {
            return (null, new TwirpError(TwirpError.BadRoute, "The admin API needs token mode (Auth:Keys)."));
        }

        var path = request.Path.Value ?? "";
        var method = path.StartsWith(Prefix + Service, StringComparison.Ordinal) ? path[(Prefix.Length + Service.Length)..] : null;
        if (method is null || !RoomServiceMethods.Names.Contains(method))
        {
            return (null, new TwirpError(TwirpError.BadRoute, $"No method at {path}: Parley serves livekit.RoomService's {string.Join(", ", RoomServiceMethods.Names)}."));
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, new TwirpError(TwirpError.BadRoute, $"Twirp methods take POST, not {request.Method}."));
        }

        // Twirp's two encodings; Parley takes JSON, which LiveKit's Node, Python and other SDKs send.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new TwirpError(TwirpError.BadRoute, "Parley's admin API takes JSON only (Content-Type: application/json), not protobuf."));
        }

        return (method, null);
    }

    private static bool IsBearer(string header, out string token)
    {
        token = header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : "";
        return token.Length > 0;
    }

    /// <summary>The body, or null when it is over <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken aborted)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), aborted).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return length > MaxBodyBytes ? null : buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        // Exactly this: LiveKit's Node SDK reads an error's code and msg only when the type is "application/json".
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
