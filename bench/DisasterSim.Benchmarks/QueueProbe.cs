using System.Diagnostics;
using System.Globalization;
using DisasterSim.Engine.Benchmarking;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Benchmarks;

/// <summary>
/// The hand-written availability loop with the engine's <see cref="EventQueue"/> in place of
/// <see cref="PriorityQueue{TElement, TPriority}"/>, timed interleaved with the original: how the engine's queue
/// alone compares with the floor's, apart from everything else the engine does per event.
/// </summary>
/// <remarks>
/// The engine's queue also breaks ties by scheduling order, which PriorityQueue does not; the draws are the same.
/// </remarks>
public static class QueueProbe
{
    private const int Components = 20;
    private const int Critical = 3;
    private const double MeanFailure = 2000;
    private const double MeanRepair = 8;
    private const double Horizon = 8760;

    /// <summary>Seven interleaved rounds of <paramref name="trials"/> trials of each loop.</summary>
    public static void Run(long trials)
    {
        var q = new EventQueue();
        var down = new bool[Components];
        double sum = 0;
        Loop(q, down, 20000);
        HandLoop(20000);
        for (int r = 0; r < 7; r++)
        {
            var w = Stopwatch.StartNew();
            sum += HandLoop(trials);
            double a = w.Elapsed.TotalSeconds;
            w.Restart();
            sum += Loop(q, down, trials);
            double b = w.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hand-written loop {trials / a,10:N0} trials/s   with EventQueue {trials / b,10:N0} trials/s   ratio {a / b:P1}"));
        }

        GC.KeepAlive(sum);
    }

    private static double HandLoop(long trials)
    {
        var loop = new HandWrittenAvailability(2026);
        double s = 0;
        for (long t = 0; t < trials; t++)
        {
            s += loop.Run(t);
        }

        return s;
    }

    private static double Loop(EventQueue queue, bool[] down, long trials)
    {
        double total = 0;
        for (long trial = 0; trial < trials; trial++)
        {
            var rng = new Xoshiro256StarStar(RandomStreams.StreamSeed(2026, trial, 0));
            queue.Clear();
            Array.Clear(down);
            for (int c = 0; c < Components; c++)
            {
                queue.Push(Sampler.ExponentialByMean(ref rng, MeanFailure), EventKind.ComponentFailure, c);
            }

            int criticalDown = 0;
            int othersDown = 0;
            double downSince = 0;
            double downtime = 0;
            while (queue.Count > 0)
            {
                var e = queue.Pop();
                double now = e.Time;
                if (now >= Horizon)
                {
                    break;
                }

                int c = e.Target;
                bool wasDown = criticalDown > 0 || othersDown >= 2;
                bool failing = !down[c];
                down[c] = failing;
                int delta = failing ? 1 : -1;
                if (c < Critical)
                {
                    criticalDown += delta;
                }
                else
                {
                    othersDown += delta;
                }

                double next = now + Sampler.ExponentialByMean(ref rng, failing ? MeanRepair : MeanFailure);
                queue.Push(next, EventKind.ComponentFailure, c);
                bool isDown = criticalDown > 0 || othersDown >= 2;
                if (isDown && !wasDown)
                {
                    downSince = now;
                }
                else if (wasDown && !isDown)
                {
                    downtime += now - downSince;
                }
            }

            total += downtime;
        }

        return total;
    }
}
