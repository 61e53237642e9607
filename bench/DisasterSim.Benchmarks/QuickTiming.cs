using System.Diagnostics;
using System.Globalization;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Benchmarks;

/// <summary>Wall-clock timing of whole runs: the engine against the hand-written loop, one and two threads.</summary>
public static class QuickTiming
{
    public static void Run(long trials)
    {
        var availability = BenchScenarios.Load("bench/availability-20.yaml");
        var largest = BenchScenarios.Load("14-after-recommended.yaml");
        var model = SimulationModel.Compile(availability);

        // Warm up the JIT (tiered compilation reaches the optimised code after a few thousand calls).
        HandWritten(20_000);
        Simulator(model, 20_000);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"availability-20, {trials:N0} trials, {Environment.ProcessorCount} cores"));
        var floor = Median(() => HandWritten(trials));
        Report("hand-written loop, 1 thread", trials, floor);
        var engine = Median(() => Simulator(model, trials));
        Report("engine TrialSimulator, 1 thread", trials, engine);
        var run1 = Median(() => Runner(availability, trials, 1));
        Report("engine MonteCarloRunner, 1 thread", trials, run1);
        var run2 = Median(() => Runner(availability, trials, 2));
        Report("engine MonteCarloRunner, 2 threads", trials, run2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine / hand-written: {floor.Seconds / engine.Seconds:P0}; runner 2 threads / 1 thread: {run1.Seconds / run2.Seconds:F2}x"));

        long big = Math.Max(10_000, trials / 10);
        var largestModel = SimulationModel.Compile(largest);
        Simulator(largestModel, 5_000);
        var l1 = Median(() => Simulator(largestModel, big));
        Report("14-after-recommended TrialSimulator, 1 thread (trial-years)", big, l1);
    }

    /// <summary>Runs only the trial simulator on one scenario, for a profiler to sample.</summary>
    /// <param name="scenario">The scenario, relative to scenarios/.</param>
    /// <param name="trials">The trials of each timed round.</param>
    /// <param name="rounds">The rounds of each loop, interleaved; the medians are reported.</param>
    public static void SimulatorOnly(string scenario, long trials, int rounds = 3)
    {
        var model = SimulationModel.Compile(BenchScenarios.Load(scenario));
        Simulator(model, 20_000);
        HandWritten(20_000);
        var engine = new List<Measure>();
        var floor = new List<Measure>();
        for (int i = 0; i < rounds; i++)
        {
            // Interleaved, so that a neighbour's load slows both alike.
            floor.Add(HandWritten(trials));
            engine.Add(Simulator(model, trials));
        }

        var e = engine.OrderBy(m => m.Seconds).ElementAt(rounds / 2);
        var f = floor.OrderBy(m => m.Seconds).ElementAt(rounds / 2);
        Report("hand-written availability loop, 1 thread", trials, f);
        Report($"{scenario} TrialSimulator, 1 thread", trials, e);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine / hand-written: {f.Seconds / e.Seconds:P0}"));
        if (rounds > 3)
        {
            // Each round's pair ran under about the same load, so the median of their ratios is steadier still.
            var ratios = floor.Zip(engine, (a, b) => a.Seconds / b.Seconds).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median of the {rounds} rounds' ratios: {ratios[rounds / 2]:P1}"));
        }
    }

    private static void Report(string what, long trials, Measure m) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-62} {trials / m.Seconds,12:N0} trials/s {m.Events / m.Seconds,14:N0} events/s {m.Bytes / (double)trials,8:F1} B/trial"));

    private static Measure Median(Func<Measure> run)
    {
        var all = Enumerable.Range(0, 3).Select(_ => run()).OrderBy(m => m.Seconds).ToList();
        return all[1];
    }

    private static Measure HandWritten(long trials)
    {
        var loop = new HandWrittenAvailability(2026);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long events = 0;
        double sum = 0;
        var watch = Stopwatch.StartNew();
        for (long t = 0; t < trials; t++)
        {
            sum += loop.Run(t);
            events += loop.EventCount;
        }

        watch.Stop();
        GC.KeepAlive(sum);
        return new Measure(watch.Elapsed.TotalSeconds, events, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Measure Simulator(SimulationModel model, long trials)
    {
        var simulator = new TrialSimulator(model, 2026);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long events = 0;
        var watch = Stopwatch.StartNew();
        for (long t = 0; t < trials; t++)
        {
            simulator.Run(t, null);
            events += simulator.EventCount;
        }

        watch.Stop();
        return new Measure(watch.Elapsed.TotalSeconds, events, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Measure Runner(Scenario scenario, long trials, int threads)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, 2026, threads));
        watch.Stop();
        GC.KeepAlive(result);
        return new Measure(watch.Elapsed.TotalSeconds, 0, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private readonly record struct Measure(double Seconds, long Events, long Bytes);
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
