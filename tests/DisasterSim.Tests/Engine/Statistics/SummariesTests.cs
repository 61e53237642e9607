using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;
using MathNet.Numerics.Statistics;
using MathNetStatistics = MathNet.Numerics.Statistics.Statistics;

namespace DisasterSim.Tests.Engine.Statistics;

public class SummariesTests
{
    [Fact]
    public void Summarize_OneToTen_HandComputedValues()
    {
        double[] values = [3, 1, 4, 10, 5, 9, 2, 6, 8, 7];
        Summary s = Summaries.Summarize(values);

        const double sd = 3.0276503540974917;
        Assert.Equal(10, s.Count);
        Assert.Equal(5.5, s.Mean, 14);
        Assert.Equal(sd, s.StdDev, 14);
        Assert.Equal(5.5 - (1.959963984540054 * sd / Math.Sqrt(10)), s.MeanCiLow, 14);
        Assert.Equal(5.5 + (1.959963984540054 * sd / Math.Sqrt(10)), s.MeanCiHigh, 14);

        // Type 7: h = 9p, so P90 = x[8.1] = 9.1, P95 = 9.55, P99 = 9.91, P99.9 = 9.991.
        Assert.Equal(5.5, s.P50, 14);
        Assert.Equal(9.1, s.P90, 14);
        Assert.Equal(9.55, s.P95, 14);
        Assert.Equal(9.91, s.P99, 14);
        Assert.Equal(9.991, s.P999, 14);
        Assert.Equal(10, s.Max);
        Assert.Equal(1, s.ShareNonZero);
    }

    [Fact]
    public void Summarize_DoesNotReorderInput()
    {
        double[] values = [3, 1, 2];
        Summaries.Summarize(values);
        Assert.Equal([3.0, 1.0, 2.0], values);
    }

    [Fact]
    public void Summarize_Empty_AllZerosWithCountZero()
    {
        Assert.Equal(new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Summaries.Summarize(Array.Empty<double>()));
        Assert.Equal(new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Summaries.Summarize(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void Summarize_SingleValue_DegenerateIntervalAndZeroStdDev()
    {
        Assert.Equal(new Summary(1, 7, 7, 7, 0, 7, 7, 7, 7, 7, 7, 1) { P99Interval = new(7, null), P999Interval = new(7, null) }, Summaries.Summarize([7.0]));
        Assert.Equal(new Summary(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) { P99Interval = new(0, null), P999Interval = new(0, null) }, Summaries.Summarize([0.0]));
    }

    [Fact]
    public void Summarize_ZerosAndPositives_ShareNonZeroCountsPositives()
    {
        Summary s = Summaries.Summarize([0.0, 0, 0, 1, 2, 0, 3, 0]);
        Assert.Equal(3.0 / 8, s.ShareNonZero);
        Assert.Equal(0, s.P50);
        Assert.Equal(0.75, s.Mean);
    }

    [Fact]
    public void Summarize_CancellingMagnitudes_CompensatedMeanIsExact()
    {
        // A naive left-to-right sum gives 0: 1e16 + 1 rounds back to 1e16.
        Summary s = Summaries.Summarize([1e16, 1, -1e16]);
        Assert.Equal(1.0 / 3, s.Mean);
    }

    [Fact]
    public void Summarize_LargeOffset_StdDevStaysAccurate()
    {
        // The one-pass formula E[x²] − E[x]² loses every digit here; the two-pass sum does not.
        Summary s = Summaries.Summarize([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
        Assert.Equal(1e9 + 10, s.Mean);
        Assert.Equal(Math.Sqrt(30), s.StdDev, 12);
    }

    [Fact]
    public void Summarize_NaN_ThrowsNamingTheIndex()
    {
        var ex = Assert.Throws<ArgumentException>(() => Summaries.Summarize([1.0, double.NaN]));
        Assert.Contains("Value 1 of 2 is NaN", ex.Message);
    }

    [Fact]
    public void Summarize_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Summaries.Summarize((double[])null!));
    }

    [Fact]
    public void Percentile_RandomData_AgreesWithMathNetR7()
    {
        var rng = new Xoshiro256StarStar(31);
        foreach (int n in new[] { 1, 2, 3, 7, 100, 1001 })
        {
            double[] data = new double[n];
            for (int i = 0; i < n; i++)
            {
                data[i] = Sampler.ExponentialByMean(ref rng, 10);
            }

            double[] sorted = (double[])data.Clone();
            Array.Sort(sorted);
            foreach (double p in new[] { 0, 0.001, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1 })
            {
                double expected = MathNetStatistics.QuantileCustom(data, p, QuantileDefinition.R7);
                Assert.Equal(expected, Summaries.Percentile(sorted, p), 1e-12 * Math.Max(1, expected));
            }
        }
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(95)]
    [InlineData(double.NaN)]
    public void Percentile_ProbabilityOutOfRange_ThrowsNamingValue(double p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.Percentile([1.0, 2.0], p));
        Assert.Equal("p", ex.ParamName);
        Assert.Equal(p, ex.ActualValue);
    }

    [Fact]
    public void Percentile_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => Summaries.Percentile(ReadOnlySpan<double>.Empty, 0.5));
    }

    [Fact]
    public void MeanCi_ExponentialSamples_CoversTrueMeanAbout95Percent()
    {
        const int replicates = 2000;
        const int n = 400;
        var rng = new Xoshiro256StarStar(41);
        double[] values = new double[n];
        int covered = 0;
        for (int r = 0; r < replicates; r++)
        {
            for (int i = 0; i < n; i++)
            {
                values[i] = Sampler.ExponentialByMean(ref rng, 2);
            }

            Summary s = Summaries.Summarize(values);
            if (s.MeanCiLow <= 2 && 2 <= s.MeanCiHigh)
            {
                covered++;
            }
        }

        // Binomial(2000, 0.95) has sd ≈ 0.0049; allow 3.5 sd (the normal approximation under-covers slightly for skewed data).
        Assert.InRange((double)covered / replicates, 0.95 - 0.017, 0.95 + 0.017);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void PercentileConfidenceInterval_UniformSamples_CoversTrueQuantileAtLeastAsAsked(double p)
    {
        const int replicates = 2000;
        const int n = 1000;
        var rng = new Xoshiro256StarStar(43);
        double[] values = new double[n];
        int covered = 0;
        for (int r = 0; r < replicates; r++)
        {
            for (int i = 0; i < n; i++)
            {
                values[i] = rng.NextDouble();
            }

            Array.Sort(values);
            (double low, double high) = Summaries.PercentileConfidenceInterval(values, p, 0.95);
            Assert.True(low <= high);
            if (low <= p && p <= high)
            {
                covered++;
            }
        }

        // Outward rounding makes the interval a little conservative, but not wildly so.
        Assert.InRange((double)covered / replicates, 0.95 - 0.015, 0.99);
    }

    [Fact]
    public void PercentileConfidenceInterval_HandComputedRanks()
    {
        // n = 100, p = 0.5, 95%: P(B ≤ 39) = 0.018 ≤ 0.025 < P(B ≤ 40) and P(B ≤ 59) = 0.972 < 0.975 ≤ P(B ≤ 60): ranks 40 and 61 (1-based).
        double[] values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal((40.0, 61.0), Summaries.PercentileConfidenceInterval(values, 0.5, 0.95));

        // Extreme quantiles clamp to the sample range.
        Assert.Equal((99.0, 100.0), Summaries.PercentileConfidenceInterval(values, 0.999, 0.95));
        Assert.Equal((1.0, 1.0), Summaries.PercentileConfidenceInterval(values, 0, 0.95));
        Assert.Equal((5.0, 5.0), Summaries.PercentileConfidenceInterval([5.0], 0.9, 0.95));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(95.0)]
    public void PercentileConfidenceInterval_BadConfidence_Throws(double confidence)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.PercentileConfidenceInterval([1.0, 2.0], 0.5, confidence));
        Assert.Equal("confidence", ex.ParamName);
    }

    [Theory]
    [InlineData(10, 100, 0.0552291370606751, 0.17436566150491345)]
    [InlineData(0, 100, 0.0, 0.03699349820698568)]
    [InlineData(100, 100, 0.9630065017930143, 1.0)]
    [InlineData(1, 3, 0.06149194472039621, 0.7923403991979522)]
    public void ProportionConfidenceInterval_HandComputedWilson(long successes, long n, double low, double high)
    {
        (double l, double h) = Summaries.ProportionConfidenceInterval(successes, n, 0.95);
        Assert.Equal(low, l, 1e-14);
        Assert.Equal(high, h, 1e-14);
    }

    [Fact]
    public void ProportionConfidenceInterval_NoSuccesses_UpperNearRuleOfThree()
    {
        (double low, double high) = Summaries.ProportionConfidenceInterval(0, 10_000, 0.95);
        Assert.Equal(0, low);
        Assert.InRange(high * 10_000, 3.0, 3.85);
    }

    [Fact]
    public void ProportionConfidenceInterval_NoTrials_WholeRange()
    {
        Assert.Equal((0.0, 1.0), Summaries.ProportionConfidenceInterval(0, 0, 0.95));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    [InlineData(0, -1)]
    public void ProportionConfidenceInterval_BadCounts_Throws(long successes, long n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.ProportionConfidenceInterval(successes, n, 0.95));
    }
}
