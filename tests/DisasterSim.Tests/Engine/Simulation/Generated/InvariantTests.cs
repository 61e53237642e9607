using System.Globalization;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models.Loading;
using Severity = DisasterSim.Models.Loading.Severity;
using Xunit.Abstractions;

namespace DisasterSim.Tests.Engine.Simulation.Generated;

/// <summary>
/// The model's invariants (see <c>TrialChecks</c>) on every event of every trial of thousands of generated estates.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultScenarios"/> scenarios of four trials each. For more:
/// <c>DISASTERSIM_GENERATED=200000 dotnet test tests/DisasterSim.Tests --filter Category=Generated</c>, with
/// <c>DISASTERSIM_GENERATED_SEED=N</c> for other estates. A failure names the scenario's index and writes its file, which
/// <c>disastersim run FILE --check</c> replays.
/// </remarks>
public sealed class InvariantTests(ITestOutputHelper output)
{
    /// <summary>Scenarios in the CI run.</summary>
    public const int DefaultScenarios = 10_000;

    /// <summary>Generator seed of the CI run.</summary>
    public const int DefaultSeed = 19;

    [Fact]
    [Trait("Category", "Generated")]
    public void GeneratedEstates_EveryEventOfEveryTrial_KeepsTheInvariants()
    {
        int count = Setting("DISASTERSIM_GENERATED", DefaultScenarios);
        var generator = new EstateGenerator(Setting("DISASTERSIM_GENERATED_SEED", DefaultSeed));
        var failures = new List<string>();
        int rejected = 0;
        long events = 0;
        long incidents = 0;
        var sink = new CountingSink();
        for (int i = 0; i < count && failures.Count < 5; i++)
        {
            string yaml = generator.Generate(i);
            var loaded = ScenarioLoader.Parse(yaml, $"generated-{i}.yaml");
            if (loaded.Scenario is not { } scenario)
            {
                rejected++;
                if (rejected <= 3)
                {
                    output.WriteLine($"generated scenario {i} rejected: {loaded.Diagnostics.First(d => d.Severity == Severity.Error)}");
                }

                continue;
            }

            var simulator = new TrialSimulator(SimulationModel.Compile(scenario), scenario.Simulation.Seed, check: true);
            try
            {
                for (long trial = 0; trial < scenario.Simulation.Trials; trial++)
                {
                    simulator.Run(trial, sink);
                    events += simulator.EventCount;
                }
            }
            catch (InvariantViolationException e)
            {
                string path = Path.Combine(Path.GetTempPath(), $"disastersim-generated-{i}.yaml");
                File.WriteAllText(path, yaml);
                failures.Add($"scenario {i} ({path}): {e.Message}");
            }

        }

        incidents = sink.Incidents;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} generated scenarios, {rejected} rejected by validation, {events:N0} events, {incidents:N0} incidents"));
        output.WriteLine(string.Join(", ", sink.Actions.Select((n, a) => $"{(IncidentAction)a}: {n:N0}")));
        Assert.True(rejected < count / 20, $"{rejected} of {count} generated scenarios were rejected: the generator no longer writes valid estates");
        Assert.True(incidents > count, "the generated estates should be dense with incidents");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private sealed class CountingSink : ITrialSink
    {
        public long Incidents { get; private set; }

        public long[] Actions { get; } = new long[Enum.GetValues<IncidentAction>().Length];

        public void OnIncident(in IncidentRecord incident)
        {
            Incidents++;
            Actions[(int)incident.Action]++;
        }

        public void OnDataLoss(in DataLossRecord loss)
        {
        }
    }
}
