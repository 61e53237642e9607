using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Variants;
using DisasterSim.Tests.Engine.Simulation;
using DisasterSim.Tests.Scenarios;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Comparison;

/// <summary>Variants run on common random numbers see the same disasters; comparisons and exceedance curves built on them.</summary>
public sealed class CommonRandomNumberTests
{

    private static Scenario Variant(params string[] overrides) => Scenario3Variant.Load(overrides);

    [Fact]
    public void Compare_TwoIdenticalVariants_DifferByExactlyZero()
    {
        var options = new RunOptions(3_000, 2026, 2);
        var a = new VariantResult("a", MonteCarloRunner.Run(Variant(), options));
        var b = new VariantResult("b", MonteCarloRunner.Run(Variant(), options with { Threads = 1 }));

        var rows = PolicyComparison.Compare([a, b], PolicyComparison.DefaultMetrics(a.Result), ZeroCostModel.Instance);

        foreach (var row in rows.Where(r => r.Variant == "b" && r.Metric.PerTrial))
        {
            Assert.Equal(0, row.Difference!.Mean);
            Assert.Equal(0, row.Difference.StdDev);
            Assert.Equal(1, row.Difference.PValue);
            Assert.False(row.Significant);
        }

        Assert.True(a.Result.Trials.DowntimeColumn(0).Sum() > 0, "the scenario must have downtime for the test to mean anything");
    }

    [Fact]
    public void Variant_ChangingOnlyBackupInterval_SeesTheSameThreatArrivals()
    {
        var options = new RunOptions(3_000, 7, 2);
        // Without the replica the backups are what a disaster falls back on, so the interval matters.
        var hourly = MonteCarloRunner.Run(Variant("data[erp-db].replication=[]"), options);
        var nightly = MonteCarloRunner.Run(Variant("data[erp-db].replication=[]", "data[erp-db].backups[hourly-offsite].interval=24h"), options);

        var arrivals = (RunResult r) => r.Incidents.Select(x => (x.Trial, x.StartHours, x.CauseKind, x.CauseIndex)).ToList();

        Assert.NotEmpty(arrivals(hourly));
        Assert.Equal(arrivals(hourly), arrivals(nightly));

        // The policy changed what the disasters cost, so the comparison is not vacuous.
        Assert.NotEqual(hourly.Trials.LossHoursColumn(0), nightly.Trials.LossHoursColumn(0));
    }

    [Fact]
    public void Compare_WorsePolicy_IsSignificantWithHolm()
    {
        var options = new RunOptions(3_000, 2026, 2);
        var baseline = new VariantResult("baseline", MonteCarloRunner.Run(Variant(), options));
        var noReplica = new VariantResult("no-repl", MonteCarloRunner.Run(Variant("data[erp-db].replication=[]"), options));
        var same = new VariantResult("same", MonteCarloRunner.Run(Variant("data[erp-db].backups[hourly-offsite].interval=1h"), options));

        var rows = PolicyComparison.Compare([baseline, noReplica, same], [new Metric(MetricKind.Downtime)], ZeroCostModel.Instance);

        var worse = rows.Single(r => r.Variant == "no-repl");
        Assert.True(worse.Significant);
        Assert.True(worse.Difference!.CiLow > 0);
        // Holm with m = 2: the smaller p-value doubled, the larger one at least that and at least itself.
        Assert.Equal(Math.Min(1, 2 * worse.Difference.PValue), worse.HolmPValue!.Value, 12);
        Assert.Equal(1, rows.Single(r => r.Variant == "same").HolmPValue!.Value, 12);
        Assert.False(rows.Single(r => r.Variant == "same").Significant);
        Assert.Null(rows.Single(r => r.Variant == "baseline").Difference);
    }

    [Fact]
    [Trait("Category", "Statistical")]
    public void Exceedance_PoissonExponentialOutages_MatchClosedForms()
    {
        // Outages arrive at λ = 2 a year and last Exp(mean 8 h); the service waits for them to end.
        // The year's worst outage exceeds x with probability 1 − exp(−λ·e^(−x/8)); overlaps (≈ 0.2%) are negligible.
        const double lambda = 2;
        const double mean = 8;
        var scenario = new ScenarioBuilder().Horizon(8766)
            .Component("c")
            .Service("s", All("c"))
            .Threat("cut", lambda, new Scope(ScopeKind.Component, "c"), Effect.Outage, Exp(mean))
            .Build();
        var result = MonteCarloRunner.Run(scenario, new RunOptions(40_000, 3, 2));
        var worst = new Metric(MetricKind.WorstDowntime).Values(result, ZeroCostModel.Instance);
        var total = new Metric(MetricKind.Downtime).Values(result, ZeroCostModel.Instance);

        double[] levels = [0, 4, 8, 16, 32];
        var occurrence = Exceedance.Curve(worst, levels);
        var aggregate = Exceedance.Curve(total, levels);

        foreach (var point in occurrence)
        {
            double exact = 1 - Math.Exp(-lambda * Math.Exp(-point.X / mean));
            AssertProportionInside99(exact, point.Probability, worst.Length);
        }

        // Any downtime at all: at least one arrival.
        AssertProportionInside99(1 - Math.Exp(-lambda), aggregate[0].Probability, total.Length);

        // The total is never below the worst single incident.
        for (int i = 0; i < levels.Length; i++)
        {
            Assert.True(aggregate[i].Probability >= occurrence[i].Probability);
        }
    }

    private static void AssertProportionInside99(double exact, double observed, int n)
    {
        double halfWidth = 2.5758293035489004 * Math.Sqrt(exact * (1 - exact) / n);
        Assert.True(Math.Abs(observed - exact) <= halfWidth, $"P = {observed} outside {exact} ± {halfWidth}");
    }
}
