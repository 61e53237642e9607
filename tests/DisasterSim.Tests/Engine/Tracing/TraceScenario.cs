using DisasterSim.Models;
using DisasterSim.Tests.Engine.Simulation;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Tracing;

/// <summary>A small trial whose every step is known by hand, for the trace tests.</summary>
/// <remarks>
/// Horizon 40 h. Power at hq fails at 10 h and is repaired at 30 h; the SAN and the app need it. Detection takes 1 h;
/// a manual failover to dr waits 30 min after detection (11.5 h) and takes 15 min (11.75 h); the async replica at dr
/// lags 6 min: 0.1 h and 0.2 GB lost. The app runs at dr from 11.75 h (1.75 h down) and fails back at 30 h.
/// Costs: 1,000 per outage hour, 100 per incident, 50 per hour and 10 per GB lost; the standby costs 8,766 a year (40).
/// </remarks>
internal static class TraceScenario
{
    public static Scenario Build()
    {
        var scenario = new ScenarioBuilder().Horizon(40)
            .Component("power", failure: new FailureProcess(Fixed(10), Fixed(20), Effect.Outage), kind: "power")
            .Component("san", requires: All("power"), kind: "storage")
            .Component("dr-host", site: "dr")
            .Service(
                "app",
                All("power", "san"),
                detection: Fixed(1),
                standby: new Standby("dr", All("dr-host")) { CostPerYear = 8766 },
                failover: new Failover(FailoverMode.Manual, 0.5, Fixed(0.25)),
                rto: 4)
            .Data("db", "app", "san", sizeGb: 100, rate: 2, replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Fixed(0.1))])
            .Build();
        return scenario with
        {
            Name = "trace demo",
            Currency = "EUR",
            Services = [scenario.Services[0] with { Costs = new ServiceCosts(1000, 100) }],
            DataSets = [scenario.DataSets[0] with { Costs = new DataSetCosts(50, 10) }],
        };
    }
}
