using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Relay;

internal sealed partial class TurnRequestHandler
{
    /// <summary>Largest datagram relayed from a peer (larger ones are dropped; voice packets are far smaller).</summary>
    public const int MaxRelayDatagram = 16 * 1024;

    /// <summary>Scratch for Data indications, one per thread: filled and sent without an await in between.</summary>
    [ThreadStatic]
    private static byte[]? t_indicationBuffer;

    /// <summary>
    /// Send indication, RFC 8656 §11.2: "If the Send indication contains no XOR-PEER-ADDRESS or DATA, or there
    /// is no permission for the peer, the indication is silently discarded." The peer policy is checked again.
    /// </summary>
    private void HandleSend(scoped in StunMessage indication, in FiveTuple tuple)
    {
        long now = Now;
        if (!_allocations.TryGet(tuple, now, out Allocation allocation)
            || !indication.TryGet(out XorPeerAddress peer, out _)
            || !indication.TryGet(out Data data, out _))
        {
            return;
        }

        IRelaySocket? relay = allocation.RelayFor(peer.Address.Family);
        if (relay is null || !allocation.HasPermission(peer.Address, now) || !IsPeerAllowed(peer.Address)
            || !allocation.TryTakeToPeer(data.Value.Length, now))
        {
            return;
        }

        _metrics.RelayedToPeer(data.Value.Length);
        relay.Send(data.Value, peer.Address);
    }

    /// <summary>
    /// ChannelData from the client, RFC 8656 §12.6: relayed to the bound peer if the channel is bound and the
    /// peer still has a permission; otherwise silently discarded.
    /// </summary>
    private void HandleChannelData(ReadOnlySpan<byte> packet, in FiveTuple tuple)
    {
        long now = Now;
        if (!ChannelData.TryRead(packet, tuple.Transport == TurnTransport.Tcp, out ChannelData message, out _, out _)
            || !_allocations.TryGet(tuple, now, out Allocation allocation)
            || !allocation.TryGetChannelPeer(message.ChannelNumber, now, out TransportAddress peer)
            || !allocation.HasPermission(peer, now)
            || !allocation.TryTakeToPeer(message.Data.Length, now))
        {
            return;
        }

        _metrics.RelayedToPeer(message.Data.Length);
        allocation.RelayFor(peer.Family)?.Send(message.Data, peer);
    }

    /// <summary>
    /// Data from a peer, RFC 8656 §11.3 and §12.7: dropped without a permission for the peer's IP; sent as
    /// ChannelData (header written in place) if a channel is bound, else as a Data indication.
    /// </summary>
    public void OnPeerData(Allocation allocation, in TransportAddress peer, Span<byte> buffer, int offset, int length)
    {
        long now = Now;
        if (allocation.IsDisposed || allocation.ExpiresAt <= now || !allocation.TryAcceptFromPeer(peer, now, length, out ushort channel))
        {
            return;
        }

        _metrics.RelayedToClient(length);
        IClientSender client = allocation.Client;
        if (channel != 0)
        {
            int start = offset - ChannelData.HeaderLength;
            ChannelData.TryWriteHeader(buffer[start..], channel, length, out _);
            int total = client.IsStream ? ChannelData.GetPaddedLength(length) : ChannelData.HeaderLength + length;
            buffer[(offset + length)..(start + total)].Clear();
            client.Send(buffer.Slice(start, total));
            return;
        }

        byte[] scratch = t_indicationBuffer ??= new byte[MaxRelayDatagram + 128];
        var writer = new StunMessageWriter(scratch, new StunMessageType(StunMethod.Data, StunClass.Indication), TransactionId.NewId());
        writer.Add(new XorPeerAddress(peer));
        writer.Add(new Data(buffer.Slice(offset, length)));
        if (!writer.HasFailed)
        {
            client.Send(writer.WrittenSpan);
        }
    }
}
