using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;

namespace DisasterSim.Tests.Engine.Statistics;

public sealed class OrderStatisticIntervalTests(ITestOutputHelper output)
{
    [Fact]
    public void Ranks_HundredValuesMedian_HandComputedBinomialTails()
    {
        // Binomial(100, 0.5): P(B ≤ 39) = 0.0176 ≤ 0.025 < P(B ≤ 40) = 0.0284, so the lower end is x₍₄₀₎ (0-based 39);
        // P(B ≤ 59) = 0.9716 < 0.975 ≤ P(B ≤ 60) = 0.9824, so the upper end is x₍₆₁₎ (0-based 60).
        Assert.Equal(0.0176, Binomial.CDF(0.5, 100, 39), 4);
        Assert.Equal(0.0284, Binomial.CDF(0.5, 100, 40), 4);
        Assert.Equal(((long?)39, (long?)60), OrderStatisticInterval.Ranks(100, 0.5, 0.95));
    }

    [Theory]
    [InlineData(0.5, 5, 6)]
    [InlineData(0.95, 71, 72)]
    [InlineData(0.99, 367, 368)]
    [InlineData(0.999, 3687, 3688)]
    public void Ranks_UpperEnd_FirstBoundedWhenPToTheNIsBelowTheTail(double p, long unbounded, long bounded)
    {
        // The upper end exists once P(every value below the quantile) = pⁿ ≤ 0.025; then it is the maximum.
        Assert.True(Math.Pow(p, unbounded) > 0.025);
        Assert.True(Math.Pow(p, bounded) <= 0.025);
        Assert.Null(OrderStatisticInterval.Ranks(unbounded, p, 0.95).High);
        Assert.Equal(bounded - 1, OrderStatisticInterval.Ranks(bounded, p, 0.95).High);
    }

    [Theory]
    [InlineData(0.5, 5, 6)]
    [InlineData(0.9, 1, 2)]
    [InlineData(0.99, 0, 1)]
    public void Ranks_LowerEnd_FirstBoundedWhenOneMinusPToTheNIsBelowTheTail(double p, long unbounded, long bounded)
    {
        Assert.True(unbounded == 0 || Math.Pow(1 - p, unbounded) > 0.025);
        Assert.True(Math.Pow(1 - p, bounded) <= 0.025);
        Assert.Null(OrderStatisticInterval.Ranks(unbounded, p, 0.95).Low);
        Assert.Equal(0, OrderStatisticInterval.Ranks(bounded, p, 0.95).Low);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    [InlineData(0.999)]
    public void Ranks_AgainstBinomialCdf_EachTailAtMostHalfTheRestAndNoRankToSpare(double p)
    {
        foreach (int n in Enumerable.Range(1, 80).Concat([367, 368, 1000, 3687, 3688, 25_000, 200_000]))
        {
            var (low, high) = OrderStatisticInterval.Ranks(n, p, 0.95);
            if (low is long j)
            {
                Assert.True(Binomial.CDF(p, n, j) <= 0.025);
                Assert.True(j == n - 1 || Binomial.CDF(p, n, j + 1) > 0.025);
            }
            else
            {
                Assert.True(Binomial.CDF(p, n, 0) > 0.025);
            }

            if (high is long k)
            {
                Assert.True(Binomial.CDF(p, n, k) >= 0.975);
                Assert.True(k == 0 || Binomial.CDF(p, n, k - 1) < 0.975);
            }
            else
            {
                Assert.True(Binomial.CDF(p, n, n - 1) < 0.975);
            }

            if (low is not null && high is not null)
            {
                Assert.InRange(OrderStatisticInterval.Coverage(n, p, 0.95), 0.95, 1);
            }
        }
    }

    [Fact]
    public void Ranks_HugeSample_CloseToTheNormalApproximation()
    {
        // n = 10⁹: np ± 1.96·√(np(1 − p)) within a rank or two; the exact tails still hold.
        const long n = 1_000_000_000;
        var (low, high) = OrderStatisticInterval.Ranks(n, 0.99, 0.95);
        double center = n * 0.99;
        double spread = 1.959963984540054 * Math.Sqrt(center * 0.01);
        Assert.InRange(low!.Value, center - spread - 3, center - spread + 3);
        Assert.InRange(high!.Value, center + spread - 3, center + spread + 3);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(95.0)]
    [InlineData(double.NaN)]
    public void Ranks_BadConfidence_ThrowsNamingIt(double confidence)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatisticInterval.Ranks(10, 0.5, confidence));
        Assert.Equal("confidence", ex.ParamName);
    }

    public static TheoryData<string, double> Populations => new()
    {
        { "exponential", 0.95 },
        { "exponential", 0.99 },
        { "lognormal", 0.95 },
        { "lognormal", 0.99 },
    };

    /// <summary>
    /// Over 4,000 seeds of 1,000 values, the summary's interval of P95 and P99 covers the population quantile as often as the
    /// exact binomial coverage says (at least 95%), within the 99% binomial band of 4,000 replications; the same through the
    /// sketch, which only widens the interval.
    /// </summary>
    [Theory]
    [MemberData(nameof(Populations))]
    public void Summary_ManySeeds_PercentileIntervalCoversKnownQuantileAtTheStatedRate(string population, double p)
    {
        const int replications = 4000;
        const int n = 1000;
        const double mu = 0.5;
        const double sigma = 1.2;
        double quantile = population == "exponential" ? -Math.Log(1 - p) : Math.Exp(mu + (sigma * StandardNormal.Quantile(p)));
        int exactCovered = 0;
        int sketchCovered = 0;
        for (int r = 0; r < replications; r++)
        {
            var rng = RandomStreams.For(2024, r, RandomStreams.SourceKey("coverage"));
            var exact = new ValueCollector(long.MaxValue);
            var sketched = new ValueCollector(exactLimit: 0);
            for (int i = 0; i < n; i++)
            {
                double x = population == "exponential"
                    ? Sampler.ExponentialByMean(ref rng, 1)
                    : Math.Exp(mu + (sigma * StandardNormal.Quantile(rng.NextDoubleOpen())));
                exact.Add(x);
                sketched.Add(x);
            }

            exactCovered += Interval(exact.Summarize(), p).Contains(quantile) ? 1 : 0;
            sketchCovered += Interval(sketched.Summarize(), p).Contains(quantile) ? 1 : 0;
        }

        double coverage = OrderStatisticInterval.Coverage(n, p, 0.95);
        output.WriteLine($"{population} P{p * 100:0.#}: exact coverage {coverage:0.0000}; covered {exactCovered}/{replications} exactly, {sketchCovered}/{replications} through the sketch");
        Assert.InRange(coverage, 0.95, 0.98);
        double band = 2.576 * Math.Sqrt(coverage * (1 - coverage) / replications);
        Assert.InRange((double)exactCovered / replications, coverage - band, coverage + band);
        Assert.InRange((double)sketchCovered / replications, coverage - band, coverage + band + 0.01);
        Assert.True(sketchCovered >= exactCovered);
    }

    [Fact]
    public void FromSketch_ContainsTheExactInterval_EachEndAtMostTwoAlphaFurtherOut()
    {
        var rng = new Xoshiro256StarStar(7);
        double[] values = new double[20_000];
        var sketch = new QuantileSketch(0.01);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (rng.NextDouble() - 0.3) * 100;
            sketch.Add(values[i]);
        }

        Array.Sort(values);
        foreach (double p in new[] { 0.1, 0.5, 0.9, 0.99, 0.999 })
        {
            var exact = OrderStatisticInterval.FromSorted(values, p, 0.95);
            var wide = OrderStatisticInterval.FromSketch(sketch, p, 0.95);
            // α = 0.01: the estimate is within 1% and the widening adds 1%, so 2α/(1 − α) = 2.02% at most.
            Assert.InRange(wide.Low!.Value, exact.Low!.Value - (0.0203 * Math.Abs(exact.Low.Value)), exact.Low.Value);
            Assert.InRange(wide.High!.Value, exact.High!.Value, exact.High.Value + (0.0203 * Math.Abs(exact.High.Value)));
        }
    }

    [Fact]
    public void Summarize_ThreePaths_SameIntervalsBitForBit()
    {
        var rng = new Xoshiro256StarStar(3);
        double[] values = [.. Enumerable.Range(0, 5000).Select(i => i % 3 == 0 ? 0 : Sampler.ExponentialByMean(ref rng, 2))];
        var collector = new ValueCollector(long.MaxValue);
        foreach (double x in values)
        {
            collector.Add(x);
        }

        var sorted = Summaries.Summarize(values);
        Assert.Equal(sorted, Summaries.SummarizeInPlace((double[])values.Clone()));
        Assert.Equal(sorted, collector.Summarize());
        double[] ordered = [.. values.Order()];
        Assert.Equal(OrderStatisticInterval.FromSorted(ordered, 0.99, 0.95), sorted.P99Interval);
        Assert.Equal(OrderStatisticInterval.FromSorted(ordered, 0.5, 0.95), sorted.P50Interval);
        Assert.True(sorted.P999Interval.IsBounded);
    }

    [Fact]
    public void Summarize_ThreeValues_IntervalsOpenWhereThreeValuesCannotBoundThePercentile()
    {
        // Three values: P(B ≤ 0) = 1/8 > 0.025 leaves P50 unbounded below; for P99, P(B ≤ 1) = 0.0003 ≤ 0.025 < P(B ≤ 2) =
        // 1 − 0.99³ = 0.0297, so x₍₂₎ bounds it below; for P99.9, 1 − 0.999³ = 0.003, so the largest value does.
        var s = Summaries.Summarize([3.0, 1, 2]);
        Assert.Equal(new PercentileInterval(null, null), s.P50Interval);
        Assert.Equal(new PercentileInterval(2, null), s.P99Interval);
        Assert.Equal(new PercentileInterval(3, null), s.P999Interval);
    }

    private static PercentileInterval Interval(Summary s, double p) => s.Percentiles.Single(x => x.Probability == p).Interval;
}
