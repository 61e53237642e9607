using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Variants;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.Comparison;

/// <summary>Races: variants dropped for a failed target or a higher cost, with their reasons; the choice the full grid makes; survivors' results those of plain runs.</summary>
public sealed class RaceTests
{
    private static readonly Metric Cost = new(MetricKind.Cost);

    private static Scenario Variant(params string[] overrides) => Scenario3Variant.Load(overrides);

    private static (RaceOutcome Outcome, List<VariantResult> Results) Race((string Name, Scenario Scenario)[] variants, Target[] targets, RaceSettings settings)
    {
        var simulation = new VariantSimulation([.. variants.Select(v => v.Scenario)], 2026, 2);
        var collectors = new VariantCollectors(variants, [Cost, .. targets.Select(t => t.Metric)], ScenarioCostModel.Instance, new RunOptions(1, 2026, 2), pairWithFirst: false);
        var outcome = global::DisasterSim.Engine.Comparison.Race.Run(simulation, targets, ScenarioCostModel.Instance, settings, collectors);
        return (outcome, collectors.Finish());
    }

    [Fact]
    public void Race_FailingAndCostlierVariants_AreDroppedWithTheirReasonsAndTheBestIsLeft()
    {
        // Failing over after 15 minutes is cheapest; after an hour costs more; without a replica the service waits for the
        // power and fails "rto.p95<=4h".
        (string, Scenario)[] variants =
        [
            ("after=1h", Variant("services[erp].recovery.failover.after=1h")),
            ("after=15m", Variant("services[erp].recovery.failover.after=15m")),
            ("no-standby", Variant("data[erp-db].replication=[]", "services[erp].standby=~", "services[erp].recovery.failover=~")),
        ];
        var target = Target.Parse("rto.p95<=4h");

        var (outcome, results) = Race(variants, [target], new RaceSettings(2_000, 64_000));

        Assert.True(outcome.Decided);
        Assert.Equal([1], outcome.Survivors);
        Assert.Equal(new CostsMore(1, ((CostsMore)outcome.Variants[0].Dropped!).ByAtLeast), outcome.Variants[0].Dropped);
        Assert.True(((CostsMore)outcome.Variants[0].Dropped!).ByAtLeast > 0);
        var fails = Assert.IsType<FailsTarget>(outcome.Variants[2].Dropped);
        Assert.Equal(target, fails.Target);
        Assert.True(fails.Confidence <= outcome.TestLevel);
        Assert.True(outcome.SimulatedTrials < 3 * 64_000 / 5, $"{outcome.SimulatedTrials} variant-trials: the race should stop early");
        Assert.Equal(outcome.Variants[1].Trials, results[1].Result.Options.Trials);
    }

    [Fact]
    public void Race_SurvivorAfterNTrials_HasThePlainRunOfNTrials()
    {
        (string, Scenario)[] variants = [("a", Variant()), ("b", Variant("services[erp].recovery.failover.after=2h"))];

        var (outcome, results) = Race(variants, [], new RaceSettings(1_000, 16_000));

        long n = outcome.Variants[0].Trials;
        var plain = new VariantCollectors([variants[0]], [Cost], ScenarioCostModel.Instance, new RunOptions(1, 2026, 1), pairWithFirst: false);
        new VariantSimulation([variants[0].Item2], 2026, 1).Run(0, n, null, plain);
        var expected = plain.Finish()[0];
        Assert.Equal(expected.Result.Services, results[0].Result.Services);
        Assert.Equal(expected.Samples[Cost].Summary, results[0].Samples[Cost].Summary);
        Assert.IsType<CostsMore>(outcome.Variants[1].Dropped);
    }

    [Fact]
    public void Race_IdenticalVariants_RunToTheMaximumUndecidedAndNeitherIsDropped()
    {
        (string, Scenario)[] variants = [("a", Variant()), ("a-again", Variant())];

        var (outcome, _) = Race(variants, [], new RaceSettings(1_000, 4_000));

        Assert.False(outcome.Decided);
        Assert.All(outcome.Variants, v => Assert.Equal((4_000L, (RaceDrop?)null), (v.Trials, v.Dropped)));
        Assert.Equal(3, outcome.Rounds);
    }

    [Theory]
    [InlineData(10_000, 1_000_000, 8)]
    [InlineData(1_000, 1_000, 1)]
    [InlineData(1_000, 1_001, 2)]
    [InlineData(1_000, 4_000, 3)]
    public void Looks_DoublingFromTheFirstRound_CountsEveryLook(long first, long max, int looks) =>
        Assert.Equal(looks, new RaceSettings(first, max).Looks);
}
