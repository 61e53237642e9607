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

/// <summary>Everything a run produced: per-trial rows, incidents, and statistics.</summary>
/// <param name="Scenario">The scenario run.</param>
/// <param name="Options">How it was run.</param>
/// <param name="Trials">One row per trial.</param>
/// <param name="Incidents">Every service incident, in trial order then start order.</param>
/// <param name="DataLosses">Every data loss, in trial order then start order.</param>
/// <param name="Services">Statistics per service, in scenario order.</param>
/// <param name="DataSets">Statistics per data set, in scenario order.</param>
public sealed record RunResult(
    Scenario Scenario,
    RunOptions Options,
    TrialTable Trials,
    IReadOnlyList<IncidentRecord> Incidents,
    IReadOnlyList<DataLossRecord> DataLosses,
    IReadOnlyList<ServiceStatistics> Services,
    IReadOnlyList<DataSetStatistics> DataSets);
