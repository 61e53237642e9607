using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>
/// Services that require services (DNS before mail), with fixed times so that every answer is computed by hand: the
/// chain's downtime, the cause it is named by, failovers that would not help, a failover in parallel that waits for what
/// it requires, the operator's estimate, planned work on a required service, and detection through a required service.
/// </summary>
public sealed class ServiceRequirementTests
{
    private static Scenario Requiring(Scenario scenario, string service, params string[] required) => scenario with
    {
        Services = [.. scenario.Services.Select(s => s.Name == service ? s with { RequiresServices = [.. required] } : s)],
    };

    private static Scenario With(Scenario scenario, string service, Func<Service, Service> change) => scenario with
    {
        Services = [.. scenario.Services.Select(s => s.Name == service ? change(s) : s)],
    };

    [Fact]
    public void Chain_DownWhileWhatItRequiresIsDown_NamedByItsCause()
    {
        // dns-host is down 100-105 h and 205-210 h; mail-host 203-206 h. Mail's incidents: 100-105 h (dns-host's failure:
        // it waited for dns), and 203-210 h, which mail-host's failure starts, dns's joins at 205 h and ends at 210 h:
        // mail waited last for dns. dns: 10 h; mail: 5 + 7 = 12 h.
        var scenario = Requiring(new ScenarioBuilder().Horizon(260)
            .Component("dns-host", failure: Every(100, 5))
            .Component("mail-host", failure: Every(203, 3))
            .Service("dns", All("dns-host"))
            .Service("mail", All("mail-host"))
            .Build(), "mail", "dns");

        var trial = Run(scenario);

        var mail = trial.Incidents.Where(i => i.Service == 1).ToArray();
        Assert.Equal([100.0, 203.0], mail.Select(i => i.StartHours));
        Assert.Equal([5.0, 7.0], mail.Select(i => i.DowntimeHours));
        Assert.All(mail, i => Assert.Equal(IncidentAction.WaitedForDependency, i.Action));
        Assert.Equal((CauseKind.ComponentFailure, 0), (mail[0].CauseKind, mail[0].CauseIndex));
        Assert.Equal((CauseKind.ComponentFailure, 1), (mail[1].CauseKind, mail[1].CauseIndex));
        Assert.Equal(10, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(12, trial.Simulator.TrialDowntime[1], 9);
        Assert.Equal(2, trial.Simulator.TrialIncidents[1]);
        Assert.Equal(2, trial.Of(TraceKind.WaitingForService).Count());
    }

    [Fact]
    public void RequiredServiceFailsOver_TheServiceRunsAgainAsSoonAsItRunsAtItsStandby()
    {
        // dns-host fails at 100 h for 10 h; dns fails over in 0.5 h and comes home at 110 h without downtime (no failback
        // policy). Mail, which requires dns, is down 0.5 h: the chain's RTO is the failover of what it requires.
        var scenario = Requiring(new ScenarioBuilder().Horizon(150)
            .Component("dns-host", failure: Every(100, 10))
            .Component("dns-dr", site: "dr")
            .Component("mail-host")
            .Service("dns", All("dns-host"), standby: new Standby("dr", All("dns-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.5)))
            .Service("mail", All("mail-host"))
            .Build(), "mail", "dns");

        var trial = Run(scenario);

        Assert.Equal(0.5, trial.Simulator.TrialDowntime[0], 9);
        Assert.Equal(0.5, trial.Simulator.TrialDowntime[1], 9);
        var mail = Assert.Single(trial.Incidents, i => i.Service == 1);
        Assert.Equal(IncidentAction.WaitedForDependency, mail.Action);
    }

    [Fact]
    public void OwnPrimaryReady_NoFailoverWhenOnlyARequiredServiceIsDown()
    {
        // dns (no standby) is down 100-110 h. Mail could fail over automatically, but its own primary works: a failover
        // would need dns at the standby too. It waits the 10 h, and never fails over.
        var scenario = Requiring(new ScenarioBuilder().Horizon(150)
            .Component("dns-host", failure: Every(100, 10))
            .Component("mail-host")
            .Component("mail-dr", site: "dr")
            .Service("dns", All("dns-host"))
            .Service("mail", All("mail-host"), standby: new Standby("dr", All("mail-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(1)))
            .Build(), "mail", "dns");

        var trial = Run(scenario);

        Assert.Equal(10, trial.Simulator.TrialDowntime[1], 9);
        Assert.DoesNotContain(trial.Of(TraceKind.FailoverStarted), s => s.Subject == 1);
    }

    [Fact]
    public void SiteDown_BothFailOverInParallel_TheServiceWaitsForWhatItRequires()
    {
        // hq's power fails at 100 h for 50 h. dns fails over in 2 h, mail in 0.5 h, both at detection (at once): mail is at
        // its standby at 100.5 h and waits for dns, at its standby at 102 h. Mail is down 2 h, as long as the slower of the
        // two failovers; both fail back at 150 h without downtime.
        var scenario = Requiring(new ScenarioBuilder().Horizon(200)
            .Component("power", failure: Every(100, 50), kind: "power")
            .Component("dns-host", requires: All("power"))
            .Component("mail-host", requires: All("power"))
            .Component("dns-dr", site: "dr")
            .Component("mail-dr", site: "dr")
            .Service("dns", All("dns-host"), standby: new Standby("dr", All("dns-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(2)))
            .Service("mail", All("mail-host"), standby: new Standby("dr", All("mail-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.5)))
            .Build(), "mail", "dns");

        var trial = Run(scenario);

        var mail = Assert.Single(trial.Incidents, i => i.Service == 1);
        Assert.Equal(2, mail.DowntimeHours, 9);
        Assert.Equal(IncidentAction.FailedOver, mail.Action);
        Assert.Contains(trial.Of(TraceKind.FailoverCompleted), s => s.Subject == 1 && s.Time == 100.5);
        Assert.Equal(2, trial.Of(TraceKind.FailedBack).Count());
    }

    [Fact]
    public void EstimatePolicy_SeesThatGoingWaitsForTheRequiredServiceToo()
    {
        // Mail's host fails at 100 h for 10 h; dns (no standby) at 100 h for 20 h. Staying: max(10, 20) = 20 h; going:
        // max(1 h failover, 20 h) = 20 h: the operator stays, and again at each hourly reassessment. Mail's host is back at
        // 110 h; mail waits for dns until 120 h.
        // Without dns in the estimate, 10 h against a 1 h failover would have sent mail to a standby that cannot run it.
        var scenario = Requiring(new ScenarioBuilder().Horizon(150)
            .Component("dns-host", failure: Every(100, 20))
            .Component("mail-host", failure: Every(100, 10))
            .Component("mail-dr", site: "dr")
            .Service("dns", All("dns-host"))
            .Service("mail", All("mail-host"), standby: new Standby("dr", All("mail-dr")), failover: new Failover(FailoverMode.Estimate, 0, Fixed(1)))
            .Build(), "mail", "dns");

        var trial = Run(scenario);

        var mail = Assert.Single(trial.Incidents, i => i.Service == 1);
        Assert.Equal(20, mail.DowntimeHours, 9);
        Assert.Equal(IncidentAction.WaitedForDependency, mail.Action);
        // The operator reassesses every hour until mail's host is back, each time finding staying as long as going.
        var estimates = trial.Of(TraceKind.Estimated).Where(s => s.Subject == 1).ToArray();
        Assert.Equal(10, estimates.Length);
        Assert.Equal((0, 20.0, 20.0), (estimates[0].Detail, estimates[0].Value, estimates[0].Value2));
        Assert.All(estimates, e => Assert.Equal(0, e.Detail));
        Assert.DoesNotContain(trial.Of(TraceKind.FailoverStarted), s => s.Subject == 1);
    }

    [Fact]
    public void PlannedFailbackOfARequiredService_IsPlannedDowntimeOfTheServiceToo()
    {
        // dns-host fails at 100 h for 10 h: dns fails over (0.5 h) and fails back at 110 h as planned downtime (1 h). Mail,
        // which requires dns: 0.5 h unplanned (one incident), then 1 h planned, known at once.
        var scenario = Requiring(new ScenarioBuilder().Horizon(150)
            .Component("dns-host", failure: Every(100, 10))
            .Component("dns-dr", site: "dr")
            .Component("mail-host")
            .Service("dns", All("dns-host"), detection: Fixed(0.25), standby: new Standby("dr", All("dns-dr")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.5)))
            .Service("mail", All("mail-host"), detection: Fixed(3))
            .Build(), "mail", "dns");
        scenario = With(scenario, "dns", s => s with { Failback = new Failback(FailbackTiming.Immediate, null, Fixed(1)) });

        var trial = Run(scenario);

        var mail = trial.Incidents.Where(i => i.Service == 1).ToArray();
        Assert.Equal(2, mail.Length);
        Assert.Equal((0.75, false), (mail[0].DowntimeHours, mail[0].IsPlanned));
        Assert.Equal((1.0, true, CauseKind.Failback), (mail[1].DowntimeHours, mail[1].IsPlanned, mail[1].CauseKind));
        Assert.Equal(0, mail[1].DetectionDelayHours);
        Assert.Equal(0.75, trial.Simulator.TrialDowntime[1], 9);
        Assert.Equal(1, trial.Simulator.TrialPlannedDowntime[1], 9);
        Assert.Equal(1, trial.Simulator.TrialIncidents[1]);
    }

    [Fact]
    public void MonitorOfTheRequiredService_DetectsTheOutageItCauses_AMonitorThatNeedsItIsBlind()
    {
        // dns-host fails at 100 h. A probe of the dns service (6 min) sees mail's outage through dns; a probe of mail that
        // needs dns to report is blind. Mail's users would take 5 h to notice.
        var scenario = Requiring(new ScenarioBuilder().Horizon(150)
            .Component("dns-host", failure: Every(100, 10))
            .Component("mail-host")
            .Service("dns", All("dns-host"), detection: Fixed(5))
            .Service("mail", All("mail-host"), detection: Fixed(5))
            .Monitor("dns-probe", "dr", null, Fixed(0.1), new MonitorCheck(CheckTarget.Service, "dns", CheckType.Functional))
            .Build(), "mail", "dns");
        var blind = scenario with
        {
            Monitors = [new DisasterSim.Models.Monitor("mail-probe", "hq", null, Fixed(0.1), [new MonitorCheck(CheckTarget.Service, "mail", CheckType.Functional)]) { RequiresServices = ["dns"] }],
        };

        var seen = Assert.Single(Run(scenario).Incidents, i => i.Service == 1);
        var unseen = Assert.Single(Run(blind).Incidents, i => i.Service == 1);

        Assert.Equal(0.1, seen.DetectionDelayHours, 9);
        Assert.Equal(5, unseen.DetectionDelayHours, 9);
    }

    [Fact]
    public void ThreeServiceChain_EvaluatedInOrderWhateverTheScenarioOrder()
    {
        // app requires db requires directory, listed in the reverse order. The directory's host is down 100-104 h: all three
        // are down exactly those 4 h, each named by the directory host's failure.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("dir-host", failure: Every(100, 4))
            .Component("db-host")
            .Component("app-host")
            .Service("app", All("app-host"))
            .Service("db", All("db-host"))
            .Service("directory", All("dir-host"))
            .Build();
        scenario = Requiring(Requiring(scenario, "app", "db"), "db", "directory");

        var trial = Run(scenario);

        Assert.Equal(3, trial.Incidents.Count);
        Assert.All(trial.Incidents, i => Assert.Equal((100.0, 4.0, CauseKind.ComponentFailure, 0), (i.StartHours, i.DowntimeHours, i.CauseKind, i.CauseIndex)));
    }
}
