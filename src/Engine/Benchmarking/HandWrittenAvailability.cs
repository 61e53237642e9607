using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;

namespace DisasterSim.Engine.Benchmarking;

/// <summary>
/// The floor: a minimal hand-written loop of the availability-20 model (scenarios/bench/availability-20.yaml),
/// with struct events in a reused <see cref="PriorityQueue{TElement, TPriority}"/>, xoshiro256** and
/// <see cref="PriorityQueue{TElement, TPriority}.DequeueEnqueue"/>. The engine is measured against it.
/// </summary>
public sealed class HandWrittenAvailability
{
    private const int Components = 20;
    private const int Critical = 3;
    private const double MeanFailure = 2000;
    private const double MeanRepair = 8;
    private const double Horizon = 8760;

    private readonly PriorityQueue<int, double> _queue = new(Components);
    private readonly bool[] _down = new bool[Components];
    private readonly ulong _seed;

    public HandWrittenAvailability(ulong seed) => _seed = seed;

    /// <summary>Gets the number of events of the last trial.</summary>
    public int EventCount { get; private set; }

    /// <summary>Runs one trial and returns the service's downtime in hours.</summary>
    public double Run(long trial)
    {
        var rng = new Xoshiro256StarStar(RandomStreams.StreamSeed(_seed, trial, 0));
        _queue.Clear();
        Array.Clear(_down);
        for (int c = 0; c < Components; c++)
        {
            _queue.Enqueue(c, Sampler.ExponentialByMean(ref rng, MeanFailure));
        }

        int criticalDown = 0;
        int othersDown = 0;
        double downSince = 0;
        double downtime = 0;
        int events = 0;
        while (_queue.TryPeek(out int c, out double now) && now < Horizon)
        {
            events++;
            bool wasDown = criticalDown > 0 || othersDown >= 2;
            bool failing = !_down[c];
            _down[c] = failing;
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
            _queue.DequeueEnqueue(c, next);
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

        if (criticalDown > 0 || othersDown >= 2)
        {
            downtime += Horizon - downSince;
        }

        EventCount = events;
        return downtime;
    }
}
