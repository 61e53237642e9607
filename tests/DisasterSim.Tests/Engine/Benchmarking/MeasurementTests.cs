using DisasterSim.Engine.Benchmarking;

namespace DisasterSim.Tests.Engine.Benchmarking;

public class MeasurementTests
{
    // 1,000 trials in the given seconds: trials/s = 1,000 / seconds.
    private static List<Measurement> Rounds(params double[] seconds) => [.. seconds.Select(s => new Measurement(1_000, 0, s, 0))];

    [Fact]
    public void MedianRatio_MachineSlowsOneRound_TakesEachRoundsRatioNotTheRatioOfMedians()
    {
        // Reference 100, 50 and 80 trials/s; measured 60, 30 and 64: the rounds' ratios are 0.6, 0.6 and 0.8, median 0.6.
        // The ratio of the medians would pair the measured 60 with the reference's 80 and say 0.75.
        var reference = Rounds(10, 20, 12.5);
        var measured = Rounds(1_000.0 / 60, 1_000.0 / 30, 1_000.0 / 64);

        Assert.Equal(0.6, Measurement.MedianRatio(measured, reference), 12);
    }

    [Fact]
    public void MedianRatio_EvenCount_TakesTheUpperMiddle()
    {
        // Ratios 0.5, 1, 2 and 4: the upper of the middle two.
        var reference = Rounds(1, 1, 1, 1);
        var measured = Rounds(2, 1, 0.5, 0.25);

        Assert.Equal(2, Measurement.MedianRatio(measured, reference), 12);
    }

    [Fact]
    public void Median_EvenCount_TakesTheSlowerOfTheMiddleTwo()
    {
        // 4, 1, 3 and 2 seconds: sorted 1, 2, 3, 4; the middle two are 2 and 3, and the slower is 3.
        Assert.Equal(3, Measurement.Median(Rounds(4, 1, 3, 2)).Seconds);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 3)]
    public void MedianRatio_RoundsDoNotPair_Throws(int measured, int reference)
    {
        var error = Assert.Throws<ArgumentException>(() => Measurement.MedianRatio(Rounds([.. Enumerable.Repeat(1.0, measured)]), Rounds([.. Enumerable.Repeat(1.0, reference)])));
        Assert.Contains($"got {measured} and {reference}", error.Message, StringComparison.Ordinal);
    }
}
