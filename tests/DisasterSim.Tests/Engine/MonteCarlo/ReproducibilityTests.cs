using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Tests.Engine.Simulation;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.MonteCarlo;

public sealed class ReproducibilityTests
{
    private static Scenario Estate(double backupInterval, bool replica = true) => new ScenarioBuilder()
        .Component("power", failure: new FailureProcess(Exp(500), Exp(4), Effect.Outage))
        .Component("san", requires: All("power"), kind: "storage")
        .Component("dr-host", site: "dr")
        .Service("app", All("san"), detection: Exp(0.5), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Manual, 2, Distribution.Triangular(0.2, 0.5, 2)), rto: 4)
        .Data("db", "app", "san", backups: [Backup(backupInterval, 0.5, Location.Offsite)], replicas: replica ? [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Exp(0.1))] : [], rpo: 1)
        .Threat("fire", 0.5, new Scope(ScopeKind.Site, "hq"), Effect.Destroyed, Distribution.Uniform(200, 2000))
        .Threat("storm", 2, new Scope(ScopeKind.Region, "south"), Effect.Outage, Distribution.LogNormalByMedianP90(4, 48))
        .Build();

    [Fact]
    public void Run_OneThreadOrTwo_IdenticalResults()
    {
        var scenario = Estate(24);

        var one = MonteCarloRunner.Run(scenario, new RunOptions(3_000, 99, 1));
        var two = MonteCarloRunner.Run(scenario, new RunOptions(3_000, 99, 2));

        Assert.Equal(one.Incidents, two.Incidents);
        Assert.Equal(one.DataLosses, two.DataLosses);
        Assert.Equal(one.Trials.DowntimeColumn(0), two.Trials.DowntimeColumn(0));
        Assert.Equal(one.Trials.LossGbColumn(0), two.Trials.LossGbColumn(0));
        Assert.Equal(one.Services, two.Services);
        Assert.NotEmpty(one.Incidents);
    }

    [Fact]
    public void Run_DifferentSeed_DifferentResults()
    {
        var scenario = Estate(24);

        var a = MonteCarloRunner.Run(scenario, new RunOptions(500, 1, 1));
        var b = MonteCarloRunner.Run(scenario, new RunOptions(500, 2, 1));

        Assert.NotEqual(a.Incidents.Select(i => i.StartHours), b.Incidents.Select(i => i.StartHours));
    }

    [Fact]
    public void Run_BackupIntervalChanged_SameDisastersStrike()
    {
        var hourly = MonteCarloRunner.Run(Estate(1, replica: false), new RunOptions(2_000, 5, 2));
        var daily = MonteCarloRunner.Run(Estate(24, replica: false), new RunOptions(2_000, 5, 2));

        var Arrivals = (RunResult r) => r.Incidents.Select(i => (i.Trial, i.StartHours, i.CauseKind, i.CauseIndex)).ToList();
        Assert.Equal(Arrivals(hourly), Arrivals(daily));
        Assert.Equal(hourly.Incidents.Select(i => i.DetectionDelayHours), daily.Incidents.Select(i => i.DetectionDelayHours));
        Assert.True(hourly.DataSets[0].LossHoursPerTrial.Mean < daily.DataSets[0].LossHoursPerTrial.Mean);
    }

    [Fact]
    public void Run_TrialRange_RowsAndRecordsEqualThoseTrialsOfTheWholeRun()
    {
        var scenario = Estate(24);
        var whole = MonteCarloRunner.Run(scenario, new RunOptions(3_000, 8, 2));

        var part = MonteCarloRunner.Run(scenario, new RunOptions(1_100, 8, 2) { FirstTrial = 1_500 });

        Assert.Equal((1_500L, 1_100L), (part.Trials.FirstTrial, part.Trials.Trials));
        Assert.Equal(whole.Trials.DowntimeColumn(0)[1_500..2_600], part.Trials.DowntimeColumn(0));
        Assert.Equal(whole.Trials.LossHoursColumn(0)[1_500..2_600], part.Trials.LossHoursColumn(0));
        Assert.Equal(whole.Incidents.Where(x => x.Trial is >= 1_500 and < 2_600), part.Incidents);
        Assert.Equal(whole.DataLosses.Where(x => x.Trial is >= 1_500 and < 2_600), part.DataLosses);
        Assert.NotEmpty(part.Incidents);
    }

    [Fact]
    public void Summarize_RowsAndRecordsOfARun_GivesTheRunsStatistics()
    {
        var scenario = Estate(24);
        var run = MonteCarloRunner.Run(scenario, new RunOptions(2_000, 9, 2));

        var again = MonteCarloRunner.Summarize(scenario, run.Options, run.Trials, [.. run.Incidents], [.. run.DataLosses]);

        Assert.Equal(run.Services, again.Services);
        Assert.Equal(run.DataSets, again.DataSets);
    }
}
