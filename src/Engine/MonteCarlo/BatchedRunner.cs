using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>The outcome of a run extended batch by batch until a check was satisfied.</summary>
/// <param name="Result">The run: the very result of a plain run of as many trials.</param>
/// <param name="Satisfied">Whether the check held after the last batch (false: the trial budget ran out first).</param>
public sealed record BatchedOutcome(RunResult Result, bool Satisfied);

/// <summary>Runs one scenario's trials from 0 in consecutive batches, streaming every chunk, until a check after a batch is satisfied.</summary>
/// <remarks>
/// Batches follow <see cref="PrecisionRunner.NextBatch"/> (the first of <see cref="PrecisionTarget.BatchTrials"/>, then a
/// quarter of the trials so far, at least that), and every chunk goes in trial order to the run's statistics and to the
/// hooks' consumers, as in <see cref="MonteCarloRunner.Run(Scenario, RunOptions, RunHooks, IProgress{long}?, CancellationToken)"/>.
/// A consumer's output does not depend on where chunks begin and end, so the statistics and every streamed file after N
/// trials are those of a plain run of N trials with the same seed; nothing but the statistics' values is held, whatever N.
/// </remarks>
public static class BatchedRunner
{
    /// <summary>Runs batches until <paramref name="satisfied"/> returns true after one, or <see cref="PrecisionTarget.MaxTrials"/> trials have run.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Seed, threads and the exact-value budget; its trial count and first trial are ignored (the run starts at trial 0).</param>
    /// <param name="budget">The first batch and the most trials; its precision is not read here.</param>
    /// <param name="hooks">The consumers of every chunk; must not keep records (their table is sized up front) nor checkpoint.</param>
    /// <param name="satisfied">Asked after each batch, with the trials run so far; typically reads a consumer among the hooks'.</param>
    /// <param name="progress">Receives the number of trials completed now and then.</param>
    /// <param name="cancellationToken">Stops the run; throws <see cref="OperationCanceledException"/>.</param>
    public static BatchedOutcome Run(
        Scenario scenario,
        RunOptions options,
        PrecisionTarget budget,
        RunHooks hooks,
        Func<long, bool> satisfied,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(satisfied);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget.BatchTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget.MaxTrials, budget.BatchTrials);
        if (hooks.KeepRecords || hooks.Store is not null)
        {
            throw new ArgumentException("A run extended batch by batch streams its chunks: it keeps no records and takes no checkpoint store.", nameof(hooks));
        }

        var model = SimulationModel.Compile(scenario);
        var statistics = new RunStatisticsBuilder(scenario, model, options with { FirstTrial = 0 });
        var consumer = new ConsumerChain([statistics, .. hooks.Consumers]);
        long trials = 0;
        while (true)
        {
            long batch = PrecisionRunner.NextBatch(trials, budget);
            var offset = progress is null ? null : new OffsetProgress(progress, trials);
            MonteCarloRunner.Simulate(model, options with { FirstTrial = trials, Trials = batch }, null, consumer, offset, cancellationToken);
            trials += batch;
            bool done = satisfied(trials);
            if (done || trials >= budget.MaxTrials)
            {
                return new BatchedOutcome(statistics.Build(null, trials), done);
            }
        }
    }

    // A batch reports the trials it completed; the run's progress counts those of the batches before it too.
    private sealed class OffsetProgress(IProgress<long> progress, long offset) : IProgress<long>
    {
        public void Report(long value) => progress.Report(offset + value);
    }
}
