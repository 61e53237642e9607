using System.Collections.Immutable;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Tests.Cli;

/// <summary>A small hand-built run result: one service, one data set, one threat, one failing component, three trials.</summary>
/// <remarks>
/// The trial table holds the per-trial sums of the incidents (trial 2 counts only the 0.1 h of its last incident inside the
/// horizon). Incidents and statistics carry values chosen to exercise formatting: round-trip doubles (0.1, 1/3), nullable
/// targets, percentile intervals open at either end, and both cause kinds. Costs: 1,000 EUR per outage hour, 250 per incident, 10 per hour and 2 per GB lost,
/// 8,766 a year of protection (1 per hour).
/// </remarks>
internal static class RunResultFixture
{
    public const string SourceFileName = "small.yaml";

    public static readonly byte[] ScenarioBytes = "name: small\n"u8.ToArray();

    public static RunResult Create(string serviceName = "shop", string dataSetName = "orders", double detectionDelayHours = 0.25)
    {
        var scenario = new Scenario
        {
            Name = "small",
            Simulation = SimulationSettings.Default with { Trials = 3, Seed = 42 },
            Regions = [new Region("eu")],
            Sites = [new Site("dc1", "eu")],
            Components = [new Component("disk", "dc1", "storage", new FailureProcess(Distribution.ExponentialByMean(50_000), Distribution.Fixed(4), Effect.Outage), null)],
            Services = [new Service(serviceName, "dc1", new RequireComponent("disk"), null, new Recovery(Distribution.Fixed(0.25), null), 4) { Costs = new ServiceCosts(1000, 250) }],
            DataSets = [new DataSet(dataSetName, serviceName, "disk", 100, 1.5, 24, [], []) { Costs = new DataSetCosts(10, 2) }],
            Threats = [new Threat("flood", "flood", 0.1, new Scope(ScopeKind.Site, "dc1"), Effect.Destroyed, null, Distribution.Fixed(72))],
            Currency = "EUR",
            OtherCosts = [new OtherCost("vault", 8766)],
        };
        var options = new RunOptions(3, 42, 1);
        var table = new TrialTable(3, 1, 1);
        table.SetService(0, 0, 3.75, 1);
        table.SetDataSet(0, 0, 2, 3);
        table.SetService(2, 0, 0.5 + (8766 - 8765.9), 2);
        table.SetDataSet(2, 0, 8766, 100);
        IncidentRecord[] incidents =
        [
            new(0, 0, 10.5, CauseKind.Threat, 0, true, detectionDelayHours, IncidentAction.FailedOver, 3.75, 2, 3, false),
            new(2, 0, 8000.125, CauseKind.ComponentFailure, 0, false, 1.5, IncidentAction.SelfRecovered, 0.5, 0, 0, false),
            new(2, 0, 8765.9, CauseKind.Threat, 0, true, 0.1, IncidentAction.RebuiltEmpty, 120, 8766, 100, true),
        ];
        DataLossRecord[] losses =
        [
            new(0, 0, 10.5, 2, 3, false),
            new(2, 0, 8765.9, 8766, 100, true),
        ];
        var services = new[]
        {
            new ServiceStatistics(
                serviceName,
                4,
                new Summary(3, 41.416666666666664, -30.5, 113.33333333333333, 68.5, 3.75, 96.75, 108.375, 117.675, 119.7675, 123.75, 2.0 / 3),
                new Summary(3, 41.416666666666664, 0.1, 100, 67.9, 3.75, 96.75, 108.375, 117.675, 119.7675, 120, 1)
                {
                    P50Interval = new(0.1, 120), P95Interval = new(96.75, null), P99Interval = new(null, 1.0 / 3), P999Interval = new(2.5e-7, 1e21),
                },
                1.0 / 3,
                1.0 / 3),
        };
        var dataSets = new[]
        {
            new DataSetStatistics(
                dataSetName,
                24,
                new Summary(3, 2922.6666666666665, -2000, 7845.3, 5059.9, 2, 7013.2, 7389.6, 7688.72, 7764.0, 8766, 2.0 / 3),
                new Summary(3, 34.333333333333336, 0, 100, 56.6, 3, 80.6, 90.3, 98.06, 99.806, 100, 2.0 / 3) { P99Interval = new(3, 100) },
                new Summary(2, 4384, 1e-5, 59995.5, 6197.1, 4384, 7889.6, 8327.8, 8677.64, 8765.124, 8766, 1),
                new Summary(2, 51.5, 0, 667.7, 68.6, 51.5, 90.3, 95.15, 99.03, 99.903, 100, 1),
                0.5,
                1.0 / 3,
                1.0 / 3),
        };
        // The costs, unlike the other statistics here, are those of the table's rows, as a run computes them.
        var costs = MonteCarloRunner.Summarize(scenario, options, table, [.. incidents], [.. losses]).Costs;
        return new RunResult(scenario, options, services, dataSets, costs) { Records = new RunRecords(table, [.. incidents], [.. losses]) };
    }

    /// <summary>Hands <paramref name="result"/>'s records to the run's consumers, as the real simulation does, and returns it: a stand-in for <see cref="DisasterSim.Cli.CliContext.RunSimulation"/>.</summary>
    public static RunResult Feed(RunResult result, RunHooks hooks)
    {
        result.KeptRecords.Replay(new ConsumerChain(hooks.Consumers));
        return result;
    }
}
