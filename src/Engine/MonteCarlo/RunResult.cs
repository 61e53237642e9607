using DisasterSim.Engine.Costs;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>How a Monte Carlo run is made.</summary>
/// <param name="Trials">Number of trials. Range: ≥ 1.</param>
/// <param name="Seed">Master seed.</param>
/// <param name="Threads">Worker threads. Range: ≥ 1. Results do not depend on it.</param>
public sealed record RunOptions(long Trials, ulong Seed, int Threads)
{
    /// <summary>The default of <see cref="ExactValueBudget"/>: 2^26 stored values, 512 MiB.</summary>
    public const long DefaultExactValueBudget = 1L << 26;

    /// <summary>Gets how many values (nonzero values and runs of zeros, 8 bytes each) the run's statistics keep exactly, shared among them; beyond it a statistic's percentiles come from a quantile sketch. Range: ≥ 0.</summary>
    /// <remarks>Part of what determines the result (like the seed): a shard set is merged with the default.</remarks>
    public long ExactValueBudget { get; init; } = DefaultExactValueBudget;

    /// <summary>Gets the trials per chunk: the unit of work of a thread, of a checkpoint and of what consumers receive. Range: 1 to <see cref="MonteCarloRunner.ChunkSize"/>.</summary>
    /// <remarks>Results do not depend on it. Fewer trials per chunk bound the memory of scenarios whose trials hold many incidents (see <see cref="RunProfile.ChunkTrials"/>).</remarks>
    public int ChunkTrials
    {
        get => _chunkTrials;
        init => _chunkTrials = value is >= 1 and <= MonteCarloRunner.ChunkSize ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"Chunks hold 1 to {MonteCarloRunner.ChunkSize} trials.");
    }

    private readonly int _chunkTrials = MonteCarloRunner.ChunkSize;

    /// <summary>Gets whether every trial is simulated in checking mode: the model's invariants after every event (slower; the same results).</summary>
    public bool Check { get; init; }

    /// <summary>Gets the index of the first trial run; the run covers trials <c>FirstTrial</c> to <c>FirstTrial + Trials - 1</c>. Range: ≥ 0.</summary>
    /// <remarks>Trial indices are global: trial <c>i</c> is the same whichever range contains it, which is what makes shards mergeable.</remarks>
    public long FirstTrial { get; init; }
}

/// <summary>Statistics of one service over a run.</summary>
/// <param name="Name">Service name.</param>
/// <param name="RtoHours">Its RTO, if set.</param>
/// <param name="DowntimePerTrial">Unplanned downtime inside each trial's horizon, hours.</param>
/// <param name="DowntimePerIncident">Downtime of each unplanned incident, hours.</param>
/// <param name="IncidentBreachProbability">Share of incidents whose downtime exceeds the RTO (0 without one).</param>
/// <param name="TrialBreachProbability">Share of trials holding at least one such incident.</param>
public sealed record ServiceStatistics(
    string Name,
    double? RtoHours,
    Summary DowntimePerTrial,
    Summary DowntimePerIncident,
    double IncidentBreachProbability,
    double TrialBreachProbability)
{
    /// <summary>Gets the planned downtime (maintenance, failback) inside each trial's horizon, hours; null when not computed.</summary>
    public Summary? PlannedDowntimePerTrial { get; init; }
}

/// <summary>Statistics of one data set over a run.</summary>
/// <param name="Name">Data set name.</param>
/// <param name="RpoHours">Its RPO, if set.</param>
/// <param name="LossHoursPerTrial">Hours of changes lost in each trial.</param>
/// <param name="LossGbPerTrial">GB lost in each trial.</param>
/// <param name="LossHoursPerIncident">Hours lost in each incident that lost data.</param>
/// <param name="LossGbPerIncident">GB lost in each incident that lost data.</param>
/// <param name="IncidentBreachProbability">Share of loss incidents whose loss exceeds the RPO.</param>
/// <param name="TrialBreachProbability">Share of trials holding at least one such incident.</param>
/// <param name="TotalLossProbability">Share of trials in which no recovery point survived an incident.</param>
public sealed record DataSetStatistics(
    string Name,
    double? RpoHours,
    Summary LossHoursPerTrial,
    Summary LossGbPerTrial,
    Summary LossHoursPerIncident,
    Summary LossGbPerIncident,
    double IncidentBreachProbability,
    double TrialBreachProbability,
    double TotalLossProbability);

/// <summary>Per-trial results, one row per trial, in trial order.</summary>
/// <remarks>Rows are addressed by global trial index, from <see cref="FirstTrial"/> to <see cref="FirstTrial"/> + <see cref="Trials"/> - 1.</remarks>
public sealed class TrialTable
{
    private readonly double[] _downtime;
    private readonly double[] _planned;
    private readonly int[] _incidents;
    private readonly double[] _lossHours;
    private readonly double[] _lossGb;

    /// <summary>Creates an empty table for <paramref name="trials"/> trials starting at trial 0.</summary>
    public TrialTable(long trials, int services, int dataSets)
        : this(0, trials, services, dataSets)
    {
    }

    /// <summary>Creates an empty table for the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="trials"/> - 1.</summary>
    public TrialTable(long firstTrial, long trials, int services, int dataSets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstTrial);
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        FirstTrial = firstTrial;
        Trials = trials;
        Services = services;
        DataSets = dataSets;
        _downtime = new double[checked(trials * services)];
        _planned = new double[checked(trials * services)];
        _incidents = new int[checked(trials * services)];
        _lossHours = new double[checked(trials * dataSets)];
        _lossGb = new double[checked(trials * dataSets)];
    }

    /// <summary>Gets the global index of the first row's trial.</summary>
    public long FirstTrial { get; }

    /// <summary>Gets the number of trials.</summary>
    public long Trials { get; }

    /// <summary>Gets the number of services.</summary>
    public int Services { get; }

    /// <summary>Gets the number of data sets.</summary>
    public int DataSets { get; }

    /// <summary>Downtime of a service inside a trial's horizon, hours.</summary>
    public double Downtime(long trial, int service) => _downtime[Row(trial, Services) + service];

    /// <summary>Planned downtime (maintenance windows, failbacks) of a service inside a trial's horizon, hours.</summary>
    public double PlannedDowntime(long trial, int service) => _planned[Row(trial, Services) + service];

    /// <summary>Number of unplanned incidents of a service that started in a trial.</summary>
    public int IncidentCount(long trial, int service) => _incidents[Row(trial, Services) + service];

    /// <summary>Hours of changes of a data set lost in a trial.</summary>
    public double LossHours(long trial, int dataSet) => _lossHours[Row(trial, DataSets) + dataSet];

    /// <summary>GB of a data set lost in a trial.</summary>
    public double LossGb(long trial, int dataSet) => _lossGb[Row(trial, DataSets) + dataSet];

    /// <summary>The downtime column of one service, in trial order.</summary>
    public double[] DowntimeColumn(int service) => Column(_downtime, Services, service);

    /// <summary>The planned-downtime column of one service, in trial order.</summary>
    public double[] PlannedDowntimeColumn(int service) => Column(_planned, Services, service);

    /// <summary>The hours-lost column of one data set, in trial order.</summary>
    public double[] LossHoursColumn(int dataSet) => Column(_lossHours, DataSets, dataSet);

    /// <summary>The GB-lost column of one data set, in trial order.</summary>
    public double[] LossGbColumn(int dataSet) => Column(_lossGb, DataSets, dataSet);

    /// <summary>Records a service's results in a trial; only while the table is being filled (by the runner or a reader of stored trials).</summary>
    public void SetService(long trial, int service, double downtime, int incidents, double planned = 0)
    {
        _downtime[Row(trial, Services) + service] = downtime;
        _planned[Row(trial, Services) + service] = planned;
        _incidents[Row(trial, Services) + service] = incidents;
    }

    /// <summary>Copies every row of <paramref name="part"/>, a table of a sub-range of this one's trials.</summary>
    public void CopyFrom(TrialTable part)
    {
        ArgumentNullException.ThrowIfNull(part);
        for (long trial = part.FirstTrial; trial < part.FirstTrial + part.Trials; trial++)
        {
            for (int s = 0; s < Services; s++)
            {
                SetService(trial, s, part.Downtime(trial, s), part.IncidentCount(trial, s), part.PlannedDowntime(trial, s));
            }

            for (int d = 0; d < DataSets; d++)
            {
                SetDataSet(trial, d, part.LossHours(trial, d), part.LossGb(trial, d));
            }
        }
    }

    /// <summary>Records a data set's results in a trial; only while the table is being filled (by the runner or a reader of stored trials).</summary>
    public void SetDataSet(long trial, int dataSet, double lossHours, double lossGb)
    {
        _lossHours[Row(trial, DataSets) + dataSet] = lossHours;
        _lossGb[Row(trial, DataSets) + dataSet] = lossGb;
    }

    private long Row(long trial, int width)
    {
        long row = trial - FirstTrial;
        if ((ulong)row >= (ulong)Trials)
        {
            throw new ArgumentOutOfRangeException(nameof(trial), trial, $"Trial outside this table's range {FirstTrial}..{FirstTrial + Trials - 1}.");
        }

        return row * width;
    }

    private double[] Column(double[] values, int width, int index)
    {
        var column = new double[Trials];
        for (long t = 0; t < Trials; t++)
        {
            column[t] = values[(t * width) + index];
        }

        return column;
    }
}

/// <summary>What a run produced: its statistics and, when asked for, its per-trial rows and records.</summary>
/// <param name="Scenario">The scenario run.</param>
/// <param name="Options">How it was run.</param>
/// <param name="Services">Statistics per service, in scenario order.</param>
/// <param name="DataSets">Statistics per data set, in scenario order.</param>
/// <param name="Costs">Statistics of the cost per trial.</param>
public sealed record RunResult(
    Scenario Scenario,
    RunOptions Options,
    IReadOnlyList<ServiceStatistics> Services,
    IReadOnlyList<DataSetStatistics> DataSets,
    CostStatistics Costs)
{
    /// <summary>Gets the per-trial rows and the records of the run, or null when the run did not keep them (<see cref="RunHooks.KeepRecords"/>).</summary>
    public RunRecords? Records { get; init; }

    /// <summary>Gets the statistics whose values outgrew the exact budget, so that their percentiles come from a quantile sketch; empty for most runs.</summary>
    public IReadOnlyList<string> SketchedStatistics { get; init; } = [];

    /// <summary>Gets one row per trial.</summary>
    /// <exception cref="InvalidOperationException">The run did not keep its records.</exception>
    public TrialTable Trials => KeptRecords.Table;

    /// <summary>Gets every service incident, in trial order then start order.</summary>
    /// <exception cref="InvalidOperationException">The run did not keep its records.</exception>
    public IReadOnlyList<IncidentRecord> Incidents => KeptRecords.Incidents;

    /// <summary>Gets every data loss, in trial order then start order.</summary>
    /// <exception cref="InvalidOperationException">The run did not keep its records.</exception>
    public IReadOnlyList<DataLossRecord> DataLosses => KeptRecords.Losses;

    /// <summary>Gets the per-trial rows and records of a run that kept them.</summary>
    /// <exception cref="InvalidOperationException">The run did not keep its records.</exception>
    public RunRecords KeptRecords => Records ?? throw new InvalidOperationException(
        "This run streamed its trials to its consumers without keeping them; run with RunHooks.KeepRecords to read them afterwards.");
}

/// <summary>The per-trial rows and the records of a run (or a range of its trials), kept in memory.</summary>
/// <param name="Table">One row per trial.</param>
/// <param name="Incidents">Every service incident, in trial order then start order.</param>
/// <param name="Losses">Every data loss, in trial order then start order.</param>
public sealed record RunRecords(TrialTable Table, List<IncidentRecord> Incidents, List<DataLossRecord> Losses)
{
    /// <summary>Hands the rows and records to <paramref name="consumer"/> in chunks of at most <paramref name="chunkSize"/> trials, in trial order.</summary>
    public void Replay(ITrialChunkConsumer consumer, int chunkSize = MonteCarloRunner.ChunkSize) =>
        Replay(consumer, Table.FirstTrial, Table.Trials, chunkSize);

    /// <summary>Hands the rows and records of the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="count"/> − 1 to <paramref name="consumer"/>, in chunks, in trial order.</summary>
    public void Replay(ITrialChunkConsumer consumer, long firstTrial, long count, int chunkSize = MonteCarloRunner.ChunkSize)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        if (firstTrial < Table.FirstTrial || count < 0 || firstTrial + count > Table.FirstTrial + Table.Trials)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Trials {firstTrial}..{firstTrial + count - 1} are not all in {Table.FirstTrial}..{Table.FirstTrial + Table.Trials - 1}.");
        }

        var chunk = new TrialChunk(Table.Services, Table.DataSets, chunkSize);
        int incident = 0;
        int loss = 0;
        while (incident < Incidents.Count && Incidents[incident].Trial < firstTrial)
        {
            incident++;
        }

        while (loss < Losses.Count && Losses[loss].Trial < firstTrial)
        {
            loss++;
        }

        for (long first = firstTrial; first < firstTrial + count; first += chunk.Count)
        {
            chunk.Reset(first);
            chunk.AddRows(Table, first, firstTrial + count - first);
            long end = first + chunk.Count;
            for (; incident < Incidents.Count && Incidents[incident].Trial < end; incident++)
            {
                chunk.OnIncident(Incidents[incident]);
            }

            for (; loss < Losses.Count && Losses[loss].Trial < end; loss++)
            {
                chunk.OnDataLoss(Losses[loss]);
            }

            consumer.Consume(chunk);
        }
    }
}

/// <summary>Keeps the chunks of a run as <see cref="RunRecords"/>: its rows in one table, its records in two lists.</summary>
public sealed class RecordKeeper : ITrialChunkConsumer
{
    private readonly TrialTable _table;
    private readonly List<IncidentRecord> _incidents = [];
    private readonly List<DataLossRecord> _losses = [];

    /// <summary>Keeps the rows in <paramref name="table"/>, which must cover every trial consumed.</summary>
    public RecordKeeper(TrialTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>Keeps the rows of the trials <paramref name="firstTrial"/> to <paramref name="firstTrial"/> + <paramref name="trials"/> − 1 in a new table.</summary>
    public RecordKeeper(long firstTrial, long trials, int services, int dataSets)
        : this(new TrialTable(firstTrial, trials, services, dataSets))
    {
    }

    /// <inheritdoc/>
    public void Consume(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        for (int row = 0; row < chunk.Count; row++)
        {
            long trial = chunk.FirstTrial + row;
            for (int s = 0; s < chunk.Services; s++)
            {
                _table.SetService(trial, s, chunk.Downtime(row, s), chunk.IncidentCount(row, s), chunk.PlannedDowntime(row, s));
            }

            for (int d = 0; d < chunk.DataSets; d++)
            {
                _table.SetDataSet(trial, d, chunk.LossHours(row, d), chunk.LossGb(row, d));
            }
        }

        _incidents.AddRange(chunk.Incidents);
        _losses.AddRange(chunk.Losses);
    }

    /// <summary>Gets what was kept.</summary>
    public RunRecords Records() => new(_table, _incidents, _losses);
}
