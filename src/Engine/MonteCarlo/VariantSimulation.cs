using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Simulates the variants of a comparison together, range of trials after range of trials, on common random numbers: trial <c>i</c> of every variant draws from (seed, <c>i</c>).</summary>
/// <remarks>
/// Each call to <see cref="Run"/> simulates one range for the variants asked for and hands their chunks, grouped, to the
/// consumer in trial order; consecutive calls continue a comparison in rounds (precision, races) with the consumers keeping
/// their state. Nothing is kept here beyond the compiled models, so memory does not grow with the trials.
/// </remarks>
public sealed class VariantSimulation
{
    private readonly SimulationModel[] _models;
    private long _done;

    /// <summary>Compiles every variant once.</summary>
    /// <param name="scenarios">The variants, validated. Range: not empty.</param>
    /// <param name="seed">The master seed shared by every variant.</param>
    /// <param name="threads">Worker threads. Range: ≥ 1. Results do not depend on it.</param>
    public VariantSimulation(IReadOnlyList<Scenario> scenarios, ulong seed, int threads)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentOutOfRangeException.ThrowIfZero(scenarios.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Scenarios = scenarios;
        Seed = seed;
        Threads = threads;
        _models = [.. scenarios.Select(SimulationModel.Compile)];
    }

    /// <summary>Gets the variants.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; }

    /// <summary>Gets the master seed.</summary>
    public ulong Seed { get; }

    /// <summary>Gets the worker threads.</summary>
    public int Threads { get; }

    /// <summary>Simulates trials <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of the variants marked in <paramref name="simulated"/> and hands every group to <paramref name="consumer"/> in trial order.</summary>
    /// <param name="first">The first trial. Range: ≥ 0.</param>
    /// <param name="count">The number of trials. Range: ≥ 1.</param>
    /// <param name="simulated">For each variant, whether to simulate it; null for all.</param>
    /// <param name="consumer">Receives the groups.</param>
    /// <param name="stores">For each variant, the store of completed chunks (checkpoints) to take from and save to, or null.</param>
    /// <param name="progress">Receives the number of variant-trials (one trial of one variant) this simulation has completed over all its calls, now and then.</param>
    /// <param name="cancellationToken">Stops the simulation; throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="IOException">A consumer or a store could not write; the simulation stops at once.</exception>
    public void Run(long first, long count, IReadOnlyList<bool>? simulated, IChunkGroupConsumer consumer, IReadOnlyList<ITrialChunkStore?>? stores = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        simulated ??= [.. _models.Select(_ => true)];
        if (simulated.Count != _models.Length || (stores is not null && stores.Count != _models.Length))
        {
            throw new ArgumentException($"Expected one entry per variant ({_models.Length}).", nameof(simulated));
        }

        long before = _done;
        var counting = progress is null ? null : new Offset(progress, before);
        new ChunkPipeline(_models, simulated, Seed, first, count, stores, consumer, counting).Run(Threads, cancellationToken);
        _done = before + (count * simulated.Count(s => s));
    }

    private sealed class Offset(IProgress<long> progress, long offset) : IProgress<long>
    {
        public void Report(long value) => progress.Report(offset + value);
    }
}
