using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

public class ChatTextTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("  two\nlines\tand a tab  ", "two\nlines\tand a tab")]
    [InlineData("<b>not bold</b> & <script>alert(1)</script>", "<b>not bold</b> & <script>alert(1)</script>")]
    [InlineData("family: 👨\u200D👩\u200D👧", "family: 👨\u200D👩\u200D👧")]
    [InlineData("Cafe\u0301", "Caf\u00e9")]
    public void Accepts_text(string raw, string expected)
    {
        Assert.True(ChatText.TryNormalize(raw, 500, out var text, out _));
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("bell\u0007")]
    [InlineData("nul\u0000byte")]
    [InlineData("escape\u001b[31m")]
    [InlineData("c1\u0090control")]
    public void Refuses_text(string? raw)
    {
        Assert.False(ChatText.TryNormalize(raw, 500, out _, out var error));
        Assert.Equal(ErrorCode.InvalidMessage, error.Code);
    }

    [Fact]
    public void Is_bounded_and_refuses_lone_surrogates()
    {
        Assert.True(ChatText.TryNormalize(new string('x', 500), 500, out _, out _));
        Assert.False(ChatText.TryNormalize(new string('x', 501), 500, out _, out _));
        Assert.False(ChatText.TryNormalize("half" + (char)0xDC00, 500, out _, out _));
    }
}
