using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Tests.Engine.Statistics;

/// <summary>A collected sample answers as the sorted values do: exactly within the collector's limit, within the sketch's error past it.</summary>
public sealed class SampleTests
{
    private static readonly double[] Mixed = [3.5, 0, -2, 0, 0, 7.25, 1e-3, 0, -0.5, 12, 0, 3.5, 40, 0, 0.25];

    [Fact]
    public void Exact_EveryAnswer_IsTheSortedValuesBitForBit()
    {
        var sample = Sample.Of(Mixed);
        var sorted = Mixed.Order().ToArray();

        Assert.Equal(Summaries.Summarize(Mixed), sample.Summary);
        for (int r = 0; r < sorted.Length; r++)
        {
            Assert.Equal(sorted[r], sample.ValueAtRank(r));
        }

        foreach (double p in new[] { 0, 0.1, 0.37, 0.5, 0.9, 0.95, 0.999, 1 })
        {
            Assert.Equal(Summaries.Percentile(sorted, p), sample.Percentile(p));
        }

        Assert.Equal(Summaries.PercentileConfidenceInterval(sorted, 0.9, 0.95), sample.PercentileConfidenceInterval(0.9, 0.95));
        foreach (double level in new[] { -3, -2, -1, 0, 1e-4, 3.5, 39.9, 40, 41 })
        {
            Assert.Equal(sorted.Count(v => v <= level), sample.CountAtMost(level));
        }

        // The worst ⌈15 · 0.2⌉ = 3 values: 12, 40 and 7.25, summed in ascending order.
        Assert.Equal((7.25 + 12 + 40) / 3, sample.TailValueAtRisk(0.8));
        Assert.Equal(1e-3, sample.SmallestPositive);
        var visited = new List<(double, long)>();
        sample.ForEachValue((v, n) => visited.Add((v, n)));
        Assert.Equal(Mixed.Length, visited.Sum(x => x.Item2));
        Assert.Contains((0.0, 6L), visited);
    }

    [Fact]
    public void Empty_AnswersZeroAndNoSmallestPositive()
    {
        var sample = Sample.Of([]);

        Assert.Equal(0, sample.Count);
        Assert.Equal(0, sample.Percentile(0.95));
        Assert.Equal((0, 0), sample.PercentileConfidenceInterval(0.95, 0.95));
        Assert.Equal(0, sample.TailValueAtRisk(0.95));
        Assert.Null(sample.SmallestPositive);
        Assert.Throws<ArgumentOutOfRangeException>(() => sample.ValueAtRank(0));
    }

    [Fact]
    [Trait("Category", "Statistical")]
    public void Sketched_PastTheLimit_AnswersWithinTheSketchAccuracy()
    {
        // 200,000 exponential values, mean 8, a third of them zeros; the collector keeps 1,000 exactly, then sketches.
        var random = new DisasterSim.Engine.Randomness.Xoshiro256StarStar(7);
        var values = new double[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 3 == 0 ? 0 : 8 * -Math.Log(1 - random.NextDouble());
        }

        var collector = new ValueCollector(1_000);
        foreach (double v in values)
        {
            collector.Add(v);
        }

        var sample = collector.Finish();
        var sorted = values.Order().ToArray();
        double alpha = QuantileSketch.DefaultRelativeAccuracy;

        Assert.True(sample.IsSketched);
        Assert.Equal(values.Length, sample.Count);
        Assert.Equal(sorted[^1], sample.Summary.Max);
        foreach (double p in new[] { 0.5, 0.9, 0.99, 0.999 })
        {
            double exact = Summaries.Percentile(sorted, p);
            Assert.True(Math.Abs(sample.Percentile(p) - exact) <= alpha * exact * 1.0001, $"p{p}: {sample.Percentile(p)} against {exact}");
        }

        // Counts at or below a level: exact but for the values in the level's bucket (within relative α of it).
        foreach (double level in new[] { 1.0, 8, 30 })
        {
            long low = sorted.Count(v => v <= level * (1 - (2 * alpha)));
            long high = sorted.Count(v => v <= level * (1 + (2 * alpha)));
            Assert.InRange(sample.CountAtMost(level), low, high);
        }

        int tail = (int)Math.Ceiling(values.Length * 0.01);
        double exactTail = sorted[^tail..].Average();
        Assert.True(Math.Abs(sample.TailValueAtRisk(0.99) - exactTail) <= alpha * exactTail * 1.01, $"TVaR99 {sample.TailValueAtRisk(0.99)} against {exactTail}");
        Assert.Equal(sorted.First(v => v > 0), sample.SmallestPositive!.Value, sorted.First(v => v > 0) * alpha);
    }
}
