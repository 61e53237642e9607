using System.Globalization;
using DisasterSim.Engine.Benchmarking;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Benchmarks;

/// <summary>Wall-clock timing with the engine's own measurements (<see cref="Throughput"/>): the engine against the hand-written loop.</summary>
public static class QuickTiming
{
    private const ulong Seed = 2026;

    /// <summary>Times the trial simulator on one scenario interleaved with the hand-written loop, for comparing two builds or for a profiler to sample.</summary>
    /// <param name="scenario">The scenario, relative to scenarios/.</param>
    /// <param name="trials">The trials of each timed round.</param>
    /// <param name="rounds">The rounds of each loop, interleaved; the medians are reported.</param>
    public static void SimulatorOnly(string scenario, long trials, int rounds = 3)
    {
        var loaded = BenchScenarios.Load(scenario);
        var engine = new List<Measurement>();
        var floor = new List<Measurement>();
        for (int i = 0; i < rounds; i++)
        {
            // Interleaved, so that a neighbour's load slows both alike.
            floor.Add(Throughput.HandWritten(trials, Seed));
            engine.Add(Throughput.Simulator(loaded, trials, Seed));
        }

        var e = Measurement.Median(engine);
        var f = Measurement.Median(floor);
        Report("hand-written availability loop, 1 thread", f);
        Report($"{scenario} TrialSimulator, 1 thread", e);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine / hand-written: {f.Seconds / e.Seconds:P0}"));
        if (rounds > 3)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median of the {rounds} rounds' ratios: {Measurement.MedianRatio(engine, floor):P1}"));
        }
    }

    /// <summary>Runs the hand-written loop alone, as a whole process to time against <c>disastersim run</c> of the same model.</summary>
    public static void Floor(long trials)
    {
        var m = Throughput.HandWritten(trials, Seed);
        Report("hand-written availability loop, 1 thread", m);
    }

    private static void Report(string what, Measurement m) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-62} {m.TrialsPerSecond,12:N0} trials/s {m.EventsPerSecond,14:N0} events/s {m.BytesPerTrial,8:F1} B/trial"));
}

/// <summary>Finds the shipped scenarios above the working directory.</summary>
public static class BenchScenarios
{
    public static Scenario Load(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "scenarios", relative);
            if (File.Exists(path))
            {
                var result = ScenarioLoader.Load(path);
                return result.Scenario ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
            }
        }

        throw new FileNotFoundException($"scenarios/{relative} not found above {Directory.GetCurrentDirectory()}");
    }
}
