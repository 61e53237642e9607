using System.Globalization;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Tests.Engine.Statistics;

public class QuantileSketchTests
{
    // The documented slack for the rounding of one logarithm and one exponential.
    private const double Rounding = 1e-12;

    private static readonly double[] Probabilities = [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

    private static readonly int[] Sizes = [1, 2, 3, 10, 100, 1_000, 10_000, 100_000];

    public static TheoryData<string> Distributions => new() { "exponential", "heavy lognormal", "mostly zeros", "1e-6 to 1e7", "mixed signs" };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void ValueAtRankAndPercentile_UpTo1e5Values_WithinRelativeAccuracy(string distribution)
    {
        foreach (int n in Sizes)
        {
            AssertWithinBound(distribution, n, 0.001, seed: (ulong)(n + distribution.Length));
        }

        // A coarser sketch, where each bucket holds more values, up to 10⁴ to keep the test fast.
        foreach (int n in Sizes.Where(n => n <= 10_000))
        {
            AssertWithinBound(distribution, n, 0.02, seed: (ulong)(n + distribution.Length));
        }
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    [Trait("Category", "Long")]
    public void ValueAtRankAndPercentile_1e6Values_WithinRelativeAccuracy(string distribution)
    {
        AssertWithinBound(distribution, 1_000_000, 0.001, seed: 2019);
    }

    [Fact]
    public void ValueAtRank_LargeGammaNearDoubleMax_StaysWithinBound()
    {
        // With α = 0.5, γ = 3 and γ^i overflows in the top buckets although (1 − α)·γ^i does not.
        double[] values = [1e300, 1e307, 1.0e308, 1.3e308, 1.5e308, 1.7e308, double.MaxValue, -1.6e308, -1e308, 1e-12, -1e-12];
        var sketch = Fill(values, 0.5);
        AssertRanksWithinBound(sketch, Sorted(values), 0.5, "near double.MaxValue");
    }

    [Fact]
    public void Sketch_PermutedInsertion_BitIdentical()
    {
        var rng = new Xoshiro256StarStar(5);
        double[] values = Generate("mixed signs", 20_000, ref rng);
        QuantileSketch reference = Fill(values, 0.001);
        for (int permutation = 0; permutation < 4; permutation++)
        {
            Shuffle(values, ref rng);
            AssertIdentical(reference, Fill(values, 0.001), $"permutation {permutation}");
        }

        Array.Sort(values);
        AssertIdentical(reference, Fill(values, 0.001), "ascending");
        Array.Reverse(values);
        AssertIdentical(reference, Fill(values, 0.001), "descending");
    }

    [Fact]
    public void Merge_AnySplit_BitIdenticalToOneSketchOfTheUnion()
    {
        var rng = new Xoshiro256StarStar(7);
        foreach (string distribution in new[] { "mixed signs", "mostly zeros", "1e-6 to 1e7" })
        {
            double[] values = Generate(distribution, 10_000, ref rng);
            QuantileSketch union = Fill(values, 0.001);
            foreach (int split in new[] { 0, 1, 3_333, 9_999, 10_000 })
            {
                QuantileSketch a = Fill(values.AsSpan(0, split), 0.001);
                a.Merge(Fill(values.AsSpan(split), 0.001));
                AssertIdentical(union, a, $"{distribution}, A = first {split}");

                QuantileSketch b = Fill(values.AsSpan(split), 0.001);
                b.Merge(Fill(values.AsSpan(0, split), 0.001));
                AssertIdentical(union, b, $"{distribution}, B first, split {split}");
            }

            // Ten interleaved shards merged as a tree, in a shuffled order, into an empty sketch.
            var shards = new QuantileSketch[10];
            for (int s = 0; s < shards.Length; s++)
            {
                shards[s] = new QuantileSketch(0.001);
            }

            for (int i = 0; i < values.Length; i++)
            {
                shards[(int)(rng.NextUInt64() % 10)].Add(values[i]);
            }

            for (int s = 0; s < shards.Length; s += 2)
            {
                shards[s].Merge(shards[s + 1]);
            }

            var merged = new QuantileSketch(0.001);
            foreach (int s in new[] { 6, 2, 8, 0, 4 })
            {
                merged.Merge(shards[s]);
            }

            AssertIdentical(union, merged, $"{distribution}, ten shards");
        }
    }

    [Fact]
    public void Merge_WithItself_SameAsAddingEveryValueTwice()
    {
        var rng = new Xoshiro256StarStar(11);
        double[] values = Generate("mixed signs", 5_000, ref rng);
        QuantileSketch twice = Fill([.. values, .. values], 0.001);
        QuantileSketch self = Fill(values, 0.001);
        self.Merge(self);
        AssertIdentical(twice, self, "self-merge");
    }

    [Fact]
    public void Merge_DifferentAccuracy_ThrowsNamingBoth()
    {
        var sketch = new QuantileSketch(0.001);
        var ex = Assert.Throws<ArgumentException>(() => sketch.Merge(new QuantileSketch(0.01)));
        Assert.Equal("other", ex.ParamName);
        Assert.Contains("0.01", ex.Message);
        Assert.Throws<ArgumentNullException>(() => sketch.Merge(null!));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1e-7)]
    [InlineData(double.NaN)]
    public void Constructor_AccuracyOutOfRange_Throws(double alpha)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSketch(alpha));
        Assert.Equal("relativeAccuracy", ex.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Add_NotFinite_ThrowsNamingTheValue(double x)
    {
        var sketch = new QuantileSketch();
        var ex = Assert.Throws<ArgumentException>(() => sketch.Add(x));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains(x.ToString(CultureInfo.CurrentCulture), ex.Message);
        Assert.Equal(0, sketch.Count);
    }

    [Fact]
    public void EmptySketch_ExtremesAndQuantilesThrow()
    {
        var sketch = new QuantileSketch();
        Assert.Equal(0, sketch.Count);
        Assert.Throws<InvalidOperationException>(() => sketch.Min);
        Assert.Throws<InvalidOperationException>(() => sketch.Max);
        Assert.Throws<InvalidOperationException>(() => sketch.Percentile(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.ValueAtRank(0));
    }

    [Fact]
    public void ValuesAtRanks_BadRanks_Throw()
    {
        QuantileSketch sketch = Fill([1.0, 2, 3], 0.01);
        double[] destination = new double[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.ValuesAtRanks([2, 1], destination));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.ValuesAtRanks([0, 3], destination));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.ValuesAtRanks([-1], destination));
        Assert.Throws<ArgumentException>(() => sketch.ValuesAtRanks([0, 1, 2], destination));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Percentile(1.5));
    }

    [Fact]
    public void SingleValue_EveryQuantileIsThatValue()
    {
        QuantileSketch sketch = Fill([3.7], 0.01);
        foreach (double p in Probabilities)
        {
            Assert.Equal(3.7, sketch.Percentile(p));
        }

        Assert.Equal(3.7, sketch.ValueAtRank(0));
    }

    [Fact]
    public void ZerosAndTinyValues_CountedInTheZeroBucket_SignCountsExact()
    {
        QuantileSketch sketch = Fill([0.0, -0.0, 0, 5e-13, -5e-13, QuantileSketch.MinMagnitude, 2, -3, 0], 0.01);
        Assert.Equal(9, sketch.Count);
        Assert.Equal(6, sketch.ZeroCount);
        Assert.Equal(3, sketch.PositiveCount);
        Assert.Equal(2, sketch.NegativeCount);
        Assert.Equal(-3, sketch.Min);
        Assert.Equal(2, sketch.Max);

        // Sorted: −3, six in the zero bucket (ranks 1..6), 1e-12, 2.
        for (long rank = 1; rank <= 6; rank++)
        {
            Assert.Equal(0, sketch.ValueAtRank(rank));
        }

        Assert.Equal(QuantileSketch.MinMagnitude, sketch.ValueAtRank(7), QuantileSketch.MinMagnitude * 0.01);
        Assert.Equal(0, sketch.Percentile(0.5));
    }

    [Fact]
    public void Memory_1eMinus6To1e6_AboutLnRangeOverLnGammaBuckets()
    {
        // ln(10¹²)/ln γ = 13,816 buckets for α = 0.001; growth leaves at most half again as slack.
        var sketch = new QuantileSketch(0.001);
        double lnLow = Math.Log(1e-6);
        double lnSpan = Math.Log(1e12);
        for (int i = 0; i <= 100_000; i++)
        {
            sketch.Add(Math.Exp(lnLow + (lnSpan * i / 100_000)));
        }

        double needed = lnSpan / Math.Log(1.001 / 0.999);
        Assert.InRange(sketch.AllocatedBuckets, needed, (1.5 * needed) + 64);

        // Steady state: values inside the covered range neither grow a store nor allocate per value. The
        // allocation check leaves room for the test host, which now and then allocates a little on this thread;
        // one object per Add would be 2.4 MB, a regrowth more than 160 KB.
        var rng = new Xoshiro256StarStar(13);
        long buckets = sketch.AllocatedBuckets;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            sketch.Add(Math.Exp(lnLow + (lnSpan * rng.NextDouble())));
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 32_000);
        Assert.Equal(buckets, sketch.AllocatedBuckets);
    }

    [Theory]
    [InlineData("exponential")]
    [InlineData("mostly zeros")]
    [InlineData("mixed signs")]
    public void SummarizeSketch_ExactFieldsMatchSummarize_PercentilesWithinAlpha(string distribution)
    {
        var rng = new Xoshiro256StarStar(17);
        double[] values = Generate(distribution, 50_000, ref rng);
        values[123] = 3e-13;
        Summary exact = Summaries.Summarize(values);
        Summary fromSketch = Summaries.Summarize(Fill(values, 0.001), exact.Mean, exact.StdDev);

        // Count, mean, interval, standard deviation, max and share > 0 are exact: the same bits as Summarize.
        Assert.Equal(WithoutPercentiles(exact), WithoutPercentiles(fromSketch));
        Assert.Equal(BitConverter.DoubleToInt64Bits(exact.MeanCiLow), BitConverter.DoubleToInt64Bits(fromSketch.MeanCiLow));
        Assert.Equal(BitConverter.DoubleToInt64Bits(exact.Max), BitConverter.DoubleToInt64Bits(fromSketch.Max));
        Assert.Equal(BitConverter.DoubleToInt64Bits(exact.ShareNonZero), BitConverter.DoubleToInt64Bits(fromSketch.ShareNonZero));
        (double Exact, double Sketched)[] percentiles =
            [(exact.P50, fromSketch.P50), (exact.P90, fromSketch.P90), (exact.P95, fromSketch.P95), (exact.P99, fromSketch.P99), (exact.P999, fromSketch.P999)];
        foreach ((double e, double a) in percentiles)
        {
            Assert.InRange(Math.Abs(a - e), 0, (0.001 + Rounding) * Math.Abs(e));
        }

        // The intervals hold the exact ones, each end at most a relative 2α/(1 − α) further out.
        double widening = (2 * 0.001 / 0.999) + Rounding;
        foreach (var (e, a) in exact.Percentiles.Zip(fromSketch.Percentiles))
        {
            double low = e.Interval.Low!.Value;
            double high = e.Interval.High!.Value;
            Assert.InRange(a.Interval.Low!.Value, low - (widening * Math.Abs(low)), low);
            Assert.InRange(a.Interval.High!.Value, high, high + (widening * Math.Abs(high)));
        }
    }

    private static Summary WithoutPercentiles(Summary s) => s with
    {
        P50 = 0, P90 = 0, P95 = 0, P99 = 0, P999 = 0,
        P50Interval = default, P90Interval = default, P95Interval = default, P99Interval = default, P999Interval = default,
    };

    [Fact]
    public void SummarizeSketch_EmptyAndBadArguments()
    {
        Assert.Equal(new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Summaries.Summarize(new QuantileSketch(), 0, 0));
        // One value bounds P99 and P99.9 from below (it lies below them with probability 0.99 and more), nothing else.
        Assert.Equal(new Summary(1, 7, 7, 7, 0, 7, 7, 7, 7, 7, 7, 1) { P99Interval = new(7, null), P999Interval = new(7, null) }, Summaries.Summarize(Fill([7.0], 0.001), 7, 0));
        Assert.Throws<ArgumentNullException>(() => Summaries.Summarize((QuantileSketch)null!, 0, 0));
        Assert.Equal("mean", Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.Summarize(new QuantileSketch(), double.NaN, 0)).ParamName);
        Assert.Equal("stdDev", Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.Summarize(new QuantileSketch(), 0, -1)).ParamName);
        Assert.Equal("stdDev", Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.Summarize(new QuantileSketch(), 0, double.NaN)).ParamName);
    }

    private static void AssertWithinBound(string distribution, int n, double alpha, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        double[] values = Generate(distribution, n, ref rng);
        QuantileSketch sketch = Fill(values, alpha);
        double[] sorted = Sorted(values);
        string label = $"{distribution}, n = {n}, α = {alpha}";
        AssertRanksWithinBound(sketch, sorted, alpha, label);

        foreach (double p in Probabilities)
        {
            double exact = Summaries.Percentile(sorted, p);
            double estimate = sketch.Percentile(p);
            double h = (n - 1) * p;
            int lo = (int)Math.Floor(h);
            double low = sorted[lo];
            double high = sorted[Math.Min(lo + 1, n - 1)];
            double f = h - lo;
            double tolerance = Math.Sign(low) * Math.Sign(high) >= 0
                ? (alpha + Rounding) * Math.Abs(exact)
                : (alpha * (((1 - f) * Math.Abs(low)) + (f * Math.Abs(high)))) + (Rounding * Math.Max(Math.Abs(low), Math.Abs(high)));
            Assert.True(
                Math.Abs(estimate - exact) <= tolerance,
                $"{label}: P{p * 100} is {estimate:R}, exact {exact:R}, error {Math.Abs(estimate - exact):R} > {tolerance:R}");
        }
    }

    // Every rank through the bulk walk, and the single-rank path agreeing with it on every rank (small n) or a sample.
    private static void AssertRanksWithinBound(QuantileSketch sketch, double[] sorted, double alpha, string label)
    {
        int n = sorted.Length;
        long[] ranks = new long[n];
        for (int r = 0; r < n; r++)
        {
            ranks[r] = r;
        }

        double[] estimates = new double[n];
        sketch.ValuesAtRanks(ranks, estimates);
        double worst = 0;
        for (int r = 0; r < n; r++)
        {
            double exact = sorted[r];
            double error = Math.Abs(estimates[r] - exact);
            if (error > (alpha + Rounding) * Math.Abs(exact))
            {
                Assert.Fail($"{label}: rank {r} is {estimates[r]:R}, exact {exact:R}, relative error {error / Math.Abs(exact):R} > α");
            }

            worst = Math.Max(worst, exact == 0 ? 0 : error / Math.Abs(exact));
        }

        // Many values per bucket come close to the bound, so the test is not passing on a bucketing finer than claimed.
        if (n >= 10_000)
        {
            Assert.InRange(worst, 0.9 * alpha, alpha + Rounding);
        }

        int step = Math.Max(1, n / 500);
        for (int r = 0; r < n; r += step)
        {
            Assert.Equal(estimates[r], sketch.ValueAtRank(r));
        }

        Assert.Equal(sorted[0], estimates[0]);
        Assert.Equal(sorted[n - 1], estimates[n - 1]);
    }

    private static void AssertIdentical(QuantileSketch expected, QuantileSketch actual, string label)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.ZeroCount, actual.ZeroCount);
        Assert.Equal(expected.PositiveCount, actual.PositiveCount);
        Assert.Equal(expected.NegativeCount, actual.NegativeCount);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Min), BitConverter.DoubleToInt64Bits(actual.Min));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Max), BitConverter.DoubleToInt64Bits(actual.Max));
        long[] ranks = new long[expected.Count];
        for (int r = 0; r < ranks.Length; r++)
        {
            ranks[r] = r;
        }

        double[] e = new double[ranks.Length];
        double[] a = new double[ranks.Length];
        expected.ValuesAtRanks(ranks, e);
        actual.ValuesAtRanks(ranks, a);
        for (int r = 0; r < ranks.Length; r++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(e[r]) == BitConverter.DoubleToInt64Bits(a[r]), $"{label}: rank {r} is {a[r]:R}, expected {e[r]:R}");
        }

        foreach (double p in Probabilities)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected.Percentile(p)) == BitConverter.DoubleToInt64Bits(actual.Percentile(p)),
                $"{label}: P{p * 100} differs");
        }
    }

    private static QuantileSketch Fill(ReadOnlySpan<double> values, double alpha)
    {
        var sketch = new QuantileSketch(alpha);
        foreach (double x in values)
        {
            sketch.Add(x);
        }

        return sketch;
    }

    private static double[] Sorted(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted;
    }

    private static void Shuffle(double[] values, ref Xoshiro256StarStar rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static double[] Generate(string distribution, int n, ref Xoshiro256StarStar rng)
    {
        Sampler heavy = Sampler.From(Distribution.LogNormal(0, 2.5));
        Sampler moderate = Sampler.From(Distribution.LogNormal(1, 1.5));
        Sampler logSpan = Sampler.From(Distribution.Uniform(0, Math.Log(1e13)));
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = distribution switch
            {
                "exponential" => Sampler.ExponentialByMean(ref rng, 4),
                "heavy lognormal" => heavy.Sample(ref rng),
                "mostly zeros" => rng.NextDouble() < 0.75 ? 0 : moderate.Sample(ref rng),
                "1e-6 to 1e7" => Math.Min(1e7, 1e-6 * Math.Exp(logSpan.Sample(ref rng))),
                "mixed signs" => rng.NextDouble() switch
                {
                    < 0.1 => 0,
                    < 0.55 => -heavy.Sample(ref rng),
                    _ => heavy.Sample(ref rng),
                },
                _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown test distribution."),
            };
        }

        return v;
    }
}
