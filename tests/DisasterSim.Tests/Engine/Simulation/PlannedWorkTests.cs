using System.Collections.Immutable;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>Maintenance windows, people's calendar and failback, with fixed times computed by hand.</summary>
public sealed class PlannedWorkTests
{
    // 2026-01-01 is a Thursday: the second Tuesday of January is the 13th, 22:00 = hour 12 × 24 + 22 = 310.
    private static readonly MaintenanceSchedule PatchTuesday = new(Recurrence.Monthly, DayOfWeek.Tuesday, 2, TimeSpan.FromHours(22));

    private static Threat Window(string name, string site, MaintenanceSchedule schedule, double hours) =>
        new(name, "maintenance", 0, new Scope(ScopeKind.Site, site), Effect.Outage, Fixed(hours), null) { Schedule = schedule };

    private static RunResult Run(Scenario scenario) => MonteCarloRunner.Run(scenario, new RunOptions(1, 1, 1));

    [Fact]
    public void PatchTuesday_TwelvePlannedWindows_ReportedApartFromUnplanned()
    {
        var scenario = new ScenarioBuilder().Component("host").Service("app", All("host"), rto: 1).Build();
        scenario = scenario with { Threats = [Window("patch-tuesday", "hq", PatchTuesday, 4)] };

        var result = Run(scenario);

        Assert.Equal(12, result.Incidents.Count);
        Assert.Equal(310, result.Incidents[0].StartHours, 9);
        Assert.All(result.Incidents, i => Assert.Equal(CauseKind.Maintenance, i.CauseKind));
        Assert.All(result.Incidents, i => Assert.Equal(4, i.DowntimeHours, 9));
        Assert.Equal(48, result.Trials.PlannedDowntime(0, 0), 9);
        Assert.Equal(0, result.Trials.Downtime(0, 0));
        Assert.Equal(0, result.Trials.IncidentCount(0, 0));
        Assert.Equal(0, result.Services[0].TrialBreachProbability);
        Assert.Equal(48, result.Services[0].PlannedDowntimePerTrial!.Mean, 9);
    }

    [Fact]
    public void MoveForMaintenance_PlannedDowntimeIsTheSwitchover()
    {
        var scenario = new ScenarioBuilder()
            .Component("host")
            .Component("dr-host", site: "dr")
            .Service("app", All("host"), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Manual, 4, Fixed(0.25)))
            .Data("db", "app", "host", replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Fixed(0.1))])
            .Build();
        scenario = scenario with
        {
            Threats = [Window("patch-tuesday", "hq", PatchTuesday, 4)],
            Services = [scenario.Services[0] with { MoveForMaintenance = true }],
        };

        var result = Run(scenario);

        Assert.Equal(12, result.Incidents.Count);
        Assert.All(result.Incidents, i => Assert.Equal(0.25, i.DowntimeHours, 9));
        Assert.All(result.Incidents, i => Assert.Equal(0, i.DataLossHours));
        Assert.Equal(3, result.Trials.PlannedDowntime(0, 0), 9);
    }

    private static Scenario ManualFailover(ImmutableArray<DateTime> holidays) =>
        new ScenarioBuilder().Horizon(40)
            .Component("power", failure: new FailureProcess(Fixed(10), Fixed(20), Effect.Outage))
            .Component("dr-host", site: "dr")
            .Service("app", All("power"), detection: Fixed(1), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Manual, 0, Fixed(0.5)))
            .Build() with
        {
            Calendar = new WorkCalendar(
                [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
                TimeSpan.FromHours(8), TimeSpan.FromHours(18), holidays, Fixed(0.5), Fixed(1), Fixed(4)),
        };

    [Fact]
    public void PeopleCalendar_BusinessHours_FailoverAfterBusinessResponse()
    {
        // Detected Thursday 1 January 11:00, a working day: someone starts the failover 0.5 h later; it takes 0.5 h.
        Assert.Equal(2, Assert.Single(Run(ManualFailover([])).Incidents).DowntimeHours, 9);
    }

    [Fact]
    public void PeopleCalendar_Holiday_FailoverAfterWeekendResponse()
    {
        Assert.Equal(5.5, Assert.Single(Run(ManualFailover([new DateTime(2026, 1, 1)])).Incidents).DowntimeHours, 9);
    }

    private static Scenario WithFailback(Failback failback, Threat? window = null)
    {
        var scenario = new ScenarioBuilder().Horizon(38)
            .Site("lab", "north")
            .Component("power", failure: new FailureProcess(Fixed(10), Fixed(20), Effect.Outage))
            .Component("dr-host", site: "dr")
            .Service("app", All("power"), detection: Fixed(1), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.5)))
            .Build();
        return scenario with
        {
            Services = [scenario.Services[0] with { Failback = failback }],
            Threats = window is null ? [] : [window],
        };
    }

    [Fact]
    public void Failback_Immediate_IsASecondPlannedDisruption()
    {
        // Unplanned: 10 h → 11.5 h at the standby. The primary is back at 30 h: failback 30 h → 32 h, planned.
        var result = Run(WithFailback(new Failback(FailbackTiming.Immediate, null, Fixed(2))));

        Assert.Equal(2, result.Incidents.Count);
        Assert.Equal(1.5, result.Incidents[0].DowntimeHours, 9);
        Assert.Equal(CauseKind.Failback, result.Incidents[1].CauseKind);
        Assert.Equal(IncidentAction.FailedBack, result.Incidents[1].Action);
        Assert.Equal(30, result.Incidents[1].StartHours, 9);
        Assert.Equal(2, result.Incidents[1].DowntimeHours, 9);
        Assert.Equal(1.5, result.Trials.Downtime(0, 0), 9);
        Assert.Equal(2, result.Trials.PlannedDowntime(0, 0), 9);
    }

    [Fact]
    public void Failback_NextWindow_WaitsForTheWindow()
    {
        // A daily window at 08:00 in the lab: after the primary returns at 30 h (06:00 on 2 January), the next is at 32 h.
        var daily = Window("nightly", "lab", new MaintenanceSchedule(Recurrence.Daily, DayOfWeek.Monday, 1, TimeSpan.FromHours(8)), 1);
        var result = Run(WithFailback(new Failback(FailbackTiming.NextWindow, "nightly", Fixed(2)), daily));

        var failback = Assert.Single(result.Incidents, i => i.CauseKind == CauseKind.Failback);
        Assert.Equal(32, failback.StartHours, 9);
        Assert.Equal(2, failback.DowntimeHours, 9);
    }
}

/// <summary>Active-active services: losing a site costs capacity, not availability, while the rest carry the load.</summary>
public sealed class ActiveActiveTests
{
    private static Scenario TwoSites(double capacity)
    {
        var scenario = new ScenarioBuilder()
            .Component("east-web", failure: new FailureProcess(Fixed(10), Fixed(5), Effect.Outage))
            .Component("west-web", site: "dr")
            .Service("web", null)
            .Build();
        return scenario with
        {
            Simulation = scenario.Simulation with { HorizonHours = 14 },
            Services = [scenario.Services[0] with { ActiveSites = [new ActiveSite("hq", capacity, All("east-web")), new ActiveSite("dr", capacity, All("west-web"))] }],
        };
    }

    [Fact]
    public void EachSiteCarriesEverything_OneSiteDown_NoIncident()
    {
        Assert.Empty(MonteCarloRunner.Run(TwoSites(1), new RunOptions(1, 1, 1)).Incidents);
    }

    [Fact]
    public void RemainingSiteTooSmall_OneSiteDown_Outage()
    {
        var incident = Assert.Single(MonteCarloRunner.Run(TwoSites(0.6), new RunOptions(1, 1, 1)).Incidents);

        Assert.Equal(10, incident.StartHours, 12);
        Assert.Equal(5, incident.DowntimeHours, 12);
    }
}
