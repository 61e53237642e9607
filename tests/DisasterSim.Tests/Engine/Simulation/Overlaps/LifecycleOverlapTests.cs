using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Scenarios;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>
/// Failback meeting outages, losses measured on the change clock, backups read through a mirror, the warm start, and
/// planned work overlapping unplanned work, with fixed times so that every answer is computed by hand.
/// </summary>
public sealed class LifecycleOverlapTests
{
    private static readonly DateTime Start = SimulationSettings.Default.Start;

    private static Threat Window(string name, string site, double hours, params double[] at) =>
        new(name, "maintenance", 0, new Scope(ScopeKind.Site, site), Effect.Outage, Fixed(hours), null)
        {
            Schedule = new MaintenanceSchedule(Recurrence.Dates, DayOfWeek.Monday, 1, TimeSpan.Zero) { Dates = [.. at.Select(h => Start.AddHours(h))] },
        };

    private static Scenario WithStandby(ScenarioBuilder builder, Failback? failback, double detection = 0, params Threat[] threats)
    {
        var scenario = builder.Component("drh", site: "dr")
            .Service("app", All("host"), detection: Fixed(detection), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.25)))
            .Build();
        return scenario with { Services = [scenario.Services[0] with { Failback = failback }], Threats = [.. threats] };
    }

    [Fact]
    public void MoveForMaintenance_FailbackInTheNextWindow_HappensAtTheEndOfTheSameWindow()
    {
        // Windows at 100 h and 300 h, 4 h each, on the primary. Each time: switch over (0.25 h), run at the standby, and fail
        // back (0.5 h) once the primary is back at the window's end, which is still inside the window. Everything planned.
        var scenario = WithStandby(new ScenarioBuilder().Horizon(400).Component("host"), new Failback(FailbackTiming.NextWindow, "patch", Fixed(0.5)), 0, Window("patch", "hq", 4, 100, 300));
        scenario = scenario with { Services = [scenario.Services[0] with { MoveForMaintenance = true }] };

        var trial = Run(scenario);

        Assert.Equal([100, 104, 300, 304], trial.Incidents.Select(i => i.StartHours));
        Assert.All(trial.Incidents, i => Assert.True(i.IsPlanned));
        Assert.Equal(1.5, trial.Simulator.TrialPlannedDowntime[0], 9);
        Assert.Equal(0, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(0, trial.Simulator.TrialIncidents[0]);
    }

    [Fact]
    public void PatchTuesdayScenario_FailbacksSpreadOverTheYear()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedScenarioTests.ScenarioDirectory, "10-patch-tuesday.yaml")).Scenario!;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(300, 5, 1));

        var months = result.Incidents.Where(i => i.CauseKind == CauseKind.Failback)
            .GroupBy(i => Start.AddHours(i.StartHours).Month).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(months.Count >= 12, $"failbacks in {months.Count} months only");
        Assert.True(months.Values.Max() < 0.2 * months.Values.Sum(), "failbacks pile up in one month");
    }

    [Fact]
    public void FailbackAbandoned_WhenThePrimaryFailsDuringIt()
    {
        // The host fails at 100 h for 10 h: failover, at the standby from 100.25 h. Failback starts at 110 h (2 h, planned);
        // the network fails at 111 h for 5 h: the failback is abandoned, the service runs at the standby again at 111 h.
        // At 116 h the primary is back: failback 116 h → 118 h.
        var builder = new ScenarioBuilder().Horizon(150)
            .Component("host-only", failure: Every(100, 10))
            .Component("net", failure: Every(111, 5))
            .Component("host", requires: All("host-only", "net"));
        var trial = Run(WithStandby(builder, new Failback(FailbackTiming.Immediate, null, Fixed(2))));

        Assert.Equal([100, 110, 116], trial.Incidents.Select(i => i.StartHours));
        Assert.Equal([0.25, 1, 2], trial.Incidents.Select(i => i.DowntimeHours));
        Assert.Single(trial.Of(TraceKind.FailbackAborted));
        Assert.Equal(0.25, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(3, trial.Simulator.TrialPlannedDowntime[0], 9);
    }

    [Fact]
    public void StandbyFailsWhileFailbackWaitsForItsWindow_ServiceGoesDownAndFailsBackAsItsRecovery()
    {
        // Failover at 101 h (detection 1 h), at the standby at 101.25 h; the primary is back at 110 h and the failback waits
        // for the window at 200 h. At 150 h the standby's host fails: the service is down, detected at 151 h, and fails back
        // (0.5 h) as its recovery: up at the primary at 151.5 h. Both incidents are unplanned. (The window is elsewhere, and
        // no second failure falls inside the 205 h horizon.)
        var builder = new ScenarioBuilder().Horizon(205).Site("lab", "south")
            .Component("host", failure: Every(100, 10));
        var scenario = WithStandby(builder, new Failback(FailbackTiming.NextWindow, "patch", Fixed(0.5)), 1, Window("patch", "lab", 4, 200));
        scenario = scenario with { Components = [.. scenario.Components.Select(c => c.Name == "drh" ? c with { Failure = Every(150, 5) } : c)] };

        var trial = Run(scenario);

        Assert.Equal(2, trial.Incidents.Count);
        Assert.Equal(1.25, trial.Incidents[0].DowntimeHours, 9);
        Assert.Equal(150, trial.Incidents[1].StartHours, 9);
        Assert.Equal(IncidentAction.FailedBack, trial.Incidents[1].Action);
        Assert.Equal(1.5, trial.Incidents[1].DowntimeHours, 9);
        Assert.Equal(2.75, trial.Simulator.TrialDowntime[0], 9);
    }

    [Fact]
    public void RestoreAtTheStandbyEndsWithThePrimaryBack_FailbackFollows()
    {
        // The SAN is destroyed at 100 h and back (empty) at 103 h. Failover at 100 h, then a 4 h restore at the standby
        // (100 GB at 25 GB/h from the 96 h job): at the standby at 104.25 h, 4 h lost. The primary can take the data back:
        // the planned failback (1 h) follows at once.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("host", failure: Every(100, 3, Effect.Destroyed), kind: "storage")
            .Data("db", "app", "host", sizeGb: 100, rate: 1, backups: [Backup(24, 0, Location.Offsite, throughput: 25, setup: 0)]);
        var trial = Run(WithStandby(scenario, new Failback(FailbackTiming.Immediate, null, Fixed(1))));

        Assert.Equal(2, trial.Incidents.Count);
        Assert.Equal(IncidentAction.FailedOverAndRestored, trial.Incidents[0].Action);
        Assert.Equal(4.25, trial.Incidents[0].DowntimeHours, 9);
        Assert.Equal(4, trial.Incidents[0].DataLossHours, 9);
        Assert.Equal(IncidentAction.FailedBack, trial.Incidents[1].Action);
        Assert.Equal(104.25, trial.Incidents[1].StartHours, 9);
        Assert.Equal(1, trial.Simulator.TrialPlannedDowntime[0], 9);
    }

    [Fact]
    public void SecondDestructionRestoresTheSameBackup_LossIsOnlyWhatWasWrittenSince()
    {
        // Weekly backups (only the 0 h job exists). Destroyed at 40 h: 40 h lost, restored 41 h → 43 h. Destroyed again at
        // 81 h: the same job, but only the 38 h written since 43 h are lost. 78 h in all, less than the 81 h that passed.
        var scenario = new ScenarioBuilder().Horizon(100)
            .Component("san", failure: Every(40, 1, Effect.Destroyed), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(168, 0, Location.Offsite, throughput: 50, setup: 0)])
            .Build();

        var trial = Run(scenario);

        Assert.Equal([40.0, 38.0], trial.Losses.Select(l => l.LossHours));
        Assert.Equal(78, trial.Simulator.TrialLossHours[0], 9);
    }

    [Fact]
    public void DestroyedAfterAPowerOutage_HoursDownAreNotChangesLost()
    {
        // Power is out from 100 h to 125.6 h (the 120 h job fails); the SAN is destroyed at 125.7 h. From the 96 h job: 4 h
        // before the outage and 0.1 h after it, 4.1 h of changes lost.
        var scenario = new ScenarioBuilder().Horizon(200)
            .Component("power", failure: Every(100, 25.6), kind: "power")
            .Component("san", failure: Every(125.7, 100, Effect.Destroyed), requires: All("power"), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 0, Location.Offsite, throughput: 100, setup: 0)])
            .Build();

        var trial = Run(scenario);

        Assert.Equal(4.1, Assert.Single(trial.Losses).LossHours, 9);
    }

    [Fact]
    public void StorageDownButSyncMirrorServes_BackupJobsReadTheMirror()
    {
        // The SAN loses power from 90 h to 100 h; its synchronous mirror beside it keeps serving (no incident) and the job of
        // 96 h reads it. Both are destroyed at 100.5 h: 4.5 h lost from that job.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("host")
            .Component("san-power", failure: Every(90, 10), kind: "power")
            .Component("san", failure: Every(100.5, 10, Effect.Destroyed), requires: All("san-power"), kind: "storage")
            .Component("mirror", failure: Every(100.5, 10, Effect.Destroyed), kind: "storage")
            .Service("app", All("host"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 100, rate: 1,
                backups: [Backup(24, 2, Location.Offsite, throughput: 100, setup: 0)],
                replicas: [new Replication(ReplicationMode.Sync, new Location(LocationKind.Component, "mirror"), null)])
            .Build();

        var incident = Assert.Single(Run(scenario).Incidents);

        Assert.Equal(100.5, incident.StartHours, 9);
        Assert.Equal(4.5, incident.DataLossHours, 9);
    }

    [Fact]
    public void DisasterBeforeTheFirstJobOfTheTrial_RestoresTheJobOfTheDayBefore()
    {
        // Daily jobs of 2 h at midnight: the SAN is destroyed at 1 h, before the first job of the trial ends. The trial starts
        // in steady state, so the job of −24 h exists: 25 h lost, not a total loss.
        var scenario = new ScenarioBuilder().Horizon(50)
            .Component("san", failure: Every(1, 10, Effect.Destroyed), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 2, Location.Offsite, throughput: 100, setup: 0)])
            .Build();

        var loss = Assert.Single(Run(scenario).Losses);

        Assert.False(loss.TotalLoss);
        Assert.Equal(25, loss.LossHours, 9);
    }

    [Fact]
    public void Ransomware_InfectionsBeforeHourZeroDetonateInTheHorizon_IncidentsPerYearIsTheRate()
    {
        // Two infections a year with a fixed dwell of 2,000 h: in steady state two detonations a year. Without the warm start
        // only infections of the first 6,766 h would detonate (1.54 a year). Incidents per trial ~ Poisson(2).
        var scenario = new ScenarioBuilder()
            .Component("san", kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 10, rate: 1, backups: [Backup(1, 0, Location.Offsite, throughput: 100, setup: 0)])
            .Threat("ransomware", 2, new Scope(ScopeKind.Component, "san"), Effect.Corruption, Fixed(1), t => t with { Dwell = Fixed(2000) })
            .Build();
        const int trials = 20_000;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, 11, 2));

        double mean = (double)result.Incidents.Count / trials;
        double halfWidth = 2.5758293035489004 * Math.Sqrt(2.0 / trials);
        Assert.InRange(mean, 2 - halfWidth, 2 + halfWidth);
    }

    [Fact]
    public void FailureJustBeforeAMaintenanceWindow_WindowHoursStayPlanned()
    {
        // The host fails at 99 h for 2 h; a 4 h window on the site opens at 100 h. The service is down 99 h → 104 h: 1 h
        // unplanned, 4 h planned. With an RTO of 2 h that is no breach.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("host", failure: Every(99, 2))
            .Service("app", All("host"), detection: Fixed(0), rto: 2)
            .Build() with { Threats = [Window("patch", "hq", 4, 100)] };

        var trial = Run(scenario);

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(5, incident.DowntimeHours, 9);
        Assert.Equal(4, incident.PlannedHours, 9);
        Assert.Equal(1, incident.UnplannedHours, 9);
        Assert.False(incident.IsPlanned);
        Assert.Equal(1, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(4, trial.Simulator.TrialPlannedDowntime[0], 9);
        var result = MonteCarloRunner.Run(scenario, new RunOptions(1, 7, 1));
        Assert.Equal(0, result.Services[0].IncidentBreachProbability);
    }

    [Fact]
    public void RestoreAtTheStandby_WaitsForAPerson()
    {
        // Automatic failover needs nobody, but the restore that follows does: a person comes 3 h after detection. Failover
        // 100 h → 100.25 h, the restore (2 h) waits until 103 h: up at 105 h.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("host", failure: Every(100, 1000, Effect.Destroyed), kind: "storage")
            .Data("db", "app", "host", sizeGb: 100, rate: 1, backups: [Backup(24, 0, Location.Offsite, throughput: 50, setup: 0)]);
        var withStandby = WithStandby(scenario, null);
        withStandby = withStandby with
        {
            Calendar = new WorkCalendar([DayOfWeek.Monday], TimeSpan.FromHours(8), TimeSpan.FromHours(18), [], Fixed(3), Fixed(3), Fixed(3)),
        };

        var incident = Assert.Single(Run(withStandby).Incidents);

        Assert.Equal(IncidentAction.FailedOverAndRestored, incident.Action);
        Assert.Equal(5, incident.DowntimeHours, 9);
    }

    [Theory]
    [InlineData("{ every: month, week: 2, weekday: tue, at: \"22:00\" }\n    active_months: [3, 9]", 2)]
    [InlineData("{ every: year, month: mar, day: 15, at: \"02:00\" }", 1)]
    [InlineData("{ every: year, month: 9, week: 5, weekday: sat, at: \"02:00\" }", 1)]
    [InlineData("{ dates: [2026-03-14 02:00, 2026-09-12 02:00, 2027-03-13 02:00] }", 2)]
    public void Schedules_YearlyDatesAndActiveMonths_GiveTheirWindows(string schedule, int windows)
    {
        // Uptime Institute Tier I: two 12 h planned shutdowns a year.
        string yaml = $"""
            name: tier one
            simulation: {"{"} horizon: 1y, start: 2026-01-01, trials: 1 {"}"}
            regions: [{"{"} name: r {"}"}]
            sites: [{"{"} name: dc, region: r {"}"}]
            components: [{"{"} name: host, site: dc, kind: host {"}"}]
            services: [{"{"} name: app, site: dc, requires: [host], recovery: {"{"} detection: 0s {"}"} {"}"}]
            threats:
              - name: shutdown
                kind: maintenance
                scope: {"{"} site: dc {"}"}
                effect: outage
                duration: 12h
                schedule: {schedule}
            """;
        var loaded = ScenarioLoader.Parse(yaml, "tier.yaml");
        Assert.True(loaded.Success, string.Join('\n', loaded.Diagnostics));

        var trial = Run(loaded.Scenario!);

        Assert.Equal(windows, trial.Incidents.Count);
        Assert.Equal(12 * windows, trial.Simulator.TrialPlannedDowntime[0], 9);
        Assert.Equal(0, trial.Simulator.TrialDowntime[0], 9);
    }
}
