using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>Monitors, their dependencies and gray failures, with fixed delays computed by hand.</summary>
public sealed class DetectionTests
{
    private static FailureProcess Every(double up, double down, double silent = 0) =>
        new(Fixed(up), Fixed(down), Effect.Outage) { SilentProbability = silent };

    private static IncidentRecord OnlyIncident(Scenario scenario)
    {
        var result = MonteCarloRunner.Run(scenario, new RunOptions(1, 1, 1));
        return Assert.Single(result.Incidents);
    }

    private static ScenarioBuilder DnsEstate(double silent, Requirement? monitorNeeds, CheckType type, string checks = "dns") => new ScenarioBuilder().Horizon(150)
        .Component("dns", failure: Every(100, 10, silent))
        .Component("mail", requires: All("dns"))
        .Service("mail", All("mail"), detection: Fixed(48))
        .Monitor("nagios", "dr", monitorNeeds, Fixed(0.1), new MonitorCheck(CheckTarget.Component, checks, type));

    [Fact]
    public void LivenessCheck_LoudFailure_DetectedAfterMonitorDelay()
    {
        var incident = OnlyIncident(DnsEstate(0, null, CheckType.Liveness).Build());

        Assert.True(incident.Detected);
        Assert.Equal(0.1, incident.DetectionDelayHours, 12);
    }

    [Fact]
    public void LivenessCheck_SilentFailure_MissedUntilManualDiscovery()
    {
        // The hung DNS process is alive: the monitor's liveness check passes, nobody notices within the 10 h outage.
        var incident = OnlyIncident(DnsEstate(1, null, CheckType.Liveness).Build());

        Assert.False(incident.Detected);
        Assert.Equal(48, incident.DetectionDelayHours, 12);
        Assert.Equal(IncidentAction.SelfRecovered, incident.Action);
    }

    [Fact]
    public void FunctionalCheck_SilentFailure_Detected()
    {
        var incident = OnlyIncident(DnsEstate(1, null, CheckType.Functional).Build());

        Assert.Equal(0.1, incident.DetectionDelayHours, 12);
    }

    [Fact]
    public void MonitorDependingOnFailedComponent_IsBlind()
    {
        var incident = OnlyIncident(DnsEstate(0, All("dns"), CheckType.Functional).Build());

        Assert.Equal(48, incident.DetectionDelayHours, 12);
    }

    [Fact]
    public void LivenessCheck_OfHostStarvedByItsDependency_Missed()
    {
        // The mail host is alive; only what it depends on failed. A liveness check of the host passes.
        var incident = OnlyIncident(DnsEstate(0, null, CheckType.Liveness, checks: "mail").Build());

        Assert.Equal(48, incident.DetectionDelayHours, 12);
    }

    [Fact]
    public void SilentHangUntilDetected_DowntimeIsDiscoveryPlusFix()
    {
        // The DNS story of scenario 11: the resolver hangs silently, the monitor needs that very resolver to report, so the
        // outage lasts until users complain (72 h) plus the 1 h it takes to restart it.
        Scenario Build(Requirement? monitorNeeds) => new ScenarioBuilder()
            .Component("dns")
            .Component("mail", requires: All("dns"))
            .Service("mail", All("mail"), detection: Fixed(72))
            .Monitor("reporting", "hq", monitorNeeds, Fixed(5.0 / 60), new MonitorCheck(CheckTarget.Service, "mail", CheckType.Functional))
            .Threat("dns-hang", 2, new Scope(ScopeKind.Component, "dns"), Effect.Outage, Fixed(1), t => t with { Silent = true, EndsAfterDetection = true })
            .Build();

        var blind = MonteCarloRunner.Run(Build(All("dns")), new RunOptions(200, 3, 1));
        var seeing = MonteCarloRunner.Run(Build(null), new RunOptions(200, 3, 1));

        Assert.NotEmpty(blind.Incidents);
        Assert.All(blind.Incidents.Where(i => i.StartHours < 8000), i => Assert.Equal(73, i.DowntimeHours, 9));
        Assert.All(seeing.Incidents.Where(i => i.StartHours < 8000), i => Assert.Equal(1 + (5.0 / 60), i.DowntimeHours, 9));
        // The same hangs strike both; while blind, a hang that strikes during a longer outage merges into it.
        Assert.True(seeing.Incidents.Count >= blind.Incidents.Count);
    }
}
