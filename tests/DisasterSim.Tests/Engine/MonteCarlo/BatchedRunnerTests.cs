using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.MonteCarlo;

/// <summary>Runs extended batch by batch: the statistics and the streamed rows of a plain run of as many trials, stopping when the check holds.</summary>
public sealed class BatchedRunnerTests
{
    private static readonly Scenario Scenario3 = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");

    [Fact]
    public void Run_CheckNeverHolds_StopsAtMaxWithThePlainRunsStatisticsAndRows()
    {
        var budget = new PrecisionTarget(0, false, BatchTrials: 700, MaxTrials: 2_500);
        var keeper = new RecordKeeper(0, 2_500, Scenario3.Services.Length, Scenario3.DataSets.Length);
        var checkedAt = new List<long>();

        var outcome = BatchedRunner.Run(Scenario3, new RunOptions(1, 99, 2), budget, new RunHooks { Consumers = [keeper], KeepRecords = false }, t =>
        {
            checkedAt.Add(t);
            return false;
        });

        // Batches of max(700, trials / 4), the last cut by the budget: 700, 1400, 2100, 2500.
        Assert.Equal([700, 1_400, 2_100, 2_500], checkedAt);
        Assert.False(outcome.Satisfied);
        var plain = MonteCarloRunner.Run(Scenario3, new RunOptions(2_500, 99, 1));
        Assert.Equal(plain.Options with { Threads = 2 }, outcome.Result.Options);
        Assert.Equal(plain.Services, outcome.Result.Services);
        Assert.Equal(plain.DataSets, outcome.Result.DataSets);
        Assert.Equal(plain.Costs, outcome.Result.Costs);
        var rows = keeper.Records();
        Assert.Equal(plain.Trials.DowntimeColumn(0), rows.Table.DowntimeColumn(0));
        Assert.Equal(plain.Incidents, rows.Incidents);
    }

    [Fact]
    public void Run_CheckHolds_StopsAfterThatBatch()
    {
        var budget = new PrecisionTarget(0, false, BatchTrials: 500, MaxTrials: 100_000);

        var outcome = BatchedRunner.Run(Scenario3, new RunOptions(1, 5, 2), budget, new RunHooks { KeepRecords = false }, t => t >= 1_200);

        Assert.True(outcome.Satisfied);
        Assert.Equal(1_500, outcome.Result.Options.Trials);
        Assert.Equal(MonteCarloRunner.Run(Scenario3, new RunOptions(1_500, 5, 2)).Services, outcome.Result.Services);
    }

    [Fact]
    public void Run_HooksThatKeepRecords_Refused()
    {
        var budget = new PrecisionTarget(0, false, 10, 10);
        var ex = Assert.Throws<ArgumentException>(() => BatchedRunner.Run(Scenario3, new RunOptions(1, 5, 1), budget, RunHooks.Default, _ => true));
        Assert.Equal("hooks", ex.ParamName);
    }
}
