namespace Parley.Access.Tests;

/// <summary>LiveKit's defaults for the <c>video</c> grant, and the rule that roomAdmin counts only for its room.</summary>
public sealed class VideoGrantTests
{
    [Fact]
    public void An_empty_grant_may_publish_and_subscribe_but_administer_nothing()
    {
        var grant = new VideoGrant();

        Assert.True(grant.CanPublishAudio);
        Assert.True(grant.CanSubscribeAudio);
        Assert.True(grant.CanPublishChat);
        Assert.False(grant.IsAdminOf("lobby"));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    public void Data_defaults_to_canPublish(bool? canPublish, bool? canPublishData, bool chat) =>
        Assert.Equal(chat, new VideoGrant { CanPublish = canPublish, CanPublishData = canPublishData }.CanPublishChat);

    [Theory]
    [InlineData(false, new[] { "microphone" }, true)]
    [InlineData(true, new[] { "camera", "screen_share" }, false)]
    [InlineData(true, new string[0], false)]
    [InlineData(false, null, false)]
    [InlineData(null, new[] { "camera", "microphone" }, true)]
    public void CanPublishSources_overrides_canPublish(bool? canPublish, string[]? sources, bool audio) =>
        Assert.Equal(audio, new VideoGrant { CanPublish = canPublish, CanPublishSources = sources }.CanPublishAudio);

    [Fact]
    public void A_hidden_participant_publishes_nothing() =>
        Assert.False(new VideoGrant { Hidden = true, CanPublish = true }.CanPublishAudio);

    [Fact]
    public void CanSubscribe_false_denies_subscribing() =>
        Assert.False(new VideoGrant { CanSubscribe = false }.CanSubscribeAudio);

    [Theory]
    [InlineData(true, "Lobby", "lobby", true)]
    [InlineData(true, "lobby", "LOBBY", true)]
    [InlineData(true, "lobby", "other", false)]
    [InlineData(true, null, "lobby", false)]
    [InlineData(false, "lobby", "lobby", false)]
    public void RoomAdmin_counts_only_for_the_room_the_grant_names(bool roomAdmin, string? room, string target, bool admin) =>
        Assert.Equal(admin, new VideoGrant { RoomAdmin = roomAdmin, Room = room }.IsAdminOf(target));
}
