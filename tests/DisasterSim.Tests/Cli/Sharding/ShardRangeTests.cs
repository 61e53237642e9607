using DisasterSim.Cli.Sharding;

namespace DisasterSim.Tests.Cli.Sharding;

public sealed class ShardRangeTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(1_000_000, 16)]
    [InlineData(5, 5)]
    [InlineData(long.MaxValue, 7)]
    public void Of_AllShards_CoverEveryTrialOnceInOrderWithSizesWithinOne(long total, int count)
    {
        long next = 0;
        var sizes = new List<long>();
        for (int k = 0; k < count; k++)
        {
            var (first, trials) = ShardRange.Of(total, k, count);
            Assert.Equal(next, first);
            next = first + trials;
            sizes.Add(trials);
        }

        Assert.Equal(total, next);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void Of_TenTrialsThreeShards_HandComputed()
    {
        Assert.Equal((0L, 3L), ShardRange.Of(10, 0, 3));
        Assert.Equal((3L, 3L), ShardRange.Of(10, 1, 3));
        Assert.Equal((6L, 4L), ShardRange.Of(10, 2, 3));
    }

    [Theory]
    [InlineData("3/16", 3, 16)]
    [InlineData("0/1", 0, 1)]
    public void Parse_Valid_ReturnsIndexAndCount(string text, int index, int count) =>
        Assert.Equal((index, count), ShardRange.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("16/16")]
    [InlineData("0/0")]
    [InlineData("-1/4")]
    [InlineData("1/ 4")]
    [InlineData("a/b")]
    [InlineData("/4")]
    public void Parse_Invalid_ReturnsNull(string text) => Assert.Null(ShardRange.Parse(text));
}
