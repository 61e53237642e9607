using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Scenarios;

/// <summary>The benchmark scenario gives its exact answer, and the cost of a trial does not grow with backup frequency.</summary>
public sealed class BenchScenarioTests
{
    /// <summary>
    /// Twenty independent components, all up at time 0, exponential up (mean 2,000 h) and down (mean 8 h) times;
    /// the service needs c01-c03 and 16 of the other 17. Integrating the exact transient unavailability of each
    /// component over 8,760 h gives an expected downtime of 122.12 h per trial (122.24 h at steady state).
    /// </summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void Availability20_MeanDowntimeMatchesTheExactAnswer()
    {
        var scenario = ShippedScenarioTests.Load("bench/availability-20.yaml");

        var result = MonteCarloRunner.Run(scenario, new RunOptions(20_000, 2026, 2));

        var downtime = result.Services[0].DowntimePerTrial;
        double halfWidth = 2.5758 * downtime.StdDev / Math.Sqrt(downtime.Count);
        Assert.InRange(122.12, downtime.Mean - halfWidth, downtime.Mean + halfWidth);
        Assert.True(halfWidth < 1.0, $"the 99% interval is too wide to test anything: ±{halfWidth}");
    }

    [Fact]
    public void Availability20_TrialHasAboutOneHundredSeventyFourEvents()
    {
        var simulator = new TrialSimulator(SimulationModel.Compile(ShippedScenarioTests.Load("bench/availability-20.yaml")), 2026);
        long events = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            simulator.Run(trial, null);
            events += simulator.EventCount;
        }

        // 20 components × 8,760 h / 2,008 h per cycle × 2 events per cycle, give or take the noise of 200 trials;
        // the engine also processes the events of incidents (detection and the like).
        Assert.InRange(events / 200.0, 160, 260);
    }

    [Theory]
    [InlineData("14-after-recommended.yaml", "interval: 1h", "duration: 10m")]
    [InlineData("03-hourly-async-dr.yaml", "interval: 1h", "duration: 10m")]
    public void EventCount_DoesNotDependOnBackupInterval(string name, string interval, string duration)
    {
        string yaml = File.ReadAllText(Path.Combine(ShippedScenarioTests.ScenarioDirectory, name));
        Assert.Contains(interval, yaml, StringComparison.Ordinal);
        Assert.Contains(duration, yaml, StringComparison.Ordinal);
        string everyMinute = yaml.Replace(interval, "interval: 1m", StringComparison.Ordinal).Replace(duration, "duration: 30s", StringComparison.Ordinal);
        string everyDay = yaml.Replace(interval, "interval: 1d", StringComparison.Ordinal).Replace(duration, "duration: 30s", StringComparison.Ordinal);

        var minute = Events(everyMinute, name);
        var day = Events(everyDay, name);

        Assert.True(minute.Sum() > 0);
        Assert.Equal(day, minute);
    }

    private static long[] Events(string yaml, string name)
    {
        var loaded = ScenarioLoader.Parse(yaml, name);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var simulator = new TrialSimulator(SimulationModel.Compile(loaded.Scenario!), 7);
        var events = new long[300];
        for (int trial = 0; trial < events.Length; trial++)
        {
            simulator.Run(trial, null);
            events[trial] = simulator.EventCount;
        }

        return events;
    }
}
