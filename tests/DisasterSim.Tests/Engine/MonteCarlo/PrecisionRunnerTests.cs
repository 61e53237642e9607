using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.MonteCarlo;

/// <summary>Precision-driven runs: batch by batch in trial order, identical to a plain run of the same length, stopping when precise.</summary>
public sealed class PrecisionRunnerTests
{
    private static readonly Scenario Scenario3 = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");

    private static readonly Metric Downtime = new(MetricKind.Downtime);

    private static (PrecisionOutcome Outcome, List<VariantResult> Results) Run(Scenario[] scenarios, ulong seed, PrecisionTarget target)
    {
        var variants = scenarios.Select((s, i) => ($"v{i}", s)).ToList();
        var simulation = new VariantSimulation(scenarios, seed, 2);
        var collectors = new VariantCollectors(variants, [Downtime], ZeroCostModel.Instance, new RunOptions(1, seed, 2), pairWithFirst: true, exactRunSummaries: true);
        var outcome = PrecisionRunner.Run(simulation, target, collectors, v => collectors.SummaryOf(v, Downtime));
        return (outcome, collectors.Finish());
    }

    [Fact]
    public void Run_UnreachablePrecision_StopsAtMaxAndMatchesPlainRun()
    {
        var target = new PrecisionTarget(1e-9, Relative: true, BatchTrials: 700, MaxTrials: 2_500);

        var (outcome, results) = Run([Scenario3], 99, target);

        Assert.False(outcome.Converged);
        Assert.Equal(2_500, outcome.Trials);
        var plain = MonteCarloRunner.Run(Scenario3, new RunOptions(2_500, 99, 1));
        var batched = results[0].Result;
        Assert.Equal(2_500, batched.Options.Trials);
        Assert.Equal(plain.Services, batched.Services);
        Assert.Equal(plain.DataSets, batched.DataSets);
        Assert.Equal(plain.Costs, batched.Costs);
        Assert.Equal(Summaries.Summarize(plain.Trials.DowntimeColumn(0)), results[0].Samples[Downtime].Summary);
    }

    [Fact]
    public void Run_LoosePrecision_StopsAfterFirstBatchThatMeetsIt()
    {
        // The relative half-width after n trials is about 1.96·cv/√n; find the first batch count that meets 5% and check the runner stops there.
        var target = new PrecisionTarget(0.05, Relative: true, BatchTrials: 500, MaxTrials: 50_000);

        var (outcome, results) = Run([Scenario3], 5, target);

        Assert.True(outcome.Converged);
        Assert.True(outcome.HalfWidths[0] <= 0.05 * outcome.Means[0]);
        Assert.Equal(outcome.Trials, results[0].Result.Options.Trials);

        // The checkpoints are 500, then + max(500, n/4) each time; the run stopped at one, and the one before did not meet the target.
        var checkpoints = new List<long> { 500 };
        while (checkpoints[^1] < outcome.Trials)
        {
            checkpoints.Add(checkpoints[^1] + PrecisionRunner.NextBatch(checkpoints[^1], target));
        }

        Assert.Equal(outcome.Trials, checkpoints[^1]);
        Assert.True(checkpoints.Count > 1, "the target should need more than one batch for the test to mean anything");
        var before = MonteCarloRunner.Run(Scenario3, new RunOptions(checkpoints[^2], 5, 2));
        var s = Summaries.Summarize(before.Trials.DowntimeColumn(0));
        Assert.True((s.MeanCiHigh - s.MeanCiLow) / 2 > 0.05 * s.Mean, "the runner must not run a batch more than needed");
    }

    [Fact]
    public void Run_TwoVariants_AdvanceTogetherOnCommonRandomNumbers()
    {
        var target = new PrecisionTarget(0.5, Relative: false, BatchTrials: 400, MaxTrials: 1_200);

        var (_, results) = Run([Scenario3, Scenario3], 1, target);

        Assert.Equal(results[0].Result.Options.Trials, results[1].Result.Options.Trials);
        Assert.Equal(results[0].Samples[Downtime].Summary, results[1].Samples[Downtime].Summary);
        Assert.Equal(0, results[1].Differences![Downtime].Mean);
        Assert.Equal(0, results[1].Differences![Downtime].StdDev);
    }

    [Fact]
    public void NextBatch_GrowsByAQuarterAndStopsAtTheBudget()
    {
        var target = new PrecisionTarget(0.01, true, 1_000, 10_000);

        Assert.Equal(1_000, PrecisionRunner.NextBatch(0, target));
        Assert.Equal(1_000, PrecisionRunner.NextBatch(3_000, target));
        Assert.Equal(2_000, PrecisionRunner.NextBatch(8_000, target));
        Assert.Equal(500, PrecisionRunner.NextBatch(9_500, target));
    }

    [Fact]
    public void IsPrecise_RelativeAndAbsolute()
    {
        Assert.True(PrecisionRunner.IsPrecise(0.01, 1, new PrecisionTarget(0.01, true, 10, 10)));
        Assert.False(PrecisionRunner.IsPrecise(0.011, 1, new PrecisionTarget(0.01, true, 10, 10)));
        Assert.True(PrecisionRunner.IsPrecise(0.4, 100, new PrecisionTarget(0.5, false, 10, 10)));
    }
}
