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
    private readonly Dictionary<(AttributedMetric Metric, int Entity, CauseKind Kind, int Cause), Series> _series = [];
    private readonly Dictionary<(AttributedMetric, int, CauseKind, int), double> _trial = [];
    private long _trials;

    /// <summary>Creates the attribution of a run of <paramref name="scenario"/>.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="exactLimit">Values kept exactly per series before its percentiles come from a sketch. Range: ≥ 0.</param>
    public CauseAttribution(Scenario scenario, long exactLimit = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _horizon = scenario.Simulation.HorizonHours;
        _exactLimit = exactLimit;
        var services = scenario.Services.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        _serviceOfDataSet = [.. scenario.DataSets.Select(d => services.TryGetValue(d.Service, out int s) ? s : -1)];
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
            _trial.Clear();
            int first = i;
            for (; i < incidents.Length && incidents[i].Trial == trial; i++)
            {
                ref readonly var incident = ref incidents[i];
                if (incident.CauseKind is not (CauseKind.Threat or CauseKind.ComponentFailure))
                {
                    continue;
                }

                var costs = _scenario.Services[incident.Service].Costs;
                double inside = Math.Max(0, Math.Min(incident.DowntimeHours, _horizon - incident.StartHours));
                AddToTrial(AttributedMetric.Downtime, incident.Service, incident.CauseKind, incident.CauseIndex, inside);
                AddToTrial(AttributedMetric.Penalties, -1, incident.CauseKind, incident.CauseIndex, (inside * costs.OutagePerHour) + costs.PerIncident);
            }

            for (; l < losses.Length && losses[l].Trial == trial; l++)
            {
                ref readonly var loss = ref losses[l];
                if (!CauseOf(incidents[first..i], _serviceOfDataSet[loss.DataSet], loss.StartHours, out var kind, out int cause))
                {
                    continue;
                }

                var costs = _scenario.DataSets[loss.DataSet].Costs;
                AddToTrial(AttributedMetric.LossHours, loss.DataSet, kind, cause, loss.LossHours);
                AddToTrial(AttributedMetric.LossGb, loss.DataSet, kind, cause, loss.LossGb);
                AddToTrial(AttributedMetric.Penalties, -1, kind, cause, (loss.LossHours * costs.LossPerHour) + (loss.LossGb * costs.LossPerGb));
            }

            foreach (var (key, value) in _trial)
            {
                if (!_series.TryGetValue(key, out var series))
                {
                    series = new Series(new ValueCollector(_exactLimit));
                    _series.Add(key, series);
                }

                series.Add(_trials + row, value);
            }
        }

        _trials += chunk.Count;
    }

    /// <summary>The attributed shares, by metric, entity, cause kind and cause; each summarises one value per trial.</summary>
    public IReadOnlyList<CauseShare> Results()
    {
        var shares = new List<CauseShare>();
        foreach (var (key, series) in _series.OrderBy(s => s.Key.Metric).ThenBy(s => s.Key.Entity).ThenBy(s => s.Key.Kind).ThenBy(s => s.Key.Cause))
        {
            shares.Add(new CauseShare(key.Metric, key.Entity, key.Kind, key.Cause, series.Summarize(_trials)));
        }

        return shares;
    }

    // The cause of the service's incident that began when the data was lost.
    private static bool CauseOf(ReadOnlySpan<IncidentRecord> incidents, int service, double start, out CauseKind kind, out int cause)
    {
        foreach (ref readonly var incident in incidents)
        {
            if (incident.Service == service && incident.StartHours == start && incident.CauseKind is CauseKind.Threat or CauseKind.ComponentFailure)
            {
                kind = incident.CauseKind;
                cause = incident.CauseIndex;
                return true;
            }
        }

        kind = default;
        cause = -1;
        return false;
    }

    private void AddToTrial(AttributedMetric metric, int entity, CauseKind kind, int cause, double value)
    {
        if (value == 0)
        {
            return;
        }

        var key = (metric, entity, kind, cause);
        _trial[key] = _trial.GetValueOrDefault(key) + value;
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
