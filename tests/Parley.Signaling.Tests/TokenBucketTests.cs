using Microsoft.Extensions.Time.Testing;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Tests;

public class TokenBucketTests
{
    [Fact]
    public void Allows_a_burst_then_the_sustained_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, ratePerSecond: 10, capacity: 3);

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void Never_holds_more_than_its_capacity()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, ratePerSecond: 10, capacity: 2);
        time.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }
}
