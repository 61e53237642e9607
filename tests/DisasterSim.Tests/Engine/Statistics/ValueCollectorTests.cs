using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Tests.Engine.Statistics;

public sealed class ValueCollectorTests
{
    public static TheoryData<string, int> Shapes => new()
    {
        { "empty", 0 },
        { "one zero", 1 },
        { "one value", 1 },
        { "all zeros", 5000 },
        { "sparse", 5000 },
        { "dense", 5000 },
        { "mixed signs", 5000 },
        { "zeros at the end", 3000 },
        { "ties", 4000 },
        { "large sparse", 200_000 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Summarize_WithinExactLimit_SameBitsAsSummaries(string shape, int n)
    {
        double[] values = Values(shape, n, seed: 11);
        var collector = new ValueCollector(long.MaxValue);
        foreach (double x in values)
        {
            collector.Add(x);
        }

        Assert.False(collector.IsSketched);
        Assert.Equal(Summaries.Summarize(values), collector.Summarize());
    }

    [Theory]
    [InlineData("sparse", 0)]
    [InlineData("sparse", 37)]
    [InlineData("dense", 1000)]
    [InlineData("mixed signs", 500)]
    [InlineData("large sparse", 2000)]
    public void Summarize_PastExactLimit_ExactMeanMaxShareAndPercentilesWithinTheSketchBound(string shape, long limit)
    {
        double[] values = Values(shape, 200_000, seed: 5);
        var collector = new ValueCollector(limit);
        foreach (double x in values)
        {
            collector.Add(x);
        }

        var exact = Summaries.Summarize(values);
        var sketched = collector.Summarize();

        Assert.True(collector.IsSketched);
        Assert.Equal(exact.Count, sketched.Count);
        Assert.Equal(exact.Mean, sketched.Mean);
        Assert.Equal(exact.Max, sketched.Max);
        Assert.Equal(exact.ShareNonZero, sketched.ShareNonZero);
        Assert.Equal(exact.StdDev, sketched.StdDev, exact.StdDev * 1e-9);
        double alpha = QuantileSketch.DefaultRelativeAccuracy;
        foreach (var (e, s) in new[] { (exact.P50, sketched.P50), (exact.P90, sketched.P90), (exact.P95, sketched.P95), (exact.P99, sketched.P99), (exact.P999, sketched.P999) })
        {
            Assert.True(Math.Abs(s - e) <= alpha * Math.Abs(e), $"{s} is not within {alpha:P1} of {e}");
        }
    }

    [Fact]
    public void Add_PastExactLimit_ReleasesTheStoredValues()
    {
        var collector = new ValueCollector(100_000);
        foreach (double x in Values("dense", 300_000, seed: 9))
        {
            collector.Add(x);
        }

        Assert.True(collector.IsSketched);
        Assert.True(collector.Bytes < 200_000, $"{collector.Bytes} bytes held");
    }

    [Fact]
    public void Add_ZerosAreStoredAsRuns_SparseValuesTakeLittleRoom()
    {
        var collector = new ValueCollector(long.MaxValue);
        for (int i = 0; i < 1_000_000; i++)
        {
            collector.Add(i % 10_000 == 0 ? 1.5 : 0);
        }

        // 100 nonzero values and 100 runs of zeros: one block of 65,536 stored values.
        Assert.Equal(1_000_000, collector.Count);
        Assert.Equal(65_536 * sizeof(double), collector.Bytes);
    }

    [Fact]
    public void Summarize_CalledTwice_SameResult()
    {
        var collector = new ValueCollector(long.MaxValue);
        foreach (double x in Values("mixed signs", 1000, seed: 3))
        {
            collector.Add(x);
        }

        Assert.Equal(collector.Summarize(), collector.Summarize());
    }

    [Fact]
    public void Add_NaN_ThrowsNamingTheValue()
    {
        var collector = new ValueCollector(long.MaxValue);
        collector.Add(1);

        var e = Assert.Throws<ArgumentException>(() => collector.Add(double.NaN));

        Assert.Contains("Value 1 is NaN", e.Message, StringComparison.Ordinal);
    }

    private static double[] Values(string shape, int n, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            double e = Sampler.ExponentialByMean(ref rng, 3);
            values[i] = shape switch
            {
                "one value" => 2.5,
                "one zero" or "all zeros" or "empty" => 0,
                "sparse" or "large sparse" => u < 0.9 ? 0 : e,
                "dense" => e,
                "mixed signs" => u < 0.3 ? 0 : u < 0.6 ? -e : e,
                "zeros at the end" => i < n / 2 ? e : 0,
                _ => Math.Floor(e) * (u < 0.5 ? 1 : 0),
            };
        }

        return values;
    }
}
