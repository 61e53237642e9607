using BenchmarkDotNet.Attributes;
using DisasterSim.Engine.Benchmarking;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Benchmarks;

/// <summary>
/// One batch of 1,000 trials of each benchmark scenario through the engine, against the hand-written loop of the
/// availability model (the baseline, so every run prints the ratio); plus the sampler, stream seeding and the event queue.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class EngineBenchmarks
{
    private const int Batch = 1_000;

    private HandWrittenAvailability _loop = null!;
    private TrialSimulator _availability = null!;
    private TrialSimulator _largest = null!;
    private Xoshiro256StarStar _rng;
    private EventQueue _queue = null!;
    private PriorityQueue<int, double> _priorityQueue = null!;

    [GlobalSetup]
    public void Setup()
    {
        _loop = new HandWrittenAvailability(2026);
        _availability = new TrialSimulator(SimulationModel.Compile(BenchScenarios.Load("bench/availability-20.yaml")), 2026);
        _largest = new TrialSimulator(SimulationModel.Compile(BenchScenarios.Load("14-after-recommended.yaml")), 2026);
        _rng = new Xoshiro256StarStar(2026);
        _queue = new EventQueue();
        _priorityQueue = new PriorityQueue<int, double>(20);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public double HandWrittenLoop()
    {
        double sum = 0;
        for (int t = 0; t < Batch; t++)
        {
            sum += _loop.Run(t);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EngineAvailability20()
    {
        int events = 0;
        for (int t = 0; t < Batch; t++)
        {
            _availability.Run(t, null);
            events += _availability.EventCount;
        }

        return events;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EngineAfterRecommended()
    {
        int events = 0;
        for (int t = 0; t < Batch; t++)
        {
            _largest.Run(t, null);
            events += _largest.EventCount;
        }

        return events;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public ulong RandomNumbers()
    {
        ulong sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += _rng.NextUInt64();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public double ExponentialSamples()
    {
        double sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += Sampler.ExponentialByMean(ref _rng, 2000);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public ulong StreamSeeding()
    {
        ulong sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += RandomStreams.For(2026, i, 12345).NextUInt64();
        }

        return sum;
    }

    /// <summary>The hold model of availability-20: 20 pending events, each step pops the earliest and pushes its successor.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public double EventQueueHold()
    {
        _queue.Clear();
        for (int c = 0; c < 20; c++)
        {
            _queue.Push(Sampler.ExponentialByMean(ref _rng, 2000), EventKind.ComponentFailure, c);
        }

        double last = 0;
        for (int i = 0; i < Batch; i++)
        {
            var e = _queue.Pop();
            last = e.Time;
            _queue.Push(last + Sampler.ExponentialByMean(ref _rng, 1000), EventKind.ComponentRepair, e.Target);
        }

        return last;
    }

    /// <summary>The same hold model on the runtime's <see cref="PriorityQueue{TElement, TPriority}"/> (no tie-break), for scale.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public double PriorityQueueHold()
    {
        _priorityQueue.Clear();
        for (int c = 0; c < 20; c++)
        {
            _priorityQueue.Enqueue(c, Sampler.ExponentialByMean(ref _rng, 2000));
        }

        double last = 0;
        for (int i = 0; i < Batch; i++)
        {
            _priorityQueue.TryPeek(out int c, out last);
            _priorityQueue.DequeueEnqueue(c, last + Sampler.ExponentialByMean(ref _rng, 1000));
        }

        return last;
    }
}
