using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Scenarios;

/// <summary>Every shipped scenario loads cleanly, runs, and tells the story its comments promise.</summary>
public sealed class ShippedScenarioTests
{
    public static string ScenarioDirectory { get; } = FindScenarios();

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(ScenarioDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(ScenarioDirectory, file));
        }

        return data;
    }

    public static Scenario Load(string name)
    {
        var result = ScenarioLoader.Load(Path.Combine(ScenarioDirectory, name));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        return result.Scenario!;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ShippedScenario_LoadsAndRuns(string name)
    {
        var scenario = Load(name);

        var result = MonteCarloRunner.Run(scenario, new RunOptions(2_000, scenario.Simulation.Seed, 2));

        Assert.Equal(2_000, result.Trials.Trials);
        Assert.NotEmpty(result.Incidents);
        Assert.DoesNotContain(result.Incidents, i => i.Action == IncidentAction.Unresolved);
    }

    private static string FindScenarios()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "scenarios");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "DisasterSim.sln")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No scenarios/ folder above the test binaries.");
    }

    [Fact]
    public void NightlyOnsite_FireLosesEverything()
    {
        var result = MonteCarloRunner.Run(Load("01-nightly-onsite-fire.yaml"), new RunOptions(20_000, 2026, 2));

        var fires = result.Incidents.Where(i => i.CauseKind == CauseKind.Threat && result.Scenario.Threats[i.CauseIndex].Name == "fire").ToList();
        Assert.NotEmpty(fires);
        Assert.All(fires, f => Assert.True(f.TotalLoss));
        Assert.All(fires, f => Assert.Equal(IncidentAction.RebuiltEmpty, f.Action));
        Assert.All(fires, f => Assert.True(f.DowntimeHours >= 30 * 24));
    }

    [Fact]
    public void NightlyOffsite_LossStaysNearADay()
    {
        var result = MonteCarloRunner.Run(Load("02-nightly-offsite.yaml"), new RunOptions(20_000, 2026, 2));

        Assert.NotEmpty(result.DataLosses);
        Assert.DoesNotContain(result.DataLosses, l => l.TotalLoss);
        var stats = result.DataSets[0].LossHoursPerIncident;
        Assert.InRange(stats.Mean, 12, 16);
        Assert.InRange(stats.P99, 24, 27);
    }

    [Fact]
    public void HourlyAsyncDr_LossStaysNearTheReplicationLag()
    {
        var result = MonteCarloRunner.Run(Load("03-hourly-async-dr.yaml"), new RunOptions(20_000, 2026, 2));

        var stats = result.DataSets[0].LossHoursPerIncident;
        Assert.True(stats.P50 < 5.0 / 60, $"median loss {stats.P50} h");
        Assert.True(stats.P95 < 0.5, $"P95 loss {stats.P95} h");
        Assert.True(result.Services[0].DowntimePerIncident.P99 < 4);
    }
}
