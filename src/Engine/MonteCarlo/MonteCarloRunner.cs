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
/// chunks are handed to the consumers strictly in trial order (see <see cref="ChunkPipeline"/>). At most a few chunks per
/// thread are in flight, so memory does not grow with the trials and a slow consumer (a file on a slow disk) holds the
/// workers back instead of piling chunks up.
/// </remarks>
public static class MonteCarloRunner
{
    /// <summary>Trials per unit of work handed to a thread, and per chunk handed to consumers.</summary>
    public const int ChunkSize = 1024;

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

    internal static void Simulate(SimulationModel model, RunOptions options, ITrialChunkStore? store, ITrialChunkConsumer consumer, IProgress<long>? progress, CancellationToken cancellationToken) =>
        new ChunkPipeline([model], [true], options.Seed, options.FirstTrial, options.Trials, [store], new VariantChunks(0, consumer), progress, options.ChunkTrials, options.Check).Run(options.Threads, cancellationToken);
}
