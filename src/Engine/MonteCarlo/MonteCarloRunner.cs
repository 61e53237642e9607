using System.Runtime.ExceptionServices;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>What a run does with its trials besides computing its statistics.</summary>
public sealed record RunHooks
{
    /// <summary>Gets the hooks of a plain run: statistics, and the rows and records kept in the result.</summary>
    public static RunHooks Default { get; } = new();

    /// <summary>Gets the store of completed chunks to take from and save to (checkpoints), or null.</summary>
    public ITrialChunkStore? Store { get; init; }

    /// <summary>Gets the consumers that receive every chunk in trial order after the statistics (file writers).</summary>
    public IReadOnlyList<ITrialChunkConsumer> Consumers { get; init; } = [];

    /// <summary>Gets whether the result keeps every row and record (<see cref="RunResult.Records"/>); off, memory stays bounded whatever the trial count.</summary>
    public bool KeepRecords { get; init; } = true;
}

/// <summary>Runs many independent trials of a scenario and reduces them in trial order.</summary>
/// <remarks>
/// Worker threads simulate chunks of <see cref="RunOptions.ChunkTrials"/> trials (<see cref="ChunkSize"/> unless a scenario's trials hold many incidents), each taking the next chunk as it finishes one; finished
/// chunks are handed to the consumers strictly in trial order, by whichever worker finished the chunk that was awaited. At
/// most a few chunks per thread are in flight (a worker waits for a free buffer), so memory does not grow with the trials
/// and a slow consumer (a file on a slow disk) holds the workers back instead of piling chunks up.
/// </remarks>
public static class MonteCarloRunner
{
    /// <summary>The most trials per unit of work handed to a thread, and per chunk handed to consumers (<see cref="RunOptions.ChunkTrials"/>).</summary>
    public const int ChunkSize = 1024;

    /// <summary>Chunk buffers per worker thread: one being simulated, others finished and waiting for their turn.</summary>
    internal const int BuffersPerThread = 3;

    /// <summary>Runs <see cref="RunOptions.Trials"/> trials from <see cref="RunOptions.FirstTrial"/>, keeping their rows and records; the result does not depend on the thread count.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Trial range, seed, threads.</param>
    /// <param name="progress">Receives the number of completed trials now and then.</param>
    /// <param name="cancellationToken">Stops the run; throws <see cref="OperationCanceledException"/>.</param>
    public static RunResult Run(Scenario scenario, RunOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Run(scenario, options, RunHooks.Default, progress, cancellationToken);

    /// <summary>Runs like <see cref="Run(Scenario, RunOptions, IProgress{long}?, CancellationToken)"/>, with checkpoints, consumers and records as <paramref name="hooks"/> say.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Trial range, seed, threads.</param>
    /// <param name="hooks">The store of completed chunks, the consumers of every chunk, and whether to keep the records.</param>
    /// <param name="progress">Receives the number of completed trials now and then.</param>
    /// <param name="cancellationToken">Stops the run; throws <see cref="OperationCanceledException"/>. Chunks saved before it stay saved.</param>
    /// <exception cref="IOException">A consumer or the store could not write; the run stops at once.</exception>
    public static RunResult Run(Scenario scenario, RunOptions options, RunHooks hooks, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Trials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.FirstTrial);
        var model = SimulationModel.Compile(scenario);
        var statistics = new RunStatisticsBuilder(scenario, model, options);
        var keeper = hooks.KeepRecords ? new RecordKeeper(options.FirstTrial, options.Trials, model.Services.Length, model.DataSets.Length) : null;
        var consumers = new List<ITrialChunkConsumer> { statistics };
        if (keeper is not null)
        {
            consumers.Add(keeper);
        }

        consumers.AddRange(hooks.Consumers);
        Simulate(model, options, hooks.Store, new ConsumerChain(consumers), progress, cancellationToken);
        return statistics.Build(keeper?.Records());
    }

    /// <summary>Computes a run's statistics from its per-trial rows and records, as <see cref="Run(Scenario, RunOptions, IProgress{long}?, CancellationToken)"/> does.</summary>
    /// <remarks>Rows and records put together from parts of a run (shards, checkpoints) give the very same result as the whole run.</remarks>
    /// <param name="scenario">The scenario run.</param>
    /// <param name="options">How it was run; its trial range must be the table's.</param>
    /// <param name="table">One row per trial of the range.</param>
    /// <param name="incidents">Every incident, in trial order then start order.</param>
    /// <param name="losses">Every data loss, in trial order then start order.</param>
    public static RunResult Summarize(Scenario scenario, RunOptions options, TrialTable table, List<IncidentRecord> incidents, List<DataLossRecord> losses)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(table);
        if (table.FirstTrial != options.FirstTrial || table.Trials != options.Trials)
        {
            throw new ArgumentException("The table's trial range differs from the options'.", nameof(table));
        }

        var records = new RunRecords(table, incidents, losses);
        var statistics = new RunStatisticsBuilder(scenario, SimulationModel.Compile(scenario), options);
        records.Replay(statistics);
        return statistics.Build(records);
    }

    /// <summary>Returns the consumer that computes the statistics of a run of <paramref name="scenario"/> from its chunks; <see cref="Finish"/> gives the result.</summary>
    /// <remarks>For results rebuilt from stored chunks (a merge of shards): feed it every chunk of the run, in trial order.</remarks>
    public static ITrialChunkConsumer Statistics(Scenario scenario, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RunStatisticsBuilder(scenario, SimulationModel.Compile(scenario), options);
    }

    /// <summary>Builds the result of a run from the consumer <see cref="Statistics"/> returned, once it has seen every trial.</summary>
    /// <exception cref="InvalidOperationException">It has not seen exactly the run's trials.</exception>
    public static RunResult Finish(ITrialChunkConsumer statistics) =>
        statistics is RunStatisticsBuilder builder ? builder.Build(null) : throw new ArgumentException("Not a consumer that Statistics returned.", nameof(statistics));

    /// <summary>Simulates trials <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 and keeps their rows and records; the rows do not depend on the thread count.</summary>
    internal static RunRecords Simulate(SimulationModel model, ulong seed, int threadCount, long first, long count, CancellationToken cancellationToken)
    {
        var keeper = new RecordKeeper(first, count, model.Services.Length, model.DataSets.Length);
        Simulate(model, new RunOptions(count, seed, threadCount) { FirstTrial = first }, null, keeper, null, cancellationToken);
        return keeper.Records();
    }

    /// <summary>Joins consecutive blocks of records, starting at the options' first trial, into the result of a run of <see cref="RunOptions.Trials"/> trials.</summary>
    internal static RunResult Reduce(Scenario scenario, SimulationModel model, RunOptions options, IReadOnlyList<RunRecords> blocks)
    {
        var keeper = new RecordKeeper(options.FirstTrial, options.Trials, model.Services.Length, model.DataSets.Length);
        var statistics = new RunStatisticsBuilder(scenario, model, options);
        var both = new ConsumerChain([statistics, keeper]);
        foreach (var block in blocks)
        {
            block.Replay(both);
        }

        return statistics.Build(keeper.Records());
    }

    private static void Simulate(SimulationModel model, RunOptions options, ITrialChunkStore? store, ITrialChunkConsumer consumer, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        int chunkTrials = options.ChunkTrials;
        long chunks = (options.Trials + chunkTrials - 1) / chunkTrials;
        int threads = (int)Math.Min(options.Threads, chunks);
        if (threads == 1)
        {
            var simulator = new TrialSimulator(model, options.Seed);
            var chunk = NewChunk(model, options);
            for (long c = 0; c < chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Fill(simulator, chunk, options, c, store, cancellationToken);
                consumer.Consume(chunk);
                progress?.Report(Math.Min(options.Trials, (c * chunkTrials) + count));
            }

            return;
        }

        new ParallelRun(model, options, store, consumer, progress, chunks, threads).Run(cancellationToken);
    }

    // No larger than the run: a model of thousands of services makes each row large.
    private static TrialChunk NewChunk(SimulationModel model, RunOptions options) =>
        new(model.Services.Length, model.DataSets.Length, (int)Math.Min(options.ChunkTrials, options.Trials));

    /// <summary>Fills <paramref name="chunk"/> with chunk number <paramref name="index"/> of the run: from the store, or simulated (and then stored).</summary>
    /// <returns>The number of trials in the chunk.</returns>
    /// <remarks>Cancellation is checked before every trial: a chunk of slow trials can take minutes, and Ctrl-C (or SIGTERM) should not wait for it.</remarks>
    private static int Fill(TrialSimulator simulator, TrialChunk chunk, RunOptions options, long index, ITrialChunkStore? store, CancellationToken cancellationToken)
    {
        long from = options.FirstTrial + (index * options.ChunkTrials);
        int count = (int)Math.Min(options.ChunkTrials, options.FirstTrial + options.Trials - from);
        chunk.Reset(from);
        if (store is not null && store.TryLoad(chunk, count))
        {
            return count;
        }

        chunk.Reset(from);
        for (long trial = from; trial < from + count; trial++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            simulator.Run(trial, chunk);
            chunk.AddTrial(simulator.TrialDowntime, simulator.TrialIncidents, simulator.TrialPlannedDowntime, simulator.TrialLossHours, simulator.TrialLossGb);
        }

        store?.Save(chunk);
        return count;
    }

    /// <summary>Worker threads that simulate chunks in any order and hand them to the consumer in trial order.</summary>
    private sealed class ParallelRun(SimulationModel model, RunOptions options, ITrialChunkStore? store, ITrialChunkConsumer consumer, IProgress<long>? progress, long chunks, int threads)
    {
        private readonly Lock _lock = new();
        private readonly int _window = BuffersPerThread * threads;
        private readonly Stack<TrialChunk> _free = new();
        private readonly SemaphoreSlim _buffers = new(BuffersPerThread * threads);
        private TrialChunk?[] _ready = [];
        private long _nextToDeliver;
        private bool _delivering;
        private long _nextChunk = -1;
        private long _done;
        private Exception? _failure;

        public void Run(CancellationToken cancellationToken)
        {
            // Chunks in flight (taken, not yet delivered) each hold one of the window's buffers, so their indices lie within
            // [next to deliver, next to deliver + window) and a ring of the window's size never has two in one slot.
            _ready = new TrialChunk?[_window];
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
                var simulator = new TrialSimulator(model, options.Seed);
                while (true)
                {
                    _buffers.Wait(stop.Token);
                    long index = Interlocked.Increment(ref _nextChunk);
                    if (index >= chunks)
                    {
                        _buffers.Release();
                        return;
                    }

                    TrialChunk chunk;
                    lock (_lock)
                    {
                        chunk = _free.Count > 0 ? _free.Pop() : NewChunk(model, options);
                    }

                    int count = Fill(simulator, chunk, options, index, store, stop.Token);
                    progress?.Report(Interlocked.Add(ref _done, count));
                    Deliver(index, chunk, stop.Token);
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

        /// <summary>Puts a finished chunk in its slot; the worker that finds the awaited chunk there hands chunks on until one is missing.</summary>
        private void Deliver(long index, TrialChunk chunk, CancellationToken stop)
        {
            lock (_lock)
            {
                _ready[index % _window] = chunk;
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
                    TrialChunk? next;
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

                    consumer.Consume(next);
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
