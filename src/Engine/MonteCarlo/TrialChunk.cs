using System.Runtime.InteropServices;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>
/// A run of consecutive trials: each trial's row (per service its downtime, unplanned incidents and planned downtime; per data
/// set the hours and GB lost) and the trials' incident and data-loss records, in trial order. Trials are simulated, stored,
/// merged and handed to consumers chunk by chunk; a chunk's buffers are reused for the next one, so a run of any length
/// allocates nothing per trial once its chunks have grown.
/// </summary>
public sealed class TrialChunk : ITrialSink
{
    private readonly double[] _downtime;
    private readonly int[] _incidentCounts;
    private readonly double[] _planned;
    private readonly double[] _lossHours;
    private readonly double[] _lossGb;
    private readonly List<IncidentRecord> _incidents = [];
    private readonly List<DataLossRecord> _losses = [];

    /// <summary>Creates an empty chunk for up to <paramref name="capacity"/> trials.</summary>
    /// <param name="services">Services per row. Range: ≥ 0.</param>
    /// <param name="dataSets">Data sets per row. Range: ≥ 0.</param>
    /// <param name="capacity">Trials it holds at most. Range: ≥ 1.</param>
    public TrialChunk(int services, int dataSets, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(services);
        ArgumentOutOfRangeException.ThrowIfNegative(dataSets);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Services = services;
        DataSets = dataSets;
        Capacity = capacity;
        _downtime = new double[checked(services * capacity)];
        _incidentCounts = new int[checked(services * capacity)];
        _planned = new double[checked(services * capacity)];
        _lossHours = new double[checked(dataSets * capacity)];
        _lossGb = new double[checked(dataSets * capacity)];
    }

    /// <summary>Gets the number of services of a row.</summary>
    public int Services { get; }

    /// <summary>Gets the number of data sets of a row.</summary>
    public int DataSets { get; }

    /// <summary>Gets the largest number of trials the chunk holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the global index of the chunk's first trial.</summary>
    public long FirstTrial { get; private set; }

    /// <summary>Gets the number of trials in the chunk.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the incidents of the chunk's trials, in trial order then start order.</summary>
    public ReadOnlySpan<IncidentRecord> Incidents => CollectionsMarshal.AsSpan(_incidents);

    /// <summary>Gets the data losses of the chunk's trials, in trial order then start order.</summary>
    public ReadOnlySpan<DataLossRecord> Losses => CollectionsMarshal.AsSpan(_losses);

    /// <summary>Empties the chunk; the next trial added is trial <paramref name="firstTrial"/>.</summary>
    public void Reset(long firstTrial)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstTrial);
        FirstTrial = firstTrial;
        Count = 0;
        _incidents.Clear();
        _losses.Clear();
    }

    /// <summary>Downtime of service <paramref name="service"/> in the chunk's trial <paramref name="row"/> (0 is its first), hours.</summary>
    public double Downtime(int row, int service) => _downtime[Cell(row, Services, service)];

    /// <summary>Unplanned incidents of service <paramref name="service"/> started in trial <paramref name="row"/>.</summary>
    public int IncidentCount(int row, int service) => _incidentCounts[Cell(row, Services, service)];

    /// <summary>Planned downtime of service <paramref name="service"/> in trial <paramref name="row"/>, hours.</summary>
    public double PlannedDowntime(int row, int service) => _planned[Cell(row, Services, service)];

    /// <summary>Hours of changes of data set <paramref name="dataSet"/> lost in trial <paramref name="row"/>.</summary>
    public double LossHours(int row, int dataSet) => _lossHours[Cell(row, DataSets, dataSet)];

    /// <summary>GB of data set <paramref name="dataSet"/> lost in trial <paramref name="row"/>.</summary>
    public double LossGb(int row, int dataSet) => _lossGb[Cell(row, DataSets, dataSet)];

    /// <summary>The per-service downtimes of trial <paramref name="row"/>, in scenario order.</summary>
    public ReadOnlySpan<double> DowntimeRow(int row) => _downtime.AsSpan(Row(row) * Services, Services);

    /// <summary>The per-service incident counts of trial <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> IncidentCountRow(int row) => _incidentCounts.AsSpan(Row(row) * Services, Services);

    /// <summary>The per-service planned downtimes of trial <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> PlannedDowntimeRow(int row) => _planned.AsSpan(Row(row) * Services, Services);

    /// <summary>The per-data-set hours lost in trial <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> LossHoursRow(int row) => _lossHours.AsSpan(Row(row) * DataSets, DataSets);

    /// <summary>The per-data-set GB lost in trial <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> LossGbRow(int row) => _lossGb.AsSpan(Row(row) * DataSets, DataSets);

    /// <summary>Appends the next trial's row; its records go through <see cref="OnIncident"/> and <see cref="OnDataLoss"/>.</summary>
    /// <exception cref="InvalidOperationException">The chunk is full.</exception>
    public void AddTrial(ReadOnlySpan<double> downtime, ReadOnlySpan<int> incidents, ReadOnlySpan<double> planned, ReadOnlySpan<double> lossHours, ReadOnlySpan<double> lossGb)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"The chunk holds {Capacity} trials already.");
        }

        int services = Services * Count;
        int dataSets = DataSets * Count;
        downtime.CopyTo(_downtime.AsSpan(services, Services));
        incidents.CopyTo(_incidentCounts.AsSpan(services, Services));
        planned.CopyTo(_planned.AsSpan(services, Services));
        lossHours.CopyTo(_lossHours.AsSpan(dataSets, DataSets));
        lossGb.CopyTo(_lossGb.AsSpan(dataSets, DataSets));
        Count++;
    }

    /// <summary>Records an incident of one of the chunk's trials; records must come in trial order.</summary>
    public void OnIncident(in IncidentRecord incident) => _incidents.Add(incident);

    /// <summary>Records a data loss of one of the chunk's trials; records must come in trial order.</summary>
    public void OnDataLoss(in DataLossRecord loss) => _losses.Add(loss);

    /// <summary>Appends the rows of at most <paramref name="count"/> trials of <paramref name="table"/> from <paramref name="firstTrial"/> (global index), stopping when the chunk is full or the table ends.</summary>
    /// <returns>The number of rows appended.</returns>
    public int AddRows(TrialTable table, long firstTrial, long count)
    {
        ArgumentNullException.ThrowIfNull(table);
        int added = 0;
        long end = Math.Min(table.FirstTrial + table.Trials, firstTrial + count);
        for (long t = firstTrial; t < end && Count < Capacity; t++)
        {
            int services = Services * Count;
            for (int s = 0; s < Services; s++)
            {
                _downtime[services + s] = table.Downtime(t, s);
                _incidentCounts[services + s] = table.IncidentCount(t, s);
                _planned[services + s] = table.PlannedDowntime(t, s);
            }

            int dataSets = DataSets * Count;
            for (int d = 0; d < DataSets; d++)
            {
                _lossHours[dataSets + d] = table.LossHours(t, d);
                _lossGb[dataSets + d] = table.LossGb(t, d);
            }

            Count++;
            added++;
        }

        return added;
    }

    private int Row(int row) => (uint)row < (uint)Count
        ? row
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"The chunk holds rows 0..{Count - 1}.");

    private int Cell(int row, int width, int index) => (Row(row) * width) + index;
}
