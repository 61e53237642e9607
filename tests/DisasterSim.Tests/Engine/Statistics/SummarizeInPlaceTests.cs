using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Tests.Engine.Statistics;

public class SummarizeInPlaceTests
{
    private const int Kinds = 12;

    [Fact]
    public void SummarizeInPlace_EverySizeUpTo300_EveryKind_SameBitsAsSummarize()
    {
        var rng = new Xoshiro256StarStar(101);
        for (int kind = 0; kind < Kinds; kind++)
        {
            for (int n = 0; n <= 300; n++)
            {
                AssertSameAsSummarize(Generate(ref rng, kind, n), $"kind {kind}, n = {n}");
            }
        }
    }

    [Fact]
    public void SummarizeInPlace_RandomSizesUpTo5000_SameBitsAsSummarize()
    {
        var rng = new Xoshiro256StarStar(103);
        for (int c = 0; c < 250; c++)
        {
            int kind = (int)(rng.NextUInt64() % Kinds);
            int n = (int)(rng.NextUInt64() % 5001);
            AssertSameAsSummarize(Generate(ref rng, kind, n), $"case {c}: kind {kind}, n = {n}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [Trait("Category", "Long")]
    public void SummarizeInPlace_OneMillionValues_SameBitsAsSummarize(int kind)
    {
        var rng = new Xoshiro256StarStar(107);
        AssertSameAsSummarize(Generate(ref rng, kind, 1_000_000), $"kind {kind}");
    }

    [Fact]
    public void SummarizeInPlace_OneValueAndAllZeros_SameAsSummarize()
    {
        AssertSameAsSummarize([7.0], "one value");
        AssertSameAsSummarize([0.0], "one zero");
        AssertSameAsSummarize(new double[1000], "all zeros");
        Assert.Equal(new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Summaries.SummarizeInPlace(Span<double>.Empty));
    }

    [Fact]
    public void SummarizeInPlace_Infinities_SameBitsAsSummarize()
    {
        AssertSameAsSummarize([1, double.PositiveInfinity, 3, 2], "+∞");
        AssertSameAsSummarize([double.NegativeInfinity, 1, 3, 2, double.PositiveInfinity], "±∞");
        AssertSameAsSummarize([double.PositiveInfinity, double.PositiveInfinity, 1], "+∞ twice");
    }

    [Fact]
    public void SummarizeInPlace_SignedZeros_SameBitsExceptTheSignOfAZeroMax()
    {
        // Array.Sort treats −0 and +0 as equal and may leave either last; every other field is bit-identical.
        var rng = new Xoshiro256StarStar(109);
        for (int n = 1; n <= 200; n++)
        {
            double[] values = new double[n];
            for (int i = 0; i < n; i++)
            {
                ulong u = rng.NextUInt64() % 3;
                values[i] = u == 0 ? -0.0 : u == 1 ? 0.0 : -Sampler.ExponentialByMean(ref rng, 1);
            }

            Summary expected = Summaries.Summarize(values);
            Summary actual = Summaries.SummarizeInPlace(values);
            Assert.Equal(expected.Max, actual.Max);
            AssertSameBits(expected with { Max = 0 }, actual with { Max = 0 }, $"n = {n}");
        }
    }

    [Fact]
    public void SummarizeInPlace_LeavesAPermutationOfTheInput()
    {
        var rng = new Xoshiro256StarStar(113);
        double[] values = Generate(ref rng, 1, 3000);
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        Summaries.SummarizeInPlace(values);
        Array.Sort(values);
        Assert.Equal(sorted, values);
    }

    [Fact]
    public void SummarizeInPlace_NaN_ThrowsBeforeMovingAnything()
    {
        double[] values = [3, 1, double.NaN, 2];
        var ex = Assert.Throws<ArgumentException>(() => Summaries.SummarizeInPlace(values));
        Assert.Contains("Value 2 of 4 is NaN", ex.Message);
        Assert.Equal("values", ex.ParamName);
        Assert.Equal([3, 1, double.NaN, 2], values);
    }

    [Fact]
    public void PercentileInPlace_AnyProbability_SameBitsAsPercentileOfSorted()
    {
        var rng = new Xoshiro256StarStar(127);
        for (int c = 0; c < 300; c++)
        {
            int kind = (int)(rng.NextUInt64() % Kinds);
            int n = 1 + (int)(rng.NextUInt64() % 2000);
            double[] values = Generate(ref rng, kind, n);
            double[] sorted = (double[])values.Clone();
            Array.Sort(sorted);
            double p = (c % 4) switch { 0 => 0, 1 => 1, _ => rng.NextDouble() };
            double expected = Summaries.Percentile(sorted, p);
            double actual = Summaries.PercentileInPlace(values, p);
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"case {c}: kind {kind}, n = {n}, p = {p}: {expected:R} from the sort, {actual:R} by selection");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Select_BudgetExhausted_SortsTheRestAndStillSelects(int budget)
    {
        // Real inputs rarely exhaust the budget; a tiny one forces the O(n log n) fallback on every path.
        var rng = new Xoshiro256StarStar(131);
        for (int c = 0; c < 60; c++)
        {
            int kind = c % Kinds;
            int n = 1 + (int)(rng.NextUInt64() % 5000);
            double[] values = Generate(ref rng, kind, n);
            double[] sorted = (double[])values.Clone();
            Array.Sort(sorted);
            int k = (int)(rng.NextUInt64() % (ulong)n);
            Summaries.SelectWithBudget(values, k, budget);
            Assert.Equal(sorted[k], values[k]);
            for (int i = 0; i < n; i++)
            {
                Assert.True(i < k ? values[i] <= values[k] : values[i] >= values[k], $"kind {kind}, n = {n}, k = {k}: value {i} is on the wrong side");
            }
        }
    }

    [Fact]
    public void PercentileInPlace_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Summaries.PercentileInPlace(Span<double>.Empty, 0.5));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Summaries.PercentileInPlace(new double[] { 1, 2 }, 95));
        Assert.Equal("p", ex.ParamName);
        var nan = Assert.Throws<ArgumentException>(() => Summaries.PercentileInPlace(new double[] { 1, double.NaN }, 0.5));
        Assert.Contains("Value 1 of 2 is NaN", nan.Message);
    }

    private static void AssertSameAsSummarize(double[] values, string label)
    {
        Summary expected = Summaries.Summarize(values);
        Summary actual = Summaries.SummarizeInPlace(values);
        AssertSameBits(expected, actual, label);
    }

    private static void AssertSameBits(Summary expected, Summary actual, string label)
    {
        Assert.Equal(expected.Count, actual.Count);
        (string Name, double Expected, double Actual)[] fields =
        [
            ("Mean", expected.Mean, actual.Mean),
            ("MeanCiLow", expected.MeanCiLow, actual.MeanCiLow),
            ("MeanCiHigh", expected.MeanCiHigh, actual.MeanCiHigh),
            ("StdDev", expected.StdDev, actual.StdDev),
            ("P50", expected.P50, actual.P50),
            ("P90", expected.P90, actual.P90),
            ("P95", expected.P95, actual.P95),
            ("P99", expected.P99, actual.P99),
            ("P999", expected.P999, actual.P999),
            ("Max", expected.Max, actual.Max),
            ("ShareNonZero", expected.ShareNonZero, actual.ShareNonZero),
        ];
        foreach ((string name, double e, double a) in fields)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a),
                $"{label}: {name} is {e:R} from the sort, {a:R} by selection");
        }

        // The percentiles' interval ends, selected first, with the percentiles selected between them.
        foreach (var (e, a) in expected.Percentiles.Zip(actual.Percentiles))
        {
            Assert.True(
                Bits(e.Interval.Low) == Bits(a.Interval.Low) && Bits(e.Interval.High) == Bits(a.Interval.High),
                $"{label}: the interval of P{e.Probability * 100:0.#} is {e.Interval} from the sort, {a.Interval} by selection");
        }

        static long? Bits(double? x) => x is double v ? BitConverter.DoubleToInt64Bits(v) : null;
    }

    // Shapes that stress selection: continuous, heavy ties, mostly zeros, constant, signed, and the orders
    // (sorted, reversed, organ pipe, sawtooth) on which naive pivots degrade.
    private static double[] Generate(ref Xoshiro256StarStar rng, int kind, int n)
    {
        double[] v = new double[n];
        Sampler heavy = Sampler.From(Distribution.LogNormal(0, 3));
        for (int i = 0; i < n; i++)
        {
            v[i] = kind switch
            {
                0 => Sampler.ExponentialByMean(ref rng, 10),
                1 => rng.NextUInt64() % 5,
                2 => rng.NextDouble() < 0.8 ? 0 : Sampler.ExponentialByMean(ref rng, 3),
                3 => 0,
                4 => 7.25,
                5 => (rng.NextUInt64() & 1) == 0 ? heavy.Sample(ref rng) : -heavy.Sample(ref rng),
                6 => heavy.Sample(ref rng),
                7 => i,
                8 => n - i,
                9 => Math.Min(i, n - i),
                10 => i % 17,
                _ => rng.NextUInt64() % 2 == 0 ? 1 : 2,
            };
        }

        return v;
    }
}
