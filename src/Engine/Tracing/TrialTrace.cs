using System.Collections.Immutable;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Engine.Tracing;

/// <summary>One entry of a traced trial: a step of the engine, or the summary of an incident that just closed.</summary>
/// <param name="Time">When it happened, hours since the trial's start; never earlier than the entry before it.</param>
/// <param name="Step">The engine's step; for an incident summary, the default value.</param>
/// <param name="IsIncident">Whether this entry is an incident summary rather than a step.</param>
/// <param name="Incident">
/// For an incident summary, the incident; for a <see cref="TraceKind.ServiceDown"/> step, the incident it opens (so its
/// cause is known when it starts); otherwise null.
/// </param>
/// <param name="Losses">For an incident summary, the data lost in it (one per data set recovered); otherwise empty.</param>
public sealed record TraceEntry(double Time, TraceEvent Step, bool IsIncident, IncidentRecord? Incident, ImmutableArray<DataLossRecord> Losses);

/// <summary>
/// The replay of one trial with every step the engine took: what struck, what went down, detection, decisions,
/// failover, restores, failback, each incident's outcome, and the trial's totals.
/// </summary>
/// <remarks>
/// The replay runs the very same simulation as a batch run: trial <c>K</c> with seed <c>S</c> gives the same incidents and
/// totals as row <c>K</c> of a run with seed <c>S</c>, whatever the number of trials or threads of that run.
/// Entries come in the order the engine took its steps. A recovery point chosen from a replica is stamped by the engine
/// with the moment the data stopped changing; its entry's <see cref="TraceEntry.Time"/> is when it was chosen.
/// </remarks>
public sealed class TrialTrace
{
    private TrialTrace(Scenario scenario, ulong seed, long trial, ImmutableArray<TraceEntry> entries, TrialSimulator simulator)
    {
        Scenario = scenario;
        Seed = seed;
        Trial = trial;
        Entries = entries;
        Incidents = [.. entries.Where(e => e.IsIncident).Select(e => e.Incident!.Value)];
        DataLosses = [.. entries.SelectMany(e => e.Losses)];
        DowntimeHours = simulator.TrialDowntime.ToImmutableArray();
        PlannedDowntimeHours = simulator.TrialPlannedDowntime.ToImmutableArray();
        IncidentCounts = simulator.TrialIncidents.ToImmutableArray();
        LossHours = simulator.TrialLossHours.ToImmutableArray();
        LossGb = simulator.TrialLossGb.ToImmutableArray();
        Cost = CostModel.Trial(scenario, simulator.TrialDowntime, simulator.TrialIncidents, simulator.TrialLossHours, simulator.TrialLossGb);
    }

    /// <summary>Gets the scenario traced.</summary>
    public Scenario Scenario { get; }

    /// <summary>Gets the master seed.</summary>
    public ulong Seed { get; }

    /// <summary>Gets the trial index.</summary>
    public long Trial { get; }

    /// <summary>Gets every entry, in the order the engine took its steps.</summary>
    public ImmutableArray<TraceEntry> Entries { get; }

    /// <summary>Gets the trial's incidents, as a batch run records them.</summary>
    public ImmutableArray<IncidentRecord> Incidents { get; }

    /// <summary>Gets the trial's data losses, as a batch run records them.</summary>
    public ImmutableArray<DataLossRecord> DataLosses { get; }

    /// <summary>Gets, per service, the downtime inside the horizon, hours (the trial's row in the trial table).</summary>
    public ImmutableArray<double> DowntimeHours { get; }

    /// <summary>Gets each service's planned downtime (maintenance, failback) inside the horizon, hours.</summary>
    public ImmutableArray<double> PlannedDowntimeHours { get; }

    /// <summary>Gets, per service, the number of incidents that started in the trial.</summary>
    public ImmutableArray<int> IncidentCounts { get; }

    /// <summary>Gets, per data set, the hours of changes lost.</summary>
    public ImmutableArray<double> LossHours { get; }

    /// <summary>Gets, per data set, the GB lost.</summary>
    public ImmutableArray<double> LossGb { get; }

    /// <summary>Gets the trial's cost.</summary>
    public TrialCost Cost { get; }

    /// <summary>Replays trial <paramref name="trial"/> of <paramref name="scenario"/> with <paramref name="seed"/>, recording every step.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="seed">The master seed of the run the trial belongs to.</param>
    /// <param name="trial">The trial index. Range: ≥ 0.</param>
    public static TrialTrace Run(Scenario scenario, ulong seed, long trial)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfNegative(trial);
        var simulator = new TrialSimulator(SimulationModel.Compile(scenario), seed);
        var sink = new RecordingSink();
        simulator.Run(trial, sink);
        return new TrialTrace(scenario, seed, trial, sink.Build(), simulator);
    }

    private sealed class RecordingSink : ITrialSink
    {
        private readonly List<TraceEntry> _entries = [];
        private readonly List<DataLossRecord> _pendingLosses = [];
        private double _clock;

        public bool WantsTrace => true;

        public void OnTrace(in TraceEvent step)
        {
            _clock = Math.Max(_clock, step.Time);
            _entries.Add(new TraceEntry(_clock, step, false, null, []));
        }

        // The engine reports an incident's losses just before the incident itself, when it closes.
        public void OnDataLoss(in DataLossRecord loss) => _pendingLosses.Add(loss);

        public void OnIncident(in IncidentRecord incident)
        {
            _clock = Math.Max(_clock, incident.StartHours + incident.DowntimeHours);
            _entries.Add(new TraceEntry(_clock, default, true, incident, [.. _pendingLosses]));
            _pendingLosses.Clear();
        }

        public ImmutableArray<TraceEntry> Build()
        {
            // Give each ServiceDown step the incident it opens: the next incident summary of the same service.
            var open = new Dictionary<int, int>();
            for (int i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                if (entry.IsIncident)
                {
                    int service = entry.Incident!.Value.Service;
                    if (open.Remove(service, out int down))
                    {
                        _entries[down] = _entries[down] with { Incident = entry.Incident };
                    }
                }
                else if (entry.Step.Kind == TraceKind.ServiceDown)
                {
                    open[entry.Step.Subject] = i;
                }
            }

            return [.. _entries];
        }
    }
}
