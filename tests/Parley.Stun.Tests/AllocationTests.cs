using System.Net;
using Parley.Stun.Attributes;
using Parley.Tests.Shared;

namespace Parley.Stun.Tests;

/// <summary>
/// The hot paths allocate nothing (pion internal/testutil/allocs.go): parsing and writing a Binding
/// request/response, a Send indication and ChannelData, measured in rounds of a hundred (<see cref="AllocationRounds"/>).
/// </summary>
public class AllocationTests
{
    private static readonly byte[] Key = StunKeys.ShortTerm("VOkJxbRl1RmTxUk/WvJxBt");
    private static readonly TransportAddress Client = new(IPAddress.Parse("203.0.113.5"), 50000);
    private static readonly byte[] Payload = new byte[160];

    [Fact]
    public void Binding_request_and_response_round_trip_allocates_nothing()
    {
        var request = new byte[1500];
        var response = new byte[1500];
        TransactionId id = TransactionId.NewId();
        int sink = 0;
        AllocationRounds.AssertSteadyStateAllocatesNothing(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                sink += BindingRoundTrip(request, response, id);
            }
        });
        Assert.Equal(11 * 100 * 3, sink);
    }

    [Fact]
    public void Send_indication_and_channel_data_allocate_nothing()
    {
        var buffer = new byte[1500];
        TransactionId id = TransactionId.NewId();
        int sink = 0;
        AllocationRounds.AssertSteadyStateAllocatesNothing(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                sink += RelayRoundTrip(buffer, id);
            }
        });
        Assert.Equal(11 * 100 * 2, sink);
    }

    private static int BindingRoundTrip(byte[] requestBuffer, byte[] responseBuffer, TransactionId id)
    {
        // Client: a Binding request with USERNAME, short-term MESSAGE-INTEGRITY and FINGERPRINT.
        var writer = new StunMessageWriter(requestBuffer, StunMessageType.BindingRequest, id);
        writer.Add(new Username("evtj:h6vY"));
        writer.Add(new MessageIntegrity(Key));
        writer.Add(new Fingerprint());
        int requestLength = writer.BytesWritten;

        // Server: parse, check, answer with XOR-MAPPED-ADDRESS.
        int ok = 0;
        if (StunMessage.TryRead(requestBuffer.AsSpan(0, requestLength), out StunMessage request, out _)
            && Fingerprint.Verify(request, out _)
            && request.TryGetAttribute(StunAttributeType.Username, out ReadOnlySpan<byte> user) && user.Length == 9
            && MessageIntegrity.Verify(request, Key, out _))
        {
            ok++;
        }

        var responseWriter = new StunMessageWriter(responseBuffer, request.Type.ToSuccessResponse(), request.TransactionId);
        responseWriter.Add(new XorMappedAddress(Client));
        responseWriter.Add(new MessageIntegrity(Key));
        responseWriter.Add(new Fingerprint());

        // Client: read the mapped address.
        if (StunMessage.TryRead(responseWriter.WrittenSpan, out StunMessage response, out _)
            && MessageIntegrity.Verify(response, Key, out _))
        {
            ok++;
        }

        if (response.TryGet(out XorMappedAddress mapped, out _) && mapped.Address == Client)
        {
            ok++;
        }

        return ok;
    }

    private static int RelayRoundTrip(byte[] buffer, TransactionId id)
    {
        int ok = 0;
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethod.Send, StunClass.Indication), id);
        writer.Add(new XorPeerAddress(Client));
        writer.Add(new Data(Payload));
        if (StunMessage.TryRead(writer.WrittenSpan, out StunMessage send, out _)
            && send.TryGet(out XorPeerAddress peer, out _) && peer.Address == Client
            && send.TryGet(out Data data, out _) && data.Value.Length == Payload.Length)
        {
            ok++;
        }

        if (ChannelData.TryWrite(buffer, 0x4001, Payload, pad: true, out int written, out _)
            && ChannelData.TryRead(buffer.AsSpan(0, written), stream: true, out ChannelData frame, out _, out _)
            && frame.ChannelNumber == 0x4001 && frame.Data.Length == Payload.Length)
        {
            ok++;
        }

        return ok;
    }
}
