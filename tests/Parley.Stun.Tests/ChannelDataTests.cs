namespace Parley.Stun.Tests;

/// <summary>ChannelData framing (RFC 8656 §12.4, §12.5) and stream framing.</summary>
public class ChannelDataTests
{
    [Theory]
    [InlineData(0x4000, 0, false)]
    [InlineData(0x4000, 0, true)]
    [InlineData(0x4abc, 1, false)]
    [InlineData(0x4abc, 1, true)]
    [InlineData(0x4fff, 7, true)]
    [InlineData(0x4fff, 8, true)]
    [InlineData(0x5000, 3, false)]
    [InlineData(0x7fff, 5, true)]
    [InlineData(0x4001, 1200, false)]
    public void Round_trips_over_udp_and_tcp(int channel, int length, bool stream)
    {
        byte[] data = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        var buffer = new byte[length + 16];
        buffer.AsSpan().Fill(0xEE);
        Assert.True(ChannelData.TryWrite(buffer, (ushort)channel, data, pad: stream, out int written, out StunError error), error.ToString());
        int expectedLength = stream ? (4 + length + 3) / 4 * 4 : 4 + length;
        Assert.Equal(expectedLength, written);
        Assert.All(buffer[(4 + length)..written], b => Assert.Equal(0, b)); // padding written as zero

        Assert.True(ChannelData.TryRead(buffer.AsSpan(0, written), stream, out ChannelData frame, out int frameLength, out error), error.ToString());
        Assert.Equal(channel, frame.ChannelNumber);
        Assert.Equal(data, frame.Data.ToArray());
        Assert.Equal(written, frameLength);
    }

    [Fact]
    public void Padding_is_optional_over_udp()
    {
        byte[] padded = [0x40, 0x00, 0x00, 0x01, 0xAA, 0x11, 0x22, 0x33];
        Assert.True(ChannelData.TryRead(padded, stream: false, out ChannelData frame, out _, out _));
        Assert.Equal([0xAA], frame.Data.ToArray());
        Assert.True(ChannelData.TryRead(padded.AsSpan(0, 5), stream: false, out frame, out _, out _));
        Assert.Equal([0xAA], frame.Data.ToArray());
    }

    public static TheoryData<string, byte[], bool, StunErrorKind> Malformed => new()
    {
        { "empty", [], false, StunErrorKind.Truncated },
        { "3 bytes", [0x40, 0x00, 0x00], true, StunErrorKind.Truncated },
        { "STUN first bits", [0x00, 0x01, 0x00, 0x00], false, StunErrorKind.NotStun },
        { "first bits 10", [0x80, 0x00, 0x00, 0x00], false, StunErrorKind.NotStun },
        { "first bits 11 (0xffff)", [0xff, 0xff, 0x00, 0x00], true, StunErrorKind.NotStun },
        { "udp datagram shorter than length", [0x40, 0x00, 0x00, 0x04, 1, 2, 3], false, StunErrorKind.Truncated },
        { "udp bytes beyond padding", [0x40, 0x00, 0x00, 0x01, 1, 0, 0, 0, 9], false, StunErrorKind.BadMessageLength },
        { "tcp frame not padded", [0x40, 0x00, 0x00, 0x01, 1], true, StunErrorKind.BadPadding },
        { "tcp frame shorter than length", [0x40, 0x00, 0x00, 0x08, 1, 2, 3, 4], true, StunErrorKind.Truncated },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_frames_fail_with_the_specific_error(string name, byte[] bytes, bool stream, StunErrorKind kind)
    {
        Assert.False(ChannelData.TryRead(bytes, stream, out ChannelData frame, out int length, out StunError error), name);
        Assert.Equal(kind, error.Kind);
        Assert.True(error.IsSilentDiscard);
        Assert.Equal(0, length);
        Assert.True(frame.Data.IsEmpty);
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x3fff)]
    [InlineData(0x8000)]
    [InlineData(0xffff)]
    public void Writer_refuses_channels_outside_0x4000_0x7fff(int channel)
    {
        var buffer = new byte[16];
        Assert.False(ChannelData.TryWrite(buffer, (ushort)channel, [1], pad: false, out _, out StunError error));
        Assert.Equal(StunErrorKind.ValueOutOfRange, error.Kind);
    }

    [Fact]
    public void Writer_reports_a_small_buffer()
    {
        var buffer = new byte[6];
        Assert.False(ChannelData.TryWrite(buffer, 0x4000, [1, 2, 3], pad: false, out _, out StunError error));
        Assert.Equal(StunErrorKind.BufferTooSmall, error.Kind);
        Assert.True(ChannelData.TryWrite(buffer, 0x4000, [1, 2], pad: false, out int written, out _));
        Assert.Equal(6, written);
        Assert.False(ChannelData.TryWrite(buffer, 0x4000, [1, 2], pad: true, out _, out error));
        Assert.Equal(StunErrorKind.BufferTooSmall, error.Kind);
    }

    [Fact]
    public void A_tcp_stream_of_mixed_frames_is_cut_apart()
    {
        var stream = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(ChannelData.TryWrite(stream, 0x4001, [1, 2, 3], pad: true, out _));
        byte[] stun = StunMessage.Build(StunMessageType.BindingRequest, TransactionId.NewId(), new Attributes.Fingerprint());
        System.Buffers.BuffersExtensions.Write(stream, stun);
        Assert.True(ChannelData.TryWrite(stream, 0x4002, [4, 5, 6, 7, 8], pad: true, out _));

        ReadOnlySpan<byte> rest = stream.WrittenSpan;
        var seen = new List<string>();
        while (!rest.IsEmpty)
        {
            Assert.True(StunFraming.TryGetFrameLength(rest, out StunFrameKind kind, out int frameLength));
            Assert.True(frameLength <= rest.Length);
            if (kind == StunFrameKind.ChannelData)
            {
                Assert.True(ChannelData.TryRead(rest[..frameLength], stream: true, out ChannelData frame, out int consumed, out _));
                Assert.Equal(frameLength, consumed);
                seen.Add($"{frame.ChannelNumber:x}:{frame.Data.Length}");
            }
            else
            {
                Assert.True(StunMessage.TryRead(rest[..frameLength], out StunMessage message, out _));
                seen.Add(message.Type.ToString());
            }

            rest = rest[frameLength..];
        }

        Assert.Equal(["4001:3", "Binding Request", "4002:5"], seen);
    }

    [Fact]
    public void Framing_needs_four_bytes_and_rejects_other_protocols()
    {
        Assert.False(StunFraming.TryGetFrameLength([0x40, 0x00, 0x00], out StunFrameKind kind, out _));
        Assert.Equal(StunFrameKind.Unknown, kind);
        Assert.False(StunFraming.TryGetFrameLength([0x80, 0x00, 0x00, 0x00], out kind, out _)); // RTP-like
        Assert.Equal(StunFrameKind.Unknown, kind);
        Assert.True(StunFraming.TryGetFrameLength([0x00, 0x01, 0x00, 0x08], out kind, out int length));
        Assert.Equal((StunFrameKind.Stun, 28), (kind, length));
        Assert.True(StunFraming.TryGetFrameLength([0x40, 0x00, 0x00, 0x05], out kind, out length));
        Assert.Equal((StunFrameKind.ChannelData, 12), (kind, length));
        Assert.True(StunFraming.TryGetFrameLength([0x7f, 0xff, 0x00, 0x05], out kind, out length)); // RFC 5766 channel
        Assert.Equal((StunFrameKind.ChannelData, 12), (kind, length));
        Assert.True(ChannelData.IsChannelData([0x4f]));
        Assert.True(ChannelData.IsChannelData([0x7f]));
        Assert.False(ChannelData.IsChannelData([0x00]));
    }

    [Fact]
    public void Header_only_write_supports_zero_copy_relaying()
    {
        var buffer = new byte[64];
        byte[] payload = [9, 8, 7];
        payload.CopyTo(buffer, ChannelData.HeaderLength); // as if received at offset 4
        Assert.True(ChannelData.TryWriteHeader(buffer, 0x4444, payload.Length, out _));
        Assert.True(ChannelData.TryRead(buffer.AsSpan(0, 7), stream: false, out ChannelData frame, out _, out _));
        Assert.Equal(payload, frame.Data.ToArray());
        Assert.False(ChannelData.TryWriteHeader(buffer, 0x4444, 70000, out StunError error));
        Assert.Equal(StunErrorKind.ValueOutOfRange, error.Kind);
    }
}
