using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>Power chains, ransomware, seasonal regional threats and failover decisions, with fixed distributions.</summary>
public sealed class ThreatMechanismTests
{
    private static RunResult Run(Scenario scenario, int trials = 300) => MonteCarloRunner.Run(scenario, new RunOptions(trials, 5, 1));

    /// <summary>Every value is the hand-computed one, but for the few incidents that another arrival overlapped.</summary>
    private static void AssertMostlyExactly(double expected, IReadOnlyCollection<double> values)
    {
        Assert.NotEmpty(values);
        double share = values.Count(v => Math.Abs(v - expected) < 1e-9) / (double)values.Count;
        Assert.True(share > 0.95, $"only {share:P1} of {values.Count} values are {expected}");
        Assert.All(values, v => Assert.True(v >= expected - 1e-9, $"{v} < {expected}"));
    }

    private static ScenarioBuilder Powered(BackupPower? backup, double outageHours) => new ScenarioBuilder()
        .Component("utility", kind: "power", backupPower: backup)
        .Component("host", requires: All("utility"))
        .Service("app", All("host"))
        .Threat("grid", 3, new Scope(ScopeKind.Component, "utility"), Effect.Outage, Fixed(outageHours));

    [Fact]
    public void Generator_WithoutRefuel_RunsOutOfFuel()
    {
        // A 100 h utility outage: the UPS bridges 15 min, the generator runs 48 h more, then the site goes dark.
        var result = Run(Powered(new BackupPower(0.25, 0, 48, RefuelPolicy.Never), 100).Build());

        Assert.NotEmpty(result.Incidents);
        AssertMostlyExactly(100 - 48.25, result.Incidents.Select(i => i.DowntimeHours).ToList());
    }

    [Fact]
    public void Generator_Refuelled_CarriesTheWholeOutage()
    {
        Assert.Empty(Run(Powered(new BackupPower(0.25, 0, 48, RefuelPolicy.Always), 100).Build()).Incidents);
    }

    [Fact]
    public void NoGenerator_UpsOnly_BridgesShortOutagesOnly()
    {
        Assert.Empty(Run(Powered(new BackupPower(0.25, 1, 1, RefuelPolicy.Never), 0.2).Build()).Incidents);
        var result = Run(Powered(new BackupPower(0.25, 1, 1, RefuelPolicy.Never), 10).Build());
        AssertMostlyExactly(9.75, result.Incidents.Select(i => i.DowntimeHours).ToList());
    }

    [Fact]
    public void Generator_NotRefuelledDuringRegionalEvent_RunsOutOnlyThen()
    {
        // Hurricanes take the utility feeds of the region (affects: power) and close the roads: no fuel.
        var scenario = new ScenarioBuilder()
            .Component("utility", kind: "power", backupPower: new BackupPower(0.25, 0, 48, RefuelPolicy.NotDuringRegionalEvents))
            .Component("host", requires: All("utility"))
            .Service("app", All("host"))
            .Threat("hurricane", 2, new Scope(ScopeKind.Region, "south"), Effect.Outage, Fixed(100), t => t with { Affects = "power" })
            .Threat("grid", 3, new Scope(ScopeKind.Component, "utility"), Effect.Outage, Fixed(100))
            .Build();

        var result = Run(scenario);

        var causes = result.Incidents.Select(i => result.Scenario.Threats[i.CauseIndex].Name).Distinct().ToList();
        Assert.Contains("hurricane", causes);
        // Alone, a hurricane leaves the site dark for 100 − 48.25 h; overlapping outages (a few percent) merge into longer ones.
        var hurricanes = result.Incidents.Where(i => result.Scenario.Threats[i.CauseIndex].Name == "hurricane").ToList();
        double exact = hurricanes.Count(i => Math.Abs(i.DowntimeHours - (100 - 48.25)) < 1e-9) / (double)hurricanes.Count;
        Assert.True(exact > 0.9, $"only {exact:P1} of hurricane incidents lasted exactly 51.75 h");
        int gridOnly = result.Incidents.Count(i => result.Scenario.Threats[i.CauseIndex].Name == "grid");
        Assert.True(gridOnly < 0.1 * hurricanes.Count, $"{gridOnly} grid outages were not carried by the refuelled generator");
    }

    private static ScenarioBuilder Infected(double retentionHours) => new ScenarioBuilder()
        .Component("san", kind: "storage")
        .Component("dr-host", site: "dr")
        .Service("app", All("san"), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.25)))
        .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 2, Location.Offsite, retention: retentionHours)],
            replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Fixed(0.01))])
        .Threat("ransomware", 1, new Scope(ScopeKind.Site, "hq"), Effect.Corruption, Fixed(48), t => t with { Dwell = Fixed(240) });

    [Fact]
    public void Ransomware_RestoresNewestCleanBackup_AfterCleanup_IgnoringCorruptReplica()
    {
        // Dwell 10 days; clean copies are the jobs that started before the infection: loss in (240, 264] h.
        // Downtime: clean-up 48 h, then restore 2 h + 100 GB / 50 GB/h = 4 h: 52 h. The replica is corrupt too.
        var result = Run(Infected(30 * 24).Build(), 2000);

        var first = result.Incidents.GroupBy(i => i.Trial).Select(g => g.First()).Where(i => i.StartHours > 300).ToList();
        Assert.NotEmpty(first);
        Assert.All(first, i => Assert.Equal(IncidentAction.Restored, i.Action));
        AssertMostlyExactly(52, first.Select(i => i.DowntimeHours).ToList());
        Assert.All(first, i => Assert.InRange(i.DataLossHours, 240, 264));
        Assert.InRange(first.Average(i => i.DataLossHours), 250, 254);
    }

    [Fact]
    public void Ransomware_RetentionShorterThanDwell_NoCleanPoint_TotalLoss()
    {
        var result = Run(Infected(7 * 24).Build(), 500);

        Assert.NotEmpty(result.Incidents);
        Assert.All(result.Incidents, i => Assert.True(i.TotalLoss));
        Assert.All(result.Incidents, i => Assert.Equal(IncidentAction.RebuiltEmpty, i.Action));
    }

    [Fact]
    public void SeasonalThreat_StrikesOnlyInActiveMonths_AtTheAnnualRate()
    {
        var scenario = new ScenarioBuilder()
            .Component("c")
            .Service("s", All("c"))
            .Threat("hurricane", 2, new Scope(ScopeKind.Site, "hq"), Effect.Outage, Fixed(0.01), t => t with { ActiveMonths = [8, 9] })
            .Build();

        var result = Run(scenario, 20_000);

        var start = scenario.Simulation.Start;
        Assert.All(result.Incidents, i => Assert.Contains(start.AddHours(i.StartHours).Month, new[] { 8, 9 }));
        double perYear = result.Incidents.Count / 20_000.0;
        Assert.InRange(perYear, 2 - (2.576 * Math.Sqrt(2 / 20_000.0)), 2 + (2.576 * Math.Sqrt(2 / 20_000.0)));
    }

    [Fact]
    public void RegionalThreat_EachSiteHitWithItsProbability_FloodDestroysHitSite()
    {
        var scenario = new ScenarioBuilder()
            .Site("hq2", "south")
            .Component("a")
            .Component("b", site: "hq2")
            .Service("s", All("a"))
            .Threat("storm", 5, new Scope(ScopeKind.Region, "south"), Effect.Outage, Fixed(1), t => t with { SiteHitProbability = 0.3 })
            .Build();

        var result = Run(scenario, 20_000);

        double hitsPerYear = result.Incidents.Count / 20_000.0;
        double expected = 5 * 0.3;
        Assert.InRange(hitsPerYear, expected - (2.576 * Math.Sqrt(expected / 20_000.0)), expected + (2.576 * Math.Sqrt(expected / 20_000.0)));
    }

    [Fact]
    public void FailedFailover_FallsBackToRestoreAtStandby()
    {
        // Down at 10 h, detected 11 h, failover 0.5 h fails; restore from the offsite backup at the standby: 4 h.
        var scenario = new ScenarioBuilder().Horizon(40)
            .Component("power", failure: new FailureProcess(Fixed(10), Fixed(20), Effect.Outage))
            .Component("dr-host", site: "dr")
            .Service("app", All("power"), detection: Fixed(1), standby: new Standby("dr", All("dr-host")),
                failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.5)) { SuccessProbability = 0 })
            .Data("db", "app", "power", sizeGb: 100, rate: 1, backups: [Backup(4, 1, Location.Offsite)],
                replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Fixed(0.1))])
            .Build();

        var incident = Assert.Single(Run(scenario, 1).Incidents);

        Assert.Equal(IncidentAction.FailoverFailedThenRestored, incident.Action);
        Assert.Equal(5.5, incident.DowntimeHours, 12);
        Assert.Equal(2, incident.DataLossHours, 12);
    }

    private static Scenario Estimating(double marginHours) => new ScenarioBuilder().Horizon(40)
        .Component("power", failure: new FailureProcess(Fixed(10), Fixed(20), Effect.Outage))
        .Component("dr-host", site: "dr")
        .Service("app", All("power"), detection: Fixed(1), standby: new Standby("dr", All("dr-host")),
            failover: new Failover(FailoverMode.Estimate, 0, Fixed(0.5)) { EstimateNoise = Fixed(1), MarginHours = marginHours, ReassessHours = 1 })
        .Build();

    [Fact]
    public void EstimatePolicy_LongOutageExpected_FailsOverAtDetection()
    {
        // At detection 19 h remain: more than 0.5 h + 2 h margin.
        Assert.Equal(1.5, Assert.Single(Run(Estimating(2), 1).Incidents).DowntimeHours, 12);
    }

    [Fact]
    public void EstimatePolicy_ShortOutageExpected_WaitsForPrimary()
    {
        // 19 h remain at detection, never more than 0.5 h + 30 h margin: the operator keeps waiting.
        var incident = Assert.Single(Run(Estimating(30), 1).Incidents);

        Assert.Equal(IncidentAction.WaitedForPrimary, incident.Action);
        Assert.Equal(20, incident.DowntimeHours, 12);
    }

    [Fact]
    public void NeverPolicy_WaitsForPrimary()
    {
        var scenario = Estimating(0) with { };
        var never = scenario with
        {
            Services = [scenario.Services[0] with { Recovery = scenario.Services[0].Recovery with { Failover = new Failover(FailoverMode.Never, 0, Fixed(0.5)) } }],
        };

        Assert.Equal(20, Assert.Single(Run(never, 1).Incidents).DowntimeHours, 12);
    }
}
