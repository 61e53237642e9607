using System.Runtime.ExceptionServices;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Simulates a range of trials of one model or of several (the variants of a comparison) and hands the chunks to a consumer in trial order.</summary>
/// <remarks>
/// The unit of work is one chunk of <see cref="MonteCarloRunner.ChunkSize"/> trials (fewer when a run's trials hold many
/// incidents: <see cref="RunOptions.ChunkTrials"/>) of every model simulated, so that the
/// variants of a comparison advance together on the same trials (common random numbers) and their chunks reach the consumer
/// together. Worker threads each take the next chunk as they finish one; finished groups are handed on strictly in trial order,
/// by whichever worker finished the group that was awaited. At most a few groups per thread are in flight (a worker waits
/// for a free buffer), so memory does not grow with the trials, and a slow consumer holds the workers back instead of piling
/// groups up. The consumer sees the same groups in the same order for any thread count.
/// </remarks>
internal sealed class ChunkPipeline
{
    /// <summary>Chunk groups per worker thread: one being simulated, others finished and waiting for their turn.</summary>
    internal const int BuffersPerThread = 3;

    private readonly IReadOnlyList<SimulationModel> _models;
    private readonly IReadOnlyList<bool> _simulated;
    private readonly ulong _seed;
    private readonly bool _check;
    private readonly long _first;
    private readonly long _count;
    private readonly IReadOnlyList<ITrialChunkStore?>? _stores;
    private readonly IChunkGroupConsumer _consumer;
    private readonly IProgress<long>? _progress;
    private readonly long _chunks;
    private readonly int _chunkTrials;
    private readonly int _perGroup;

    /// <summary>Prepares the simulation of trials <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of the models marked in <paramref name="simulated"/>.</summary>
    /// <param name="models">The compiled models, one per variant.</param>
    /// <param name="simulated">For each model, whether to simulate it (a group holds null for the others).</param>
    /// <param name="seed">The master seed shared by all.</param>
    /// <param name="first">The first trial. Range: ≥ 0.</param>
    /// <param name="count">The number of trials. Range: ≥ 1.</param>
    /// <param name="stores">For each model, the store of completed chunks to take from and save to, or null.</param>
    /// <param name="consumer">Receives every group in trial order.</param>
    /// <param name="progress">Receives the number of chunks × models completed, in trials, now and then.</param>
    /// <param name="chunkTrials">Trials per chunk. Range: 1 to <see cref="MonteCarloRunner.ChunkSize"/>. Results do not depend on it.</param>
    public ChunkPipeline(IReadOnlyList<SimulationModel> models, IReadOnlyList<bool> simulated, ulong seed, long first, long count, IReadOnlyList<ITrialChunkStore?>? stores, IChunkGroupConsumer consumer, IProgress<long>? progress, int chunkTrials = MonteCarloRunner.ChunkSize, bool check = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkTrials, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkTrials, MonteCarloRunner.ChunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _models = models;
        _simulated = simulated;
        _seed = seed;
        _check = check;
        _first = first;
        _count = count;
        _stores = stores;
        _consumer = consumer;
        _progress = progress;
        _chunkTrials = chunkTrials;
        _chunks = (count + chunkTrials - 1) / chunkTrials;
        _perGroup = simulated.Count(s => s);
    }

    /// <summary>Runs the simulation on <paramref name="threads"/> worker threads (fewer when there are fewer chunks).</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public void Run(int threads, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        threads = (int)Math.Min(threads, _chunks);
        if (threads == 1)
        {
            var simulators = new TrialSimulator?[_models.Count];
            var group = NewGroup();
            for (long c = 0; c < _chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Fill(simulators, group, c, cancellationToken);
                _consumer.Consume(group);
                _progress?.Report(((c * _chunkTrials) + group.Count) * _perGroup);
            }

            return;
        }

        new Parallel(this, threads).Run(cancellationToken);
    }

    private ChunkGroup NewGroup()
    {
        var group = new ChunkGroup(_models.Count);
        for (int v = 0; v < _models.Count; v++)
        {
            if (_simulated[v])
            {
                // No larger than the run: a model of thousands of services makes each row large.
                group.Chunks[v] = new TrialChunk(_models[v].Services.Length, _models[v].DataSets.Length, (int)Math.Min(_chunkTrials, _count));
            }
        }

        return group;
    }

    /// <summary>Fills <paramref name="group"/> with chunk number <paramref name="index"/> of every simulated model: from its store, or simulated (and then stored).</summary>
    /// <remarks>Cancellation is checked before every trial: a chunk of slow trials can take minutes, and Ctrl-C (or SIGTERM) should not wait for it.</remarks>
    private void Fill(TrialSimulator?[] simulators, ChunkGroup group, long index, CancellationToken cancellationToken)
    {
        long from = _first + (index * _chunkTrials);
        int count = (int)Math.Min(_chunkTrials, _first + _count - from);
        group.FirstTrial = from;
        group.Count = count;
        for (int v = 0; v < _models.Count; v++)
        {
            if (group.Chunks[v] is not { } chunk)
            {
                continue;
            }

            var store = _stores?[v];
            chunk.Reset(from);
            if (store is not null && store.TryLoad(chunk, count))
            {
                continue;
            }

            chunk.Reset(from);
            var simulator = simulators[v] ??= new TrialSimulator(_models[v], _seed, _check);
            for (long trial = from; trial < from + count; trial++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                simulator.Run(trial, chunk);
                chunk.AddTrial(simulator.TrialDowntime, simulator.TrialIncidents, simulator.TrialPlannedDowntime, simulator.TrialLossHours, simulator.TrialLossGb);
            }

            store?.Save(chunk);
        }
    }

    /// <summary>Worker threads that simulate groups in any order and hand them to the consumer in trial order.</summary>
    private sealed class Parallel(ChunkPipeline pipeline, int threads)
    {
        private readonly Lock _lock = new();
        private readonly int _window = BuffersPerThread * threads;
        private readonly Stack<ChunkGroup> _free = new();
        private readonly SemaphoreSlim _buffers = new(BuffersPerThread * threads);
        private ChunkGroup?[] _ready = [];
        private long _nextToDeliver;
        private bool _delivering;
        private long _nextChunk = -1;
        private long _done;
        private Exception? _failure;

        public void Run(CancellationToken cancellationToken)
        {
            // Groups in flight (taken, not yet delivered) each hold one of the window's buffers, so their indices lie within
            // [next to deliver, next to deliver + window) and a ring of the window's size never has two in one slot.
            _ready = new ChunkGroup?[_window];
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var workers = Enumerable.Range(0, threads)
                .Select(_ => Task.Factory.StartNew(() => Work(stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
                .ToArray();
            Task.WaitAll(workers, CancellationToken.None);
            _buffers.Dispose();
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Capture(_failure).Throw();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        private void Work(CancellationTokenSource stop)
        {
            try
            {
                var simulators = new TrialSimulator?[pipeline._models.Count];
                while (true)
                {
                    _buffers.Wait(stop.Token);
                    long index = Interlocked.Increment(ref _nextChunk);
                    if (index >= pipeline._chunks)
                    {
                        _buffers.Release();
                        return;
                    }

                    ChunkGroup group;
                    lock (_lock)
                    {
                        group = _free.Count > 0 ? _free.Pop() : pipeline.NewGroup();
                    }

                    pipeline.Fill(simulators, group, index, stop.Token);
                    pipeline._progress?.Report(Interlocked.Add(ref _done, (long)group.Count * pipeline._perGroup));
                    Deliver(index, group, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped: by the caller, or because another worker failed (its exception is the one thrown).
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
                stop.Cancel();
            }
        }

        /// <summary>Puts a finished group in its slot; the worker that finds the awaited group there hands groups on until one is missing.</summary>
        private void Deliver(long index, ChunkGroup group, CancellationToken stop)
        {
            lock (_lock)
            {
                _ready[index % _window] = group;
                if (_delivering)
                {
                    return;
                }

                _delivering = true;
            }

            try
            {
                while (true)
                {
                    ChunkGroup? next;
                    lock (_lock)
                    {
                        next = _ready[_nextToDeliver % _window];
                        if (next is null || stop.IsCancellationRequested)
                        {
                            _delivering = false;
                            return;
                        }

                        _ready[_nextToDeliver % _window] = null;
                    }

                    pipeline._consumer.Consume(next);
                    lock (_lock)
                    {
                        _nextToDeliver++;
                        _free.Push(next);
                    }

                    _buffers.Release();
                }
            }
            catch
            {
                lock (_lock)
                {
                    _delivering = false;
                }

                throw;
            }
        }
    }
}
