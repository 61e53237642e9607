using System.Runtime.InteropServices;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Runs many independent trials of a scenario and reduces them in trial order.</summary>
public static class MonteCarloRunner
{
    /// <summary>Trials per unit of work handed to a thread.</summary>
    private const int ChunkSize = 1024;

    /// <summary>Runs <see cref="RunOptions.Trials"/> trials from <see cref="RunOptions.FirstTrial"/>; the result does not depend on the thread count.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Trial range, seed, threads.</param>
    /// <param name="progress">Receives the number of completed trials now and then.</param>
    /// <param name="cancellationToken">Stops the run; throws <see cref="OperationCanceledException"/>.</param>
    public static RunResult Run(Scenario scenario, RunOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Run(scenario, options, null, progress, cancellationToken);

    /// <summary>Runs like <see cref="Run(Scenario, RunOptions, IProgress{long}?, CancellationToken)"/>, taking completed chunks from <paramref name="store"/> and saving new ones to it.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Trial range, seed, threads.</param>
    /// <param name="store">Completed chunks of an earlier, interrupted run of the same scenario, options and engine; null to keep nothing.</param>
    /// <param name="progress">Receives the number of completed trials now and then.</param>
    /// <param name="cancellationToken">Stops the run; throws <see cref="OperationCanceledException"/>. Chunks saved before it stay saved.</param>
    public static RunResult Run(Scenario scenario, RunOptions options, ITrialChunkStore? store, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Trials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.FirstTrial);
        var model = SimulationModel.Compile(scenario);
        var block = Simulate(model, options.Seed, options.Threads, options.FirstTrial, options.Trials, store, progress, cancellationToken);
        return Summarize(scenario, options, block.Table, block.Incidents, block.Losses);
    }

    /// <summary>Simulates trials <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1; the rows do not depend on the thread count.</summary>
    internal static TrialBlock Simulate(SimulationModel model, ulong seed, int threadCount, long first, long count, IProgress<long>? progress, CancellationToken cancellationToken) =>
        Simulate(model, seed, threadCount, first, count, null, progress, cancellationToken);

    private static TrialBlock Simulate(SimulationModel model, ulong seed, int threadCount, long first, long count, ITrialChunkStore? store, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var table = new TrialTable(first, count, model.Services.Length, model.DataSets.Length);
        int chunks = (int)((count + ChunkSize - 1) / ChunkSize);
        var sinks = new ListSink[chunks];
        int nextChunk = -1;
        long done = 0;

        void Work()
        {
            var simulator = new TrialSimulator(model, seed);
            int chunk;
            while ((chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sink = new ListSink();
                long from = first + ((long)chunk * ChunkSize);
                long to = Math.Min(from + ChunkSize, first + count);
                if (store is null || !store.TryLoad(from, to - from, table, sink))
                {
                    for (long trial = from; trial < to; trial++)
                    {
                        simulator.Run(trial, sink);
                        Record(table, simulator, trial);
                    }

                    store?.Save(from, to - from, table, sink.Incidents, sink.Losses);
                }

                sinks[chunk] = sink;
                progress?.Report(Interlocked.Add(ref done, to - from));
            }
        }

        int threads = (int)Math.Min(threadCount, chunks);
        if (threads == 1)
        {
            Work();
        }
        else
        {
            var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(Work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            try
            {
                Task.WaitAll(workers, CancellationToken.None);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return new TrialBlock(first, table, Concatenate(sinks, s => s.Incidents), Concatenate(sinks, s => s.Losses));
    }

    /// <summary>Joins the chunks' records in trial order into a list of the exact size, releasing each chunk's list once copied.</summary>
    private static List<T> Concatenate<T>(ListSink[] sinks, Func<ListSink, List<T>> records)
    {
        var all = new List<T>(sinks.Sum(s => records(s).Count));
        foreach (var sink in sinks)
        {
            var list = records(sink);
            all.AddRange(list);
            list.Clear();
            list.TrimExcess();
        }

        return all;
    }

    /// <summary>Joins consecutive blocks, starting at trial 0, into the result of a run of <see cref="RunOptions.Trials"/> trials.</summary>
    internal static RunResult Reduce(Scenario scenario, SimulationModel model, RunOptions options, IReadOnlyList<TrialBlock> blocks)
    {
        TrialTable table;
        if (blocks.Count == 1)
        {
            table = blocks[0].Table;
        }
        else
        {
            table = new TrialTable(options.FirstTrial, options.Trials, model.Services.Length, model.DataSets.Length);
            foreach (var block in blocks)
            {
                table.CopyFrom(block.Table);
            }
        }

        return Summarize(scenario, options, table, blocks.SelectMany(b => b.Incidents).ToList(), blocks.SelectMany(b => b.Losses).ToList());
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

        var model = SimulationModel.Compile(scenario);
        return new RunResult(
            scenario,
            options,
            table,
            incidents,
            losses,
            model.Services.Select((s, i) => ServiceStats(s, i, table, incidents)).ToList(),
            model.DataSets.Select((d, i) => DataSetStats(d, i, table, losses)).ToList());
    }

    private static void Record(TrialTable table, TrialSimulator simulator, long trial)
    {
        for (int s = 0; s < table.Services; s++)
        {
            table.SetService(trial, s, simulator.TrialDowntime[s], simulator.TrialIncidents[s], simulator.TrialPlannedDowntime[s]);
        }

        for (int d = 0; d < table.DataSets; d++)
        {
            table.SetDataSet(trial, d, simulator.TrialLossHours[d], simulator.TrialLossGb[d]);
        }
    }

    private static ServiceStatistics ServiceStats(CompiledService service, int index, TrialTable table, List<IncidentRecord> incidents)
    {
        // One pass over what may be tens of millions of records, without copying them.
        var perIncident = new List<double>();
        long breaches = 0;
        long breachedTrials = 0;
        long lastBreachedTrial = -1;
        double rto = service.RtoHours ?? double.PositiveInfinity;
        foreach (ref readonly var x in CollectionsMarshal.AsSpan(incidents))
        {
            if (x.Service != index || x.CauseKind is not (CauseKind.Threat or CauseKind.ComponentFailure))
            {
                continue;
            }

            perIncident.Add(x.DowntimeHours);
            if (x.DowntimeHours > rto)
            {
                breaches++;
                if (x.Trial != lastBreachedTrial)
                {
                    // Records come in trial order, so a trial's breaches are consecutive among the breaches.
                    breachedTrials++;
                    lastBreachedTrial = x.Trial;
                }
            }
        }

        double incidentBreach = 0;
        double trialBreach = 0;
        if (service.RtoHours is not null)
        {
            incidentBreach = perIncident.Count == 0 ? 0 : breaches / (double)perIncident.Count;
            trialBreach = breachedTrials / (double)table.Trials;
        }

        return new ServiceStatistics(
            service.Name,
            service.RtoHours,
            Summaries.Summarize(table.DowntimeColumn(index)),
            Summaries.Summarize(CollectionsMarshal.AsSpan(perIncident)),
            incidentBreach,
            trialBreach)
        {
            PlannedDowntimePerTrial = Summaries.Summarize(table.PlannedDowntimeColumn(index)),
        };
    }

    private static DataSetStatistics DataSetStats(CompiledDataSet dataSet, int index, TrialTable table, List<DataLossRecord> losses)
    {
        var mine = losses.Where(x => x.DataSet == index).ToList();
        double incidentBreach = 0;
        double trialBreach = 0;
        if (dataSet.RpoHours is double rpo)
        {
            var breaches = mine.Where(x => x.TotalLoss || x.LossHours > rpo).ToList();
            incidentBreach = mine.Count == 0 ? 0 : breaches.Count / (double)mine.Count;
            trialBreach = breaches.Select(x => x.Trial).Distinct().Count() / (double)table.Trials;
        }

        double totalLoss = mine.Where(x => x.TotalLoss).Select(x => x.Trial).Distinct().Count() / (double)table.Trials;
        return new DataSetStatistics(
            dataSet.Name,
            dataSet.RpoHours,
            Summaries.Summarize(table.LossHoursColumn(index)),
            Summaries.Summarize(table.LossGbColumn(index)),
            Summaries.Summarize(mine.Select(x => x.LossHours).ToArray()),
            Summaries.Summarize(mine.Select(x => x.LossGb).ToArray()),
            incidentBreach,
            trialBreach,
            totalLoss);
    }

    private sealed class ListSink : ITrialSink
    {
        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

        public void OnDataLoss(in DataLossRecord loss) => Losses.Add(loss);
    }

    /// <summary>The rows and records of a consecutive range of trials.</summary>
    internal sealed record TrialBlock(long First, TrialTable Table, List<IncidentRecord> Incidents, List<DataLossRecord> Losses);
}
