using System.Diagnostics;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Engine.Benchmarking;

/// <summary>One timed batch of trials.</summary>
/// <param name="Trials">Trials run.</param>
/// <param name="Events">Events processed (0 when not counted).</param>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="AllocatedBytes">Bytes allocated meanwhile: by this thread, or by the whole process for a multi-threaded run.</param>
public readonly record struct Measurement(long Trials, long Events, double Seconds, long AllocatedBytes)
{
    /// <summary>Gets the trials per second.</summary>
    public double TrialsPerSecond => Trials / Seconds;

    /// <summary>Gets the events per second.</summary>
    public double EventsPerSecond => Events / Seconds;

    /// <summary>Gets the bytes allocated per trial.</summary>
    public double BytesPerTrial => AllocatedBytes / (double)Trials;

    /// <summary>The median round of <paramref name="rounds"/> by time: for an even count, the slower of the middle two.</summary>
    /// <param name="rounds">One measurement per round. Range: at least one.</param>
    public static Measurement Median(IReadOnlyList<Measurement> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 0)
        {
            throw new ArgumentException("Need at least one round.", nameof(rounds));
        }

        return rounds.OrderBy(m => m.Seconds).ElementAt(rounds.Count / 2);
    }

    /// <summary>The median over rounds of one measurement's speed over another's, taken round by round.</summary>
    /// <param name="measured">One measurement per round.</param>
    /// <param name="reference">The reference's measurement in the same rounds. Range: as many as <paramref name="measured"/>, at least one.</param>
    /// <returns>The median of measured[r].TrialsPerSecond / reference[r].TrialsPerSecond (the upper one for an even count).</returns>
    /// <remarks>
    /// Each round times both under about the same load, so a neighbour who slows a whole round moves both alike and
    /// leaves that round's ratio alone; the ratio of the two medians could pair a quiet round with a busy one.
    /// </remarks>
    public static double MedianRatio(IReadOnlyList<Measurement> measured, IReadOnlyList<Measurement> reference)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(reference);
        if (measured.Count == 0 || measured.Count != reference.Count)
        {
            throw new ArgumentException($"Need the same number of rounds, at least one; got {measured.Count} and {reference.Count}.", nameof(reference));
        }

        var ratios = measured.Zip(reference, (m, r) => m.TrialsPerSecond / r.TrialsPerSecond).Order().ToList();
        return ratios[ratios.Count / 2];
    }
}

/// <summary>
/// Times the engine: the hand-written floor, the trial simulator alone, and whole Monte Carlo runs as the <c>run</c> command
/// makes them (statistics computed, nothing kept). Each call runs a warm-up first, so the timings are of optimised code.
/// </summary>
public static class Throughput
{
    /// <summary>Times <paramref name="trials"/> trials of the hand-written availability loop on this thread.</summary>
    public static Measurement HandWritten(long trials, ulong seed)
    {
        var loop = new HandWrittenAvailability(seed);
        Warm(() => loop.Run(0));
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
        return new Measurement(trials, events, watch.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Times <paramref name="trials"/> trials of the hand-written availability loop split over <paramref name="threads"/> threads: the machine's own ceiling for scaling.</summary>
    public static Measurement HandWritten(long trials, ulong seed, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var loops = Enumerable.Range(0, threads).Select(_ => new HandWrittenAvailability(seed)).ToArray();
        Parallel.For(0, threads, t => Warm(() => loops[t].Run(0)));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var events = new long[threads];
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                // Counted in locals: neighbouring array elements written by two threads would share a cache line.
                var loop = loops[t];
                double sum = 0;
                long count = 0;
                for (long trial = t; trial < trials; trial += threads)
                {
                    sum += loop.Run(trial);
                    count += loop.EventCount;
                }

                events[t] = count;
                return sum;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        Task.WaitAll(workers);
        watch.Stop();
        return new Measurement(trials, events.Sum(), watch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    /// <summary>Times <paramref name="trials"/> trials of the trial simulator alone on this thread, as the runner drives it (into a chunk).</summary>
    public static Measurement Simulator(Scenario scenario, long trials, ulong seed)
    {
        var model = SimulationModel.Compile(scenario);
        var simulator = new TrialSimulator(model, seed);
        var chunk = new TrialChunk(model.Services.Length, model.DataSets.Length, MonteCarloRunner.ChunkSize);
        void Trial(long t)
        {
            if (chunk.Count == chunk.Capacity)
            {
                chunk.Reset(t);
            }

            simulator.Run(t, chunk);
            chunk.AddTrial(simulator.TrialDowntime, simulator.TrialIncidents, simulator.TrialPlannedDowntime, simulator.TrialLossHours, simulator.TrialLossGb);
        }

        chunk.Reset(0);
        Warm(() => Trial(0));
        chunk.Reset(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long events = 0;
        var watch = Stopwatch.StartNew();
        for (long t = 0; t < trials; t++)
        {
            Trial(t);
            events += simulator.EventCount;
        }

        watch.Stop();
        return new Measurement(trials, events, watch.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Times a whole run of <paramref name="trials"/> trials as the <c>run</c> command makes it without its files: statistics computed in trial order, no records kept.</summary>
    public static Measurement Run(Scenario scenario, long trials, ulong seed, int threads)
    {
        var hooks = new RunHooks { KeepRecords = false };
        MonteCarloRunner.Run(scenario, new RunOptions(Math.Min(trials, 20_000), seed, threads), hooks);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, seed, threads), hooks);
        watch.Stop();
        GC.KeepAlive(result);
        return new Measurement(trials, 0, watch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    /// <summary>Runs <paramref name="step"/> often enough for tiered compilation to reach its optimised code.</summary>
    private static void Warm(Action step)
    {
        for (int i = 0; i < 20_000; i++)
        {
            step();
        }
    }
}
