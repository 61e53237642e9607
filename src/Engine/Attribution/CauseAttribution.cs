using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Attribution;

/// <summary>What an attributed quantity is: a service's downtime, a data set's loss in hours or GB, or the penalties.</summary>
public enum AttributedMetric
{
    /// <summary>Unplanned downtime of a service inside the horizon, hours per trial.</summary>
    Downtime,

    /// <summary>Hours of changes lost from a data set per trial.</summary>
    LossHours,

    /// <summary>GB lost from a data set per trial.</summary>
    LossGb,

    /// <summary>Penalties per trial (outage, per-incident and data-loss prices), in the scenario's currency.</summary>
    Penalties,
}

/// <summary>The share of one quantity that one cause brought, per trial.</summary>
/// <param name="Metric">The quantity.</param>
/// <param name="Entity">The service or data set (its index); -1 for the penalties of the whole scenario.</param>
/// <param name="Kind">Threat or component failure.</param>
/// <param name="Cause">The threat's or component's index in the scenario.</param>
/// <param name="PerTrial">The statistics of the per-trial values (zeros included).</param>
public sealed record CauseShare(AttributedMetric Metric, int Entity, CauseKind Kind, int Cause, Summary PerTrial);

/// <summary>
/// Attributes unplanned downtime, data loss and penalties to their causes, trial by trial, as the run's chunks go by.
/// </summary>
/// <remarks>
/// An incident counts entirely towards the cause that started it (overlapping causes merge into one incident, named by
/// the first, as in incidents.csv); its downtime is cut at the horizon, so a service's causes add up to its downtime per
/// trial. A data set's loss goes to the cause of its service's incident that began at the same moment. Only pairs of an
/// entity and a cause that occur at least once are kept: an endpoint fleet of 400 laptops has 400 causes, not 160,000.
/// </remarks>
public sealed class CauseAttribution : ITrialChunkConsumer
{
    private readonly Scenario _scenario;
    private readonly double _horizon;
    private readonly int[] _serviceOfDataSet;
    private readonly long _exactLimit;
    private readonly int _threats;
    private readonly int _causes;
    private readonly int _services;
    private readonly int _dataSets;
    private readonly bool _priced;

    // One row per (metric, entity): downtime of each service, loss hours and GB of each data set, the penalties; one
    // column per cause: the threats, then the components. Flat arrays, so an incident costs a few stores, not lookups.
    private readonly Series?[] _series;
    private readonly double[] _trial;
    private readonly List<int> _touched = [];
    private long _trials;

    /// <summary>The values kept exactly by all the series together (64 MiB), shared evenly among the pairs of an entity and a cause that could occur; past its share a series' percentiles come from its sketch (0.1% relative).</summary>
    public const long ExactBudget = 1L << 23;

    /// <summary>Creates the attribution of a run of <paramref name="scenario"/>.</summary>
    /// <param name="scenario">The scenario.</param>
    public CauseAttribution(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _horizon = scenario.Simulation.HorizonHours;
        var services = scenario.Services.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        _serviceOfDataSet = [.. scenario.DataSets.Select(d => services.TryGetValue(d.Service, out int s) ? s : -1)];
        _threats = scenario.Threats.Length;
        _causes = _threats + scenario.Components.Length;
        _services = scenario.Services.Length;
        _dataSets = scenario.DataSets.Length;
        _priced = Costs.CostModel.HasCosts(scenario);
        int rows = _services + (2 * _dataSets) + 1;
        _exactLimit = Math.Max(4096, ExactBudget / Math.Max(1L, (long)rows * _causes));
        _series = new Series?[rows * _causes];
        _trial = new double[rows * _causes];
    }

    /// <inheritdoc/>
    public void Consume(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var incidents = chunk.Incidents;
        var losses = chunk.Losses;
        int i = 0;
        int l = 0;
        for (int row = 0; row < chunk.Count; row++)
        {
            long trial = chunk.FirstTrial + row;
            int first = i;
            for (; i < incidents.Length && incidents[i].Trial == trial; i++)
            {
                ref readonly var incident = ref incidents[i];
                if (Column(incident.CauseKind, incident.CauseIndex) is not int cause)
                {
                    continue;
                }

                double inside = Math.Max(0, Math.Min(incident.DowntimeHours, _horizon - incident.StartHours));
                AddToTrial(incident.Service, cause, inside);
                if (_priced)
                {
                    var costs = _scenario.Services[incident.Service].Costs;
                    AddToTrial(PenaltiesRow, cause, (inside * costs.OutagePerHour) + costs.PerIncident);
                }
            }

            for (; l < losses.Length && losses[l].Trial == trial; l++)
            {
                ref readonly var loss = ref losses[l];
                if (CauseOf(incidents[first..i], _serviceOfDataSet[loss.DataSet], loss.StartHours) is not int cause)
                {
                    continue;
                }

                AddToTrial(_services + loss.DataSet, cause, loss.LossHours);
                AddToTrial(_services + _dataSets + loss.DataSet, cause, loss.LossGb);
                if (_priced)
                {
                    var costs = _scenario.DataSets[loss.DataSet].Costs;
                    AddToTrial(PenaltiesRow, cause, (loss.LossHours * costs.LossPerHour) + (loss.LossGb * costs.LossPerGb));
                }
            }

            foreach (int cell in _touched)
            {
                var series = _series[cell] ??= new Series(new ValueCollector(_exactLimit));
                series.Add(_trials + row, _trial[cell]);
                _trial[cell] = 0;
            }

            _touched.Clear();
        }

        _trials += chunk.Count;
    }

    /// <summary>The attributed shares, by metric, entity, cause kind and cause; each summarises one value per trial.</summary>
    public IReadOnlyList<CauseShare> Results()
    {
        var shares = new List<CauseShare>();
        for (int cell = 0; cell < _series.Length; cell++)
        {
            if (_series[cell] is not { } series)
            {
                continue;
            }

            int row = cell / _causes;
            int column = cell % _causes;
            var (metric, entity) = row < _services ? (AttributedMetric.Downtime, row)
                : row < _services + _dataSets ? (AttributedMetric.LossHours, row - _services)
                : row < _services + (2 * _dataSets) ? (AttributedMetric.LossGb, row - _services - _dataSets)
                : (AttributedMetric.Penalties, -1);
            var (kind, cause) = column < _threats ? (CauseKind.Threat, column) : (CauseKind.ComponentFailure, column - _threats);
            shares.Add(new CauseShare(metric, entity, kind, cause, series.Summarize(_trials)));
        }

        return shares;
    }

    private int PenaltiesRow => _services + (2 * _dataSets);

    // Unplanned causes only: planned work and failbacks are no one's fault and are reported apart.
    private int? Column(CauseKind kind, int index) => kind switch
    {
        CauseKind.Threat => index,
        CauseKind.ComponentFailure => _threats + index,
        CauseKind.Maintenance or CauseKind.Failback => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a cause kind"),
    };

    // The cause of the service's incident that began when the data was lost.
    private int? CauseOf(ReadOnlySpan<IncidentRecord> incidents, int service, double start)
    {
        foreach (ref readonly var incident in incidents)
        {
            if (incident.Service == service && incident.StartHours == start && Column(incident.CauseKind, incident.CauseIndex) is int column)
            {
                return column;
            }
        }

        return null;
    }

    private void AddToTrial(int row, int cause, double value)
    {
        if (value == 0)
        {
            return;
        }

        int cell = (row * _causes) + cause;
        if (_trial[cell] == 0)
        {
            _touched.Add(cell);
        }

        _trial[cell] += value;
    }

    // One series of per-trial values; the trials without a value are zeros, filled in when the next value comes.
    private sealed class Series(ValueCollector values)
    {
        public void Add(long index, double value)
        {
            while (values.Count < index)
            {
                values.Add(0);
            }

            values.Add(value);
        }

        public Summary Summarize(long trials)
        {
            while (values.Count < trials)
            {
                values.Add(0);
            }

            return values.Summarize();
        }
    }
}
