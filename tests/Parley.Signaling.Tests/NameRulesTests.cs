using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests;

public class NameRulesTests
{
    [Theory]
    [InlineData("lobby", "lobby")]
    [InlineData("  Game Night  ", "Game Night")]
    [InlineData("team-1_a.b~c", "team-1_a.b~c")]
    [InlineData("Café", "Café")]
    [InlineData("Cafe\u0301", "Caf\u00e9")] // NFD becomes NFC
    [InlineData("部屋", "部屋")]
    [InlineData("x", "x")]
    public void Accepts_room_names(string raw, string expected)
    {
        Assert.True(NameRules.TryNormalizeRoomName(raw, 64, out var name, out _));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a  b")]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("<script>")]
    [InlineData("room\nname")]
    [InlineData("tab\tbed")]
    [InlineData("emoji😀")]
    [InlineData("\u202Eevil")]
    public void Refuses_room_names(string? raw)
    {
        Assert.False(NameRules.TryNormalizeRoomName(raw, 64, out _, out var error));
        Assert.Equal(ErrorCode.InvalidRoom, error.Code);
    }

    [Fact]
    public void Room_names_are_bounded()
    {
        Assert.True(NameRules.TryNormalizeRoomName(new string('a', 64), 64, out _, out _));
        Assert.False(NameRules.TryNormalizeRoomName(new string('a', 65), 64, out _, out var error));
        Assert.Equal(ErrorCode.InvalidRoom, error.Code);
    }

    [Theory]
    [InlineData("Alice", "Alice")]
    [InlineData(" Bob ", "Bob")]
    [InlineData("<b>Eve</b> & co", "<b>Eve</b> & co")]
    [InlineData("Zoë 😀", "Zoë 😀")]
    [InlineData("李小龍", "李小龍")]
    public void Accepts_display_names(string raw, string expected)
    {
        Assert.True(NameRules.TryNormalizeDisplayName(raw, 32, out var name, out _));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    [InlineData("a\u0000b")]
    [InlineData("line\nbreak")]
    [InlineData("bell\u0007")]
    [InlineData("c1\u0085inside")]
    [InlineData("\u202Egnp.exe")] // right-to-left override
    [InlineData("zero\u200Bwidth")]
    [InlineData("sep\u2028arator")]
    [InlineData("private\uE000")]
    [InlineData("unassigned\u0378")]
    public void Refuses_display_names(string? raw)
    {
        Assert.False(NameRules.TryNormalizeDisplayName(raw, 32, out _, out var error));
        Assert.Equal(ErrorCode.InvalidName, error.Code);
    }

    [Fact]
    public void Lone_surrogates_are_refused()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate through metadata.
        var lone = "name" + (char)0xD800;
        Assert.False(NameRules.TryNormalizeDisplayName(lone, 32, out _, out var error));
        Assert.Equal(ErrorCode.InvalidName, error.Code);
        Assert.False(NameRules.TryNormalizeRoomName(lone, 64, out _, out error));
        Assert.Equal(ErrorCode.InvalidRoom, error.Code);
    }

    [Fact]
    public void Display_names_are_bounded()
    {
        Assert.True(NameRules.TryNormalizeDisplayName(new string('n', 32), 32, out _, out _));
        Assert.False(NameRules.TryNormalizeDisplayName(new string('n', 33), 32, out _, out var error));
        Assert.Equal(ErrorCode.InvalidName, error.Code);
    }
}
