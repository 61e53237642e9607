using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.Comparison;

/// <summary>What run --precision waits for: a metric's values collected from streamed chunks, its mean or a percentile, and their half-widths.</summary>
public sealed class PrecisionStatisticTests
{
    private static readonly Scenario Scenario3 = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");

    public static TheoryData<string> Metrics => new() { "downtime", "downtime[erp]", "loss", "loss_gb", "rto", "rpo[erp-db]", "worst_downtime", "worst_loss", "cost" };

    [Theory]
    [MemberData(nameof(Metrics))]
    public void MetricCollector_StreamedChunks_SameValuesAsMetricValuesOfTheFinishedRun(string name)
    {
        var metric = Metric.Parse(name);
        var collector = new MetricCollector(metric, Scenario3, long.MaxValue);

        var result = MonteCarloRunner.Run(Scenario3, new RunOptions(3_000, 17, 2), new RunHooks { Consumers = [collector] });

        double[] expected = metric.Values(result, ScenarioCostModel.Instance);
        Assert.Equal(Summaries.Summarize(expected), collector.Summarize());
        Assert.Equal(expected.Length, collector.Count);
    }

    [Theory]
    [InlineData("downtime", "downtime", null)]
    [InlineData("downtime.mean", "downtime", null)]
    [InlineData("rto[erp].p99", "rto[erp]", 0.99)]
    [InlineData("loss.p99.9", "loss", 0.999)]
    [InlineData(" cost.p50 ", "cost", 0.5)]
    public void Parse_MetricAndStatistic(string text, string metric, double? p)
    {
        var parsed = PrecisionStatistic.Parse(text);
        Assert.Equal(metric, parsed.Metric.ToString());
        Assert.Equal(p, parsed.Statistic.Percentile);
    }

    [Theory]
    [InlineData("downtime.p97", "p97")]
    [InlineData("uptime.p99", "uptime")]
    [InlineData("downtime.median", "median")]
    public void Parse_Unknown_FormatExceptionNamingIt(string text, string named)
    {
        var ex = Assert.Throws<FormatException>(() => PrecisionStatistic.Parse(text));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MeanAndPercentile_HalfWidthsOfTheirIntervals()
    {
        var summary = new Summary(400, 10, 9, 11.5, 3, 8, 12, 14, 20, 30, 40, 1)
        {
            P99Interval = new(19, 22),
            P999Interval = new(25, null),
        };
        var mean = PrecisionStatistic.Parse("downtime");
        var p99 = PrecisionStatistic.Parse("downtime.p99");
        var p999 = PrecisionStatistic.Parse("downtime.p99.9");

        Assert.Equal((10.0, (double?)1.25), mean.Evaluate(summary));
        Assert.Equal((20.0, (double?)1.5), p99.Evaluate(summary));
        Assert.Equal((30.0, (double?)null), p999.Evaluate(summary));

        // 1.5 is 7.5% of 20; an open end is never precise.
        Assert.True(p99.IsPrecise(summary, new PrecisionTarget(0.075, true, 2, 2)));
        Assert.False(p99.IsPrecise(summary, new PrecisionTarget(0.074, true, 2, 2)));
        Assert.True(p99.IsPrecise(summary, new PrecisionTarget(1.5, false, 2, 2)));
        Assert.False(p999.IsPrecise(summary, new PrecisionTarget(1e9, false, 2, 2)));
        Assert.False(mean.IsPrecise(summary with { Count = 1 }, new PrecisionTarget(1e9, false, 2, 2)));
    }
}
