using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Tracing;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Engine.Tracing;

public sealed class TrialTraceTests
{
    [Fact]
    public void Run_ManualFailoverTrial_EveryStepInOrderAtItsTime()
    {
        var trace = TrialTrace.Run(TraceScenario.Build(), seed: 1, trial: 0);

        var steps = trace.Entries.Select(e => (e.Time, e.IsIncident ? "incident" : e.Step.Kind.ToString())).ToArray();
        (double, string)[] expected =
        [
            (10, "ComponentFailed"), (10, "ComponentDown"), (10, "ComponentDown"), (10, "ServiceDown"),
            (11, "Detected"), (11, "FailoverScheduled"),
            (11.5, "FailoverStarted"),
            (11.75, "FailoverCompleted"), (11.75, "RecoveryPoint"), (11.75, "ServiceUp"), (11.75, "incident"),
            (30, "ComponentRepaired"), (30, "ComponentUp"), (30, "ComponentUp"), (30, "FailedBack"),
        ];
        Assert.Equal(expected.Length, steps.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Item2, steps[i].Item2);
            Assert.Equal(expected[i].Item1, steps[i].Item1, 12);
        }
    }

    [Fact]
    public void Run_ManualFailoverTrial_ValuesIncidentAndTotalsByHand()
    {
        var trace = TrialTrace.Run(TraceScenario.Build(), seed: 1, trial: 0);

        var down = trace.Entries.Single(e => !e.IsIncident && e.Step.Kind == TraceKind.ServiceDown);
        Assert.Equal(1, down.Step.Value, 12);
        Assert.Equal(CauseKind.ComponentFailure, down.Incident!.Value.CauseKind);
        Assert.Equal(11.5, trace.Entries.Single(e => !e.IsIncident && e.Step.Kind == TraceKind.FailoverScheduled).Step.Value, 12);
        var point = trace.Entries.Single(e => !e.IsIncident && e.Step.Kind == TraceKind.RecoveryPoint);
        Assert.Equal(-1, point.Step.Detail);
        Assert.Equal(0.1, point.Step.Value, 12);

        var incident = Assert.Single(trace.Incidents);
        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(1.75, incident.DowntimeHours, 12);
        var loss = Assert.Single(trace.Entries.Single(e => e.IsIncident).Losses);
        Assert.Equal(0.2, loss.LossGb, 12);

        Assert.Equal(1.75, trace.DowntimeHours[0], 12);
        Assert.Equal(1, trace.IncidentCounts[0]);
        Assert.Equal(0.1, trace.LossHours[0], 12);
        Assert.Equal(0.2, trace.LossGb[0], 12);

        // 40 h of a 8,766-a-year standby = 40; 1.75 h × 1,000 + 100 + 0.1 h × 50 + 0.2 GB × 10 = 1,857.
        Assert.Equal(40, trace.Cost.Protection, 9);
        Assert.Equal(1857, trace.Cost.Penalties, 9);
    }

    [Fact]
    public void Run_ShippedScenarioWorstTrial_SameIncidentsAndTotalsAsTheBatchRun()
    {
        var scenario = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");
        var batch = MonteCarloRunner.Run(scenario, new RunOptions(3_000, scenario.Simulation.Seed, 2));
        var costs = CostModel.Trials(batch);
        long worst = Array.IndexOf(costs, costs.MaxBy(c => c.Total));

        var trace = TrialTrace.Run(scenario, scenario.Simulation.Seed, worst);

        Assert.Equal(batch.Incidents.Where(i => i.Trial == worst), trace.Incidents);
        Assert.Equal(batch.DataLosses.Where(l => l.Trial == worst), trace.DataLosses);
        Assert.Equal(batch.Trials.Downtime(worst, 0), trace.DowntimeHours[0]);
        Assert.Equal(batch.Trials.IncidentCount(worst, 0), trace.IncidentCounts[0]);
        Assert.Equal(batch.Trials.LossHours(worst, 0), trace.LossHours[0]);
        Assert.Equal(batch.Trials.LossGb(worst, 0), trace.LossGb[0]);
        Assert.Equal(costs[worst], trace.Cost);
        Assert.True(trace.Incidents.Length > 0);
    }
}
