using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Variants;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.Comparison;

/// <summary>Variants collected as their chunks stream by give the comparison of runs that kept every trial, for any thread count; past the budget, the sketch.</summary>
public sealed class VariantCollectorsTests
{

    private static Scenario Variant(params string[] overrides) => Scenario3Variant.Load(overrides);

    private static readonly (string Name, Scenario Scenario)[] Variants =
    [
        ("baseline", Variant()),
        ("no-repl", Variant("data[erp-db].replication=[]")),
        ("daily", Variant("data[erp-db].backups[hourly-offsite].interval=24h")),
    ];

    private static List<VariantResult> Stream(int threads, long trials, long budget = RunOptions.DefaultExactValueBudget)
    {
        var metrics = PolicyComparison.DefaultMetrics(Variants[0].Scenario, withCost: true);
        var collectors = new VariantCollectors(Variants, metrics, ScenarioCostModel.Instance, new RunOptions(1, 2026, threads) { ExactValueBudget = budget }, pairWithFirst: true);
        new VariantSimulation([.. Variants.Select(v => v.Scenario)], 2026, threads).Run(0, trials, null, collectors);
        return collectors.Finish();
    }

    [Fact]
    public void Compare_Streamed_EqualsTheComparisonOfRunsThatKeptEveryTrial()
    {
        var metrics = PolicyComparison.DefaultMetrics(Variants[0].Scenario, withCost: true);
        var kept = Variants.Select(v => new VariantResult(v.Name, MonteCarloRunner.Run(v.Scenario, new RunOptions(3_000, 2026, 2)))).ToList();

        var expected = PolicyComparison.Compare(kept, metrics, ScenarioCostModel.Instance);
        var streamed = PolicyComparison.Compare(Stream(2, 3_000), metrics, ScenarioCostModel.Instance);

        Assert.Equal(expected, streamed);
        Assert.Contains(streamed, r => r.Significant == true);
    }

    [Fact]
    public void Collect_ThreadCount_DoesNotChangeAnyResult()
    {
        var metrics = PolicyComparison.DefaultMetrics(Variants[0].Scenario, withCost: true);

        var one = PolicyComparison.Compare(Stream(1, 5_000), metrics, ScenarioCostModel.Instance);
        var three = PolicyComparison.Compare(Stream(3, 5_000), metrics, ScenarioCostModel.Instance);

        Assert.Equal(one, three);
    }

    [Fact]
    public void Collect_PastTheBudget_SketchesPercentilesAndKeepsMeansCountsAndDifferencesExact()
    {
        var exact = Stream(2, 4_000);
        var sketched = Stream(2, 4_000, budget: 2_000);
        var rto = new Metric(MetricKind.Rto, "erp");
        var downtime = new Metric(MetricKind.Downtime, "erp");

        Assert.False(exact[1].Samples[rto].IsSketched);
        Assert.True(sketched[1].Samples[rto].IsSketched);
        Assert.Equal(exact[1].Samples[rto].Summary.Mean, sketched[1].Samples[rto].Summary.Mean);
        Assert.Equal(exact[1].Samples[rto].Count, sketched[1].Samples[rto].Count);
        Assert.Equal(exact[1].Samples[rto].Summary.Max, sketched[1].Samples[rto].Summary.Max);
        double p95 = exact[1].Samples[rto].Summary.P95;
        Assert.InRange(sketched[1].Samples[rto].Summary.P95, p95 * 0.998, p95 * 1.002);
        Assert.Equal(exact[1].Differences![downtime], sketched[1].Differences![downtime]);
    }
}
