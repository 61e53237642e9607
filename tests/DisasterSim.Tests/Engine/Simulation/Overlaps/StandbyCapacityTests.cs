using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>
/// A standby that is not a twin, with fixed times so that every answer is computed by hand: a DR site whose places bound
/// how many services fail over at once (served by priority), a place freed by a service going home, and a standby that
/// carries part of the load (each hour there counts the missing share as downtime-equivalent).
/// </summary>
public sealed class StandbyCapacityTests
{
    /// <summary>
    /// erp and mail at hq, each on its own power; both fail over automatically (1 h) to dr, which takes
    /// <paramref name="places"/> services. erp's power fails at 100 h for <paramref name="erpDown"/> h, mail's for 50 h.
    /// </summary>
    private static Scenario SharedSite(int places, double erpDown, int? erpPriority, int? mailPriority)
    {
        var scenario = new ScenarioBuilder().Horizon(200)
            .Component("erp-power", failure: Every(100, erpDown), kind: "power")
            .Component("mail-power", failure: Every(100, 50), kind: "power")
            .Component("erp-host", requires: All("erp-power"))
            .Component("mail-host", requires: All("mail-power"))
            .Component("erp-dr", site: "dr")
            .Component("mail-dr", site: "dr")
            .Service("erp", All("erp-host"), standby: new Standby("dr", All("erp-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(1)))
            .Service("mail", All("mail-host"), standby: new Standby("dr", All("mail-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(1)))
            .Build();
        return scenario with
        {
            Sites = [.. scenario.Sites.Select(s => s.Name == "dr" ? s with { Capacity = places } : s)],
            Services = [.. scenario.Services.Select(s => s with { Priority = s.Name == "erp" ? erpPriority : mailPriority })],
        };
    }

    [Fact]
    public void OnePlace_TheHigherPriorityFailsOver_TheOtherWaitsForItsPrimary()
    {
        // Both powers fail at 100 h for 50 h. mail (priority 1) takes dr's one place and runs there from 101 h; erp
        // (priority 2, first in the scenario) waits in line until its primary is back at 150 h: erp 50 h, mail 1 h.
        var trial = Run(SharedSite(1, 50, erpPriority: 2, mailPriority: 1));

        Assert.Equal(50, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(1, trial.Simulator.TrialDowntime[1], 9);
        var waiting = Assert.Single(trial.Of(TraceKind.WaitingForPlace));
        Assert.Equal((0, 100.0, 1, 1.0), (waiting.Subject, waiting.Time, waiting.Detail, waiting.Value));
        Assert.DoesNotContain(trial.Of(TraceKind.FailoverStarted), s => s.Subject == 0);
        Assert.Equal(IncidentAction.WaitedForPrimary, Assert.Single(trial.Incidents, i => i.Service == 0).Action);
    }

    [Fact]
    public void OnePlace_NoPriority_TheFirstInTheScenarioGoesFirst()
    {
        // Same outage, no priority: they ask at the same moment, so scenario order decides: erp 1 h, mail 50 h.
        var trial = Run(SharedSite(1, 50, erpPriority: null, mailPriority: null));

        Assert.Equal(1, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(50, trial.Simulator.TrialDowntime[1], 9);
    }

    [Fact]
    public void TwoPlaces_BothFailOver()
    {
        var trial = Run(SharedSite(2, 50, erpPriority: 2, mailPriority: 1));

        Assert.Equal(1, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(1, trial.Simulator.TrialDowntime[1], 9);
        Assert.Empty(trial.Of(TraceKind.WaitingForPlace));
    }

    [Fact]
    public void PlaceFreedWhenTheHolderGoesHome_TheServiceInLineTakesIt()
    {
        // erp (priority 1) holds the place from 100 h; its power is back at 120 h and it goes home (no failback policy), giving
        // the place back. mail, in line since 100 h, fails over at 120 h and runs at dr from 121 h: mail 21 h, erp 1 h.
        var trial = Run(SharedSite(1, 20, erpPriority: 1, mailPriority: 2));

        Assert.Equal(1, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(21, trial.Simulator.TrialDowntime[1], 9);
        Assert.Contains(trial.Of(TraceKind.FailoverStarted), s => s.Subject == 1 && s.Time == 120);
        Assert.Equal(IncidentAction.FailedOver, Assert.Single(trial.Incidents, i => i.Service == 1).Action);
    }

    [Theory]
    [InlineData(0, 1, 3.0, 50.0)]
    [InlineData(null, null, 50.0, 1.0)]
    public void OnePlace_KeptForTheHigherPriorityThatHasNotAskedYet(int? erpPriority, int? filesPriority, double erpDown, double filesDown)
    {
        // hq's power fails at 100 h for 50 h. files fails over automatically (1 h); erp manually, 2 h after detection
        // (1 h). With priorities, the place is kept for erp, down and bound for dr: files waits for its primary (50 h), erp
        // runs at dr from 103 h (3 h). Without, files takes the place at 100 h (1 h) and erp waits for its primary (50 h).
        var scenario = new ScenarioBuilder().Horizon(200)
            .Component("power", failure: Every(100, 50), kind: "power")
            .Component("erp-host", requires: All("power"))
            .Component("files-host", requires: All("power"))
            .Component("erp-dr", site: "dr")
            .Component("files-dr", site: "dr")
            .Service("erp", All("erp-host"), standby: new Standby("dr", All("erp-dr")), failover: new Failover(FailoverMode.Manual, 2, Fixed(1)))
            .Service("files", All("files-host"), standby: new Standby("dr", All("files-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(1)))
            .Build();
        scenario = scenario with
        {
            Sites = [.. scenario.Sites.Select(s => s.Name == "dr" ? s with { Capacity = 1 } : s)],
            Services = [.. scenario.Services.Select(s => s with { Priority = s.Name == "erp" ? erpPriority : filesPriority })],
        };

        var trial = Run(scenario);

        Assert.Equal(erpDown, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(filesDown, trial.Simulator.TrialDowntime[1], 9);
        var waiting = Assert.Single(trial.Of(TraceKind.WaitingForPlace));
        Assert.Equal(erpPriority is null ? (0, 102.0) : (1, 100.0), (waiting.Subject, waiting.Time));
    }

    /// <summary>erp's host fails at 100 h for 10 h; it fails over in 1 h to a standby carrying <paramref name="capacity"/> of its load.</summary>
    private static Scenario Partial(double capacity, double horizon) => new ScenarioBuilder().Horizon(horizon)
        .Component("erp-host", failure: Every(100, 10))
        .Component("erp-dr", site: "dr")
        .Service("erp", All("erp-host"), standby: new Standby("dr", All("erp-dr")) { Capacity = capacity }, failover: new Failover(FailoverMode.Automatic, 0, Fixed(1)))
        .Build();

    [Fact]
    public void PartialStandby_EachHourThereCountsTheMissingShare()
    {
        // Down 100-101 h (the failover), at a quarter-capacity standby 101-110 h: 9 h × 0.75 = 6.75 h downtime-equivalent.
        // Back home at 110 h (no failback policy). Downtime 1 + 6.75 = 7.75 h; the incident itself lasted 1 h.
        var trial = Run(Partial(0.25, 150));

        Assert.Equal(6.75, trial.Simulator.TrialDegradedHours[0], 9);
        Assert.Equal(7.75, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(1, Assert.Single(trial.Incidents).DowntimeHours, 9);
        var degraded = Assert.Single(trial.Of(TraceKind.RunningDegraded));
        Assert.Equal((101.0, 0.75), (degraded.Time, degraded.Value));
    }

    [Fact]
    public void PartialStandby_CountsInsideTheHorizonOnly()
    {
        // Horizon at 105 h: at the standby 101-105 h counts 4 h × 0.75 = 3 h.
        var trial = Run(Partial(0.25, 105));

        Assert.Equal(3, trial.Simulator.TrialDegradedHours[0], 9);
        Assert.Equal(4, trial.Simulator.TrialDowntime[0], 9);
    }

    [Fact]
    public void FullStandby_NoDegradedHours()
    {
        var trial = Run(Partial(1, 150));

        Assert.Equal(1, trial.Simulator.TrialDowntime[0], 9);
        Assert.Empty(trial.Of(TraceKind.RunningDegraded));
    }
}
