using Microsoft.Extensions.DependencyInjection;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Server.Tests;

/// <summary>
/// A <c>join</c> or <c>resume</c> that waits for the shared store (several nodes: where the room lives, a seat) holds
/// no thread: the session holds the client's later messages and handles them, in order, once the entry is decided; a
/// refusal arrives before them; a client that vanished meanwhile leaves no participant behind. A router and seats that
/// answer when the test says stand in for Redis.
/// </summary>
public sealed class EntryWaitTests
{
    private static readonly object Join = new { type = "join", protocol = 1, room = "r", name = "Ann" };

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Messages_sent_while_a_join_waits_for_its_room_are_handled_after_it_in_order(string transport)
    {
        var router = new GatedRouter();
        using var server = new ParleyServer(services: services => services.AddSingleton<IRoomRouter>(router));
        await using var ann = await server.ConnectAsync(transport);

        await ann.SendAsync(Join);
        await router.Asked.WaitAsync(TimeSpan.FromSeconds(10));
        await ann.SendAsync(new { type = "ping", id = "1" });
        await ann.SendAsync(new { type = "ping", id = "2" });
        await WaitUntilReceivedAsync(server, 3); // both pings are at the server, held, before the join is decided
        router.Answer(RoomRouting.Here);

        Assert.Equal("joined", (await ann.ReceiveAsync()).GetProperty("type").GetString());
        Assert.Equal("1", (await ann.ReceiveAsync()).GetProperty("id").GetString());
        Assert.Equal("2", (await ann.ReceiveAsync()).GetProperty("id").GetString());
        Assert.Equal(1, server.Signaling.Sessions.Single().Room?.Count);
    }

    [Fact]
    public async Task What_is_held_while_a_join_waits_is_bounded_in_bytes_and_what_is_over_is_refused_at_once()
    {
        var router = new GatedRouter();
        using var server = new ParleyServer(new() { ["Signaling:MaxQueuedBytes"] = "65536" }, services => services.AddSingleton<IRoomRouter>(router));
        await using var ann = await server.ConnectAsync();
        var padding = new string('x', 40_000);

        await ann.SendAsync(Join);
        await router.Asked.WaitAsync(TimeSpan.FromSeconds(10));
        await ann.SendAsync(new { type = "ping", id = "kept", padding });
        await ann.SendAsync(new { type = "ping", id = "over", padding }); // 80 KB held would pass the 64 KiB bound

        await ann.ExpectErrorAsync(ErrorCode.RateExceeded); // at once, while the join still waits
        router.Answer(RoomRouting.Here);
        Assert.Equal("joined", (await ann.ReceiveAsync()).GetProperty("type").GetString());
        Assert.Equal("kept", (await ann.ReceiveAsync()).GetProperty("id").GetString());
        await ann.AssertAliveAsync(); // and nothing else came: "over" was dropped
    }

    [Fact]
    public async Task A_seat_refused_after_a_wait_is_answered_before_the_messages_held_meanwhile()
    {
        var seats = new GatedSeats();
        using var server = new ParleyServer(services: services => services.AddSingleton<IRoomSeats>(seats));
        await using var ann = await server.ConnectAsync();

        await ann.SendAsync(Join);
        await seats.Asked.WaitAsync(TimeSpan.FromSeconds(10));
        await ann.SendAsync(new { type = "ping", id = "held" });
        await WaitUntilReceivedAsync(server, 2);
        seats.Answer(new ProtocolError(ErrorCode.RoomFull, "full"));

        Assert.Equal("join", (await ann.ExpectErrorAsync(ErrorCode.RoomFull)).GetProperty("ref").GetString());
        Assert.Equal("held", (await ann.ReceiveAsync()).GetProperty("id").GetString());
        Assert.Null(server.Signaling.Sessions.Single().Room);
        Assert.Empty(seats.Released); // the refusal was the store's: nothing to give back

        // The session goes on: the next join is decided at once.
        seats.AnswerAtOnce = true;
        await ann.JoinWithAsync(Join);
    }

    [Fact]
    public async Task A_client_gone_before_its_join_is_decided_leaves_no_participant_and_gives_its_seat_back()
    {
        var seats = new GatedSeats();
        using var server = new ParleyServer(services: services => services.AddSingleton<IRoomSeats>(seats));
        var ann = await server.ConnectAsync();
        await ann.SendAsync(Join);
        await seats.Asked.WaitAsync(TimeSpan.FromSeconds(10));

        ann.Abort();
        await server.WaitUntilSessionsAsync(0);
        seats.Answer(null); // the seat is taken, for a client that is no longer there

        await using var bob = await server.JoinAsync("r", "Bob");
        Assert.Empty(bob.Joined.GetProperty("participants").EnumerateArray());
        Assert.Equal(1, server.Services.GetRequiredService<RoomRegistry>().Find("r")?.Count);
        Assert.Contains(seats.Released, seat => seat != bob.Id);
        await ann.DisposeAsync();
    }

    private static async Task WaitUntilReceivedAsync(ParleyServer server, int count)
    {
        for (var i = 0; i < 400 && !server.Signaling.Sessions.Any(session => session.ReceivedMessages >= count); i++)
        {
            await Task.Delay(25);
        }

        Assert.Contains(server.Signaling.Sessions, session => session.ReceivedMessages >= count);
    }

    /// <summary>Routes every room here, once the test answers the first question.</summary>
    private sealed class GatedRouter : IRoomRouter
    {
        private readonly TaskCompletionSource<RoomRouting> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Asked => asked.Task;

        public void Answer(RoomRouting routing) => answer.TrySetResult(routing);

        public ValueTask<RoomRouting> RouteAsync(SignalingSession session, string roomName, ReadOnlyMemory<byte> message)
        {
            asked.TrySetResult();
            return new ValueTask<RoomRouting>(answer.Task);
        }
    }

    /// <summary>Seats decided when the test says (the first one), then at once if it says so.</summary>
    private sealed class GatedSeats : IRoomSeats
    {
        private readonly TaskCompletionSource<ProtocolError?> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Asked => asked.Task;

        public bool AnswerAtOnce { get; set; }

        public List<string> Released { get; } = [];

        public void Answer(ProtocolError? refusal) => answer.TrySetResult(refusal);

        public bool TryTake(string roomName, string participantId, int capacity, out ProtocolError refusal)
        {
            refusal = default;
            return true;
        }

        public ValueTask<ProtocolError?> TakeAsync(string roomName, string participantId, int capacity)
        {
            if (AnswerAtOnce || !asked.TrySetResult())
            {
                return ValueTask.FromResult<ProtocolError?>(null);
            }

            return new ValueTask<ProtocolError?>(answer.Task);
        }

        public void Release(string roomName, string participantId)
        {
            lock (Released)
            {
                Released.Add(participantId);
            }
        }
    }
}
