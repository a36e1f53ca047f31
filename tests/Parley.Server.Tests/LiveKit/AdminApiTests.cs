using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Parley.Access;
using Call = Parley.Server.Tests.LiveKit.RoomServiceNode.Call;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// The admin API (LiveKit's RoomService over Twirp) driven by the real <c>RoomServiceClient</c> of livekit-server-sdk
/// against a real server, with participants who joined over real WebSockets with access tokens.
/// </summary>
public sealed class AdminApiTests
{
    private const string Key = "APIadmin";
    private static readonly string Secret = new('s', 40);

    [Fact]
    public async Task RoomServiceClient_lists_inspects_mutes_updates_messages_and_removes_participants()
    {
        using var server = new ParleyServer(TokenMode());
        await using var alice = await JoinAsync(server, "alice");
        await using var bob = await JoinAsync(server, "bob");
        await alice.ExpectAsync("participant-joined");
        var aliceTrack = "TR_" + alice.Id[2..];

        var results = await CallAsync(server,
            new Call("listRooms"),
            new Call("listParticipants", "standup"),
            new Call("getParticipant", "standup", "alice"),
            new Call("mutePublishedTrack", "standup", "alice", aliceTrack, true),
            new Call("updateParticipant", "standup", "bob", new { metadata = "{\"seat\":3}", name = "Robert", permission = new { canSubscribe = true, canPublish = false, canPublishData = true } }),
            new Call("updateRoomMetadata", "standup", "{\"topic\":\"daily\"}"),
            new Call("sendData", "standup", new byte[] { 1, 2, 3, 250 }, 0, new { destinationIdentities = new[] { "bob" }, topic = "scores" }),
            new Call("getParticipant", "standup", "nobody"),
            new Call("mutePublishedTrack", "standup", "alice", "TR_not-hers", true));

        var room = Assert.Single(results[0].Answer.EnumerateArray());
        Assert.Equal("standup", room.GetProperty("name").GetString());
        Assert.StartsWith("RM_", room.GetProperty("sid").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, room.GetProperty("numParticipants").GetInt32());
        Assert.Equal(["alice", "bob"], results[1].Answer.EnumerateArray().Select(p => p.GetProperty("identity").GetString()).Order());
        var info = results[2].Answer;
        Assert.Equal(alice.Id, info.GetProperty("sid").GetString());
        Assert.Equal("ALICE", info.GetProperty("name").GetString());
        Assert.Equal("ACTIVE", info.GetProperty("state").GetString());
        Assert.Equal(aliceTrack, Assert.Single(info.GetProperty("tracks").EnumerateArray()).GetProperty("sid").GetString());
        Assert.True(results[3].Answer.GetProperty("muted").GetBoolean()); // the SDK returns the track
        Assert.Equal(aliceTrack, results[3].Answer.GetProperty("sid").GetString());
        var updated = results[4].Answer;
        Assert.Equal("Robert", updated.GetProperty("name").GetString());
        Assert.Equal("{\"seat\":3}", updated.GetProperty("metadata").GetString());
        Assert.False(updated.GetProperty("permission").GetProperty("canPublish").GetBoolean());
        Assert.Empty(updated.GetProperty("tracks").EnumerateArray());
        Assert.Equal("{\"topic\":\"daily\"}", results[5].Answer.GetProperty("metadata").GetString());
        Assert.True(results[6].Ok, results[6].Message);
        Assert.Equal((404, "not_found"), (results[7].Status, results[7].Code));
        Assert.Equal((404, "not_found"), (results[8].Status, results[8].Code));

        // What the participants were told.
        var muted = await alice.ExpectAsync("participant-updated");
        Assert.True(muted.GetProperty("participant").GetProperty("serverMuted").GetBoolean());
        var data = await bob.ExpectAsync("data");
        Assert.Equal("AQID+g==", data.GetProperty("payload").GetString());
        Assert.Equal("scores", data.GetProperty("topic").GetString());

        var removal = await CallAsync(server, new Call("removeParticipant", "standup", "bob"), new Call("listParticipants", "standup"));
        Assert.True(removal[0].Ok, removal[0].Message);
        await bob.ExpectErrorAsync("removed");
        Assert.Equal(["alice"], removal[1].Answer.EnumerateArray().Select(p => p.GetProperty("identity").GetString()));
    }

    [Fact]
    public async Task RoomServiceClient_creates_and_deletes_rooms()
    {
        using var server = new ParleyServer(TokenMode());

        var results = await CallAsync(server,
            new Call("createRoom", new { name = "planning", emptyTimeout = 60, maxParticipants = 4, metadata = "{\"agenda\":1}" }),
            new Call("listRooms", (object)new[] { "planning" }),
            new Call("deleteRoom", "planning"),
            new Call("listRooms", (object)new[] { "planning" }),
            new Call("deleteRoom", "planning"));

        var created = results[0].Answer;
        Assert.Equal("planning", created.GetProperty("name").GetString());
        Assert.Equal(60, created.GetProperty("emptyTimeout").GetInt32());
        Assert.Equal(4, created.GetProperty("maxParticipants").GetInt32());
        Assert.Equal("{\"agenda\":1}", created.GetProperty("metadata").GetString());
        Assert.Equal(server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), created.GetProperty("creationTime").GetString());
        Assert.Equal(created.GetProperty("sid").GetString(), Assert.Single(results[1].Answer.EnumerateArray()).GetProperty("sid").GetString());
        Assert.True(results[2].Ok, results[2].Message);
        Assert.Empty(results[3].Answer.EnumerateArray());
        Assert.Equal((404, "not_found"), (results[4].Status, results[4].Code));
    }

    [Fact]
    public async Task Each_method_needs_its_grant_and_a_valid_token()
    {
        using var server = new ParleyServer(TokenMode());
        await using var alice = await JoinAsync(server, "alice");
        string Token(VideoGrant grant) => new AccessTokenMinter(server.Time).Mint(Key, Secret, "backend", null, null, grant, TimeSpan.FromMinutes(10));

        var otherSecret = await RoomServiceNode.CallOneAsync(server.BaseAddress, Key, new string('x', 40), new Call("listRooms"));
        var adminOfAnother = await RoomServiceNode.CallAsync(server.BaseAddress, Key, Secret,
            [new Call("listParticipants", "standup"), new Call("removeParticipant", "standup", "alice")], Token(new VideoGrant { RoomAdmin = true, Room = "elsewhere" }));
        var noList = await RoomServiceNode.CallOneAsync(server.BaseAddress, Key, Secret, new Call("listRooms"), Token(new VideoGrant { RoomAdmin = true, Room = "standup" }));
        var noCreate = await RoomServiceNode.CallAsync(server.BaseAddress, Key, Secret,
            [new Call("createRoom", new { name = "x" }), new Call("deleteRoom", "standup")], Token(new VideoGrant { RoomList = true }));
        var scoped = await RoomServiceNode.CallOneAsync(server.BaseAddress, Key, Secret, new Call("listParticipants", "STANDUP"), Token(new VideoGrant { RoomAdmin = true, Room = "standup" }));

        Assert.Equal((401, "unauthenticated"), (otherSecret.Status, otherSecret.Code));
        Assert.StartsWith("token-signature: ", otherSecret.Message, StringComparison.Ordinal);
        Assert.All(adminOfAnother, result => Assert.Equal((403, "permission_denied"), (result.Status, result.Code)));
        Assert.Equal((403, "permission_denied"), (noList.Status, noList.Code));
        Assert.All(noCreate, result => Assert.Equal((403, "permission_denied"), (result.Status, result.Code)));
        Assert.Equal("alice", Assert.Single(scoped.Answer.EnumerateArray()).GetProperty("identity").GetString());
        await alice.AssertAliveAsync(); // nobody removed her
    }

    [Fact]
    public async Task In_open_mode_the_admin_API_is_a_bad_route_that_says_it_needs_token_mode()
    {
        using var server = new ParleyServer();

        var result = await RoomServiceNode.CallOneAsync(server.BaseAddress, Key, Secret, new Call("listRooms"));

        Assert.Equal((404, "bad_route"), (result.Status, result.Code));
        Assert.Equal("The admin API needs token mode (Auth:Keys).", result.Message);
    }

    [Fact]
    public async Task Twirp_errors_for_routes_bodies_and_fields_and_snake_case_fields_accepted()
    {
        using var server = new ParleyServer(TokenMode());
        await using var alice = await JoinAsync(server, "alice");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var token = new AccessTokenMinter(server.Time).Mint(Key, Secret, "backend", null, null, new VideoGrant { RoomAdmin = true, Room = "standup" }, TimeSpan.FromMinutes(10));

        async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> PostAsync(string method, string body, string contentType = "application/json", string? bearer = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/twirp/livekit.RoomService/" + method) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? token);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        static void AssertTwirp((HttpStatusCode Status, string? ContentType, JsonElement Body) answer, HttpStatusCode status, string code)
        {
            Assert.Equal(status, answer.Status);
            Assert.Equal("application/json", answer.ContentType);
            Assert.Equal(code, answer.Body.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("msg").GetString()));
        }

        AssertTwirp(await PostAsync("UpdateSubscriptions", "{}"), HttpStatusCode.NotFound, "bad_route");
        AssertTwirp(await PostAsync("ListParticipants", "{}", "application/protobuf"), HttpStatusCode.NotFound, "bad_route");
        AssertTwirp(await PostAsync("ListParticipants", "{\"room\":\"standup\"}", bearer: "not-a-jwt"), HttpStatusCode.Unauthorized, "unauthenticated");
        AssertTwirp(await PostAsync("ListParticipants", "{\"room\":"), HttpStatusCode.BadRequest, "malformed");
        AssertTwirp(await PostAsync("ListParticipants", "{\"room\":5}"), HttpStatusCode.BadRequest, "malformed");
        AssertTwirp(await PostAsync("ListParticipants", "{}"), HttpStatusCode.BadRequest, "invalid_argument");
        AssertTwirp(await PostAsync("SendData", "{\"room\":\"standup\",\"data\":\"" + new string('A', 70 * 1024) + "\"}"), HttpStatusCode.BadRequest, "malformed");
        using (var get = await http.GetAsync("/twirp/livekit.RoomService/ListRooms"))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        var snake = await PostAsync("MutePublishedTrack", $"{{\"room\":\"standup\",\"identity\":\"alice\",\"track_sid\":\"TR_{alice.Id[2..]}\",\"muted\":true}}");
        Assert.Equal(HttpStatusCode.OK, snake.Status);
        Assert.Equal("application/json", snake.ContentType);
        Assert.True(snake.Body.GetProperty("track").GetProperty("muted").GetBoolean());
        var listed = await PostAsync("ListParticipants", "{\"room\":\"standup\"}");
        Assert.Equal(JsonValueKind.String, listed.Body.GetProperty("participants")[0].GetProperty("joinedAt").ValueKind); // int64 as a string
    }

    private static Dictionary<string, string?> TokenMode() => new() { [$"Auth:Keys:{Key}"] = Secret };

    private static Task<IReadOnlyList<RoomServiceNode.Result>> CallAsync(ParleyServer server, params Call[] calls) =>
        RoomServiceNode.CallAsync(server.BaseAddress, Key, Secret, calls);

    /// <summary>Joins <c>standup</c> over a real WebSocket with a token for <paramref name="identity"/>.</summary>
    internal static async Task<SignalingClient> JoinAsync(ParleyServer server, string identity, string key = Key, string? secret = null, string room = "standup")
    {
        var token = new AccessTokenMinter(server.Time).Mint(key, secret ?? Secret, identity, identity.ToUpperInvariant(), null,
            new VideoGrant { RoomJoin = true, Room = room }, TimeSpan.FromHours(1));
        var client = await server.ConnectAsync();
        await client.JoinWithAsync(new { type = "join", protocol = 1, token });
        return client;
    }
}
