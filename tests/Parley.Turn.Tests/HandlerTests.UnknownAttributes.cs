using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>Unknown comprehension-required attributes: 420 for requests, silence for indications (RFC 8489 §6.3.1, §6.3.2).</summary>
public partial class HandlerTests
{
    private static readonly RawAttribute ChangeRequest = new((StunAttributeType)0x0003, [0, 0, 0, 0]); // RFC 5780, not supported
    private static readonly RawAttribute UnknownRequired = new((StunAttributeType)0x7F00, [1, 2, 3, 4]);
    private static readonly RawAttribute UnknownOptional = new((StunAttributeType)0x8F00, [1, 2, 3, 4]);

    [Fact]
    public void Binding_with_unknown_comprehension_required_attributes_is_420_listing_only_them()
    {
        var h = new HandlerHarness();
        byte[] request = StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId(),
            ChangeRequest, UnknownOptional, UnknownRequired, new Fingerprint());
        Response r = Response.Parse(h.Send(request));
        Assert.Equal(StunClass.ErrorResponse, r.Class);
        Assert.Equal(StunMethod.Binding, r.Method);
        Assert.Equal(StunErrorCode.UnknownAttribute, r.Error);
        Assert.Equal([(StunAttributeType)0x0003, (StunAttributeType)0x7F00], UnknownTypes(r));
        Assert.False(r.HasIntegrity);
        Assert.Null(r.Mapped);
        Assert.True(StunMessage.TryRead(r.Raw, out StunMessage m, out _) && m.HasFingerprint && Fingerprint.Verify(m, out _));
        Assert.True(r.Raw.Length <= 4 * request.Length);
    }

    [Fact]
    public void Binding_with_only_comprehension_optional_unknown_attributes_succeeds()
    {
        var h = new HandlerHarness();
        Response r = Response.Parse(h.Send(StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId(), UnknownOptional)));
        Assert.Equal(StunClass.SuccessResponse, r.Class);
        Assert.Equal(HandlerHarness.Tuple().Client, r.Mapped);
    }

    [Fact]
    public void A_binding_420_lists_at_most_eight_types_and_stays_within_four_times_the_request()
    {
        var h = new HandlerHarness();
        IStunSetter[] many = Enumerable.Range(0x7E00, 30).Select(t => (IStunSetter)new RawAttribute((StunAttributeType)t, [])).ToArray();
        byte[] request = StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId(), many);
        Response r = Response.Parse(h.Send(request));
        Assert.Equal(StunErrorCode.UnknownAttribute, r.Error);
        Assert.Equal(Enumerable.Range(0x7E00, 8).Select(t => (StunAttributeType)t), UnknownTypes(r));
        Assert.True(r.Raw.Length <= 4 * request.Length);

        // The smallest request that can carry an unknown attribute (24 bytes) still draws less than 4 times its size.
        byte[] smallest = StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId(), new RawAttribute((StunAttributeType)0x7E00, []));
        Assert.Equal(24, smallest.Length);
        Assert.InRange(h.Send(smallest).Length, 1, 4 * 24);
    }

    [Fact]
    public void Binding_420s_are_rate_limited_per_source_like_challenges()
    {
        var h = new HandlerHarness(o => o.ErrorRepliesPerSecond = 2);
        byte[] request = StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId(), UnknownRequired);
        Assert.Equal(4, Enumerable.Range(0, 10).Count(_ => h.Send(request).Length > 0));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEmpty(h.Send(request));
    }

    [Theory]
    [InlineData(StunMethod.Allocate)]
    [InlineData(StunMethod.Refresh)]
    [InlineData(StunMethod.CreatePermission)]
    [InlineData(StunMethod.ChannelBind)]
    public void TURN_requests_with_unknown_comprehension_required_attributes_are_420_after_authentication(StunMethod method)
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        if (method != StunMethod.Allocate)
        {
            client.Allocate();
        }

        // Before authentication a stranger gets the challenge, not the list.
        byte[] unauthenticated = StunMessage.Build(Request(method), TransactionId.NewId(), RequestedTransport.UdpTransport, UnknownRequired);
        Assert.Equal(StunErrorCode.Unauthenticated, Response.Parse(h.Send(unauthenticated, client.Tuple)).Error);

        IStunSetter[] valid = method switch
        {
            StunMethod.Allocate => [RequestedTransport.UdpTransport],
            StunMethod.CreatePermission => [new XorPeerAddress(PublicPeer)],
            StunMethod.ChannelBind => [new ChannelNumber(0x4001), new XorPeerAddress(PublicPeer)],
            _ => [],
        };
        Response r = client.Request(method, [.. valid, UnknownOptional, UnknownRequired]);
        Assert.Equal(StunErrorCode.UnknownAttribute, r.Error);
        Assert.Equal([(StunAttributeType)0x7F00], UnknownTypes(r));
        Assert.True(r.HasIntegrity, "the 420 to an authenticated request is signed");
        Assert.Equal(method == StunMethod.Allocate ? 0 : 1, h.Table.Count);

        // Comprehension-optional ones alone are ignored.
        Assert.Equal(StunClass.SuccessResponse, client.Request(method, [.. valid, UnknownOptional]).Class);
    }

    [Fact]
    public void A_send_indication_with_an_unknown_comprehension_required_attribute_is_discarded()
    {
        var h = new HandlerHarness();
        TestClient client = h.NewClient();
        client.Allocate();
        client.Request(StunMethod.CreatePermission, new XorPeerAddress(PublicPeer));
        FakeRelay relay = h.Relays.Created[0];

        Assert.Empty(h.Send(Indication(UnknownRequired), client.Tuple));
        Assert.Empty(relay.Sent);
        Assert.Empty(h.Send(Indication(UnknownOptional), client.Tuple));
        Assert.Equal([9], Assert.Single(relay.Sent).Data);

        static byte[] Indication(RawAttribute extra)
        {
            var buffer = new byte[256];
            var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethod.Send, StunClass.Indication), TransactionId.NewId());
            writer.Add(new XorPeerAddress(PublicPeer));
            writer.Add(extra);
            writer.Add(new Data([9]));
            return writer.WrittenSpan.ToArray();
        }
    }

    private static StunAttributeType[] UnknownTypes(Response response)
    {
        Assert.True(StunMessage.TryRead(response.Raw, out StunMessage m, out _));
        Assert.True(m.TryGet(out UnknownAttributes unknown, out StunError error), error.ToString());
        return [.. unknown.Types];
    }
}
