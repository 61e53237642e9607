using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Simulates one trial at a time: a discrete-event loop that hands each event to the mechanism it concerns, then lets the
/// estate, the data copies and the services settle. One instance per worker thread; every buffer is reused across trials,
/// so the steady state allocates nothing per event. A trial is a pure function of (model, seed, trial).
/// </summary>
/// <remarks>
/// The mechanisms, each in its own file: <see cref="FailureProcesses"/> (with <see cref="RaisedRates"/>), <see cref="Threats"/>, <see cref="PowerChain"/>,
/// <see cref="Estate"/> (what works), <see cref="DataCopies"/> (copies on a change clock; backups are computed, never
/// events), <see cref="Detection"/>, <see cref="ServiceLifecycle"/>, <see cref="RecoveryActions"/> (decisions, failover, restores),
/// <see cref="Failbacks"/>, <see cref="Incidents"/> (records and totals), <see cref="Crews"/> (people, when the scenario has
/// crews), and <see cref="TrialChecks"/> in checking mode.
/// </remarks>
public sealed class TrialSimulator
{
    /// <summary>A bound on one trial's events, so that a defect or an absurd scenario fails instead of hanging.</summary>
    private const int MaxEventsPerTrial = 50_000_000;

    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly FailureProcesses _failures;
    private readonly RaisedRates _raised;
    private readonly PowerChain _power;
    private readonly Threats _threats;
    private readonly DataCopies _copies;
    private readonly Incidents _incidents;
    private readonly ServiceLifecycle _lifecycle;
    private readonly RecoveryActions _recovery;
    private readonly Failbacks _failback;
    private readonly Crews? _crews;
    private readonly StandbySites? _sites;

    /// <summary>Whether a service requires another, or a standby site has bounded places: then every change is followed by their settling.</summary>
    private readonly bool _settleServices;
    private readonly LazyStream[] _cleanupRng;
    private readonly TrialChecks? _checks;

    /// <summary>Creates a simulator for <paramref name="model"/> with master seed <paramref name="seed"/>.</summary>
    public TrialSimulator(SimulationModel model, ulong seed)
        : this(model, seed, check: false)
    {
    }

    /// <summary>Creates a simulator; with <paramref name="check"/>, the model's invariants are checked after every event.</summary>
    /// <exception cref="InvariantViolationException">In checking mode, when a trial breaks an invariant.</exception>
    public TrialSimulator(SimulationModel model, ulong seed, bool check)
    {
        _kernel = new TrialKernel(model, seed);
        _estate = new Estate(_kernel);
        _failures = new FailureProcesses(_kernel, _estate);
        _power = new PowerChain(_kernel, _estate);
        _raised = new RaisedRates(_kernel, _failures);
        _crews = model.Crews is { } crews ? new Crews(_kernel, crews) : null;
        _threats = new Threats(_kernel, _estate, _power, _raised, _crews);
        _copies = new DataCopies(_kernel, _estate);
        _incidents = new Incidents(_kernel);
        var detection = new Detection(_kernel, _estate, _incidents);
        _lifecycle = new ServiceLifecycle(_kernel, _estate, _copies, detection, _incidents, _threats);
        _sites = model.Graph.HasBoundedSites ? new StandbySites(_kernel, _lifecycle) : null;
        _settleServices = model.Graph.HasRequirements || _sites is not null;
        _recovery = new RecoveryActions(_kernel, _lifecycle, _estate, _copies, _incidents, new Outlook(_kernel, _estate, _threats, _power, _lifecycle), _sites, _crews);
        _crews?.Attach(_recovery, _threats);
        _failback = new Failbacks(_kernel, _lifecycle, _estate, _copies, _incidents, _threats, _recovery);
        _lifecycle.Attach(_recovery, _failback, _sites);
        _cleanupRng = [.. model.Threats.Select(t => new LazyStream(t.LengthStream))];
        _checks = check ? new TrialChecks(_kernel, _estate, _copies, _lifecycle, _incidents, _recovery.Shared, _threats, _crews, _sites) : null;
    }

    /// <summary>
    /// Gets each service's unplanned downtime inside the horizon in the last trial, hours: its incidents' unplanned hours,
    /// plus the downtime-equivalent hours of running degraded at a standby that carries part of its load.
    /// </summary>
    public ReadOnlySpan<double> TrialDowntime => _lifecycle.Degraded is { } degraded ? degraded.DowntimeEquivalent : _incidents.Downtime;

    /// <summary>Gets each service's unplanned hours of incidents inside the horizon in the last trial (without degraded hours).</summary>
    internal ReadOnlySpan<double> TrialIncidentDowntime => _incidents.Downtime;

    /// <summary>Gets each service's planned downtime (maintenance, failback) inside the horizon in the last trial, hours.</summary>
    public ReadOnlySpan<double> TrialPlannedDowntime => _incidents.Planned;

    /// <summary>Gets each service's number of unplanned incidents in the last trial.</summary>
    public ReadOnlySpan<int> TrialIncidents => _incidents.Count;

    /// <summary>
    /// Gets each service's downtime-equivalent hours of running degraded (at a standby carrying part of its load) inside the
    /// horizon in the last trial: zeros for a scenario without such a standby.
    /// </summary>
    public ReadOnlySpan<double> TrialDegradedHours => _lifecycle.Degraded is { } degraded ? degraded.Hours : _noDegradedHours;

    /// <summary>Gets each data set's hours of changes lost in the last trial.</summary>
    public ReadOnlySpan<double> TrialLossHours => _incidents.LossHours;

    /// <summary>Gets each data set's GB lost in the last trial.</summary>
    public ReadOnlySpan<double> TrialLossGb => _incidents.LossGb;

    private readonly double[] _noDegradedHours = [];

    /// <summary>Gets the number of events processed in the last trial.</summary>
    public int EventCount { get; private set; }

    /// <summary>Runs trial <paramref name="trial"/>; incidents and losses go to <paramref name="sink"/>.</summary>
    public void Run(long trial, ITrialSink? sink)
    {
        Begin(trial, sink);
        var queue = _kernel.Queue;
        double horizon = _kernel.Horizon;
        int events = 0;
        while (queue.TryPop(out var e))
        {
            if (e.Time > horizon)
            {
                // Past the horizon, only open incidents are followed, and for the follow-up period at most.
                if (_incidents.OpenCount == 0)
                {
                    break;
                }

                if (e.Time > _kernel.FollowUpEnd)
                {
                    break;
                }
            }

            if (++events > MaxEventsPerTrial)
            {
                ThrowTooManyEvents(trial);
            }

            // A component's own failures and repairs are most events; the rest are dispatched out of line.
            switch (e.Kind)
            {
                case EventKind.ComponentFailure:
                    if (_failures.OnFailure(e.Target, e.Time))
                    {
                        Settle(e.Time, new Cause(CauseKind.ComponentFailure, e.Target));
                    }

                    break;
                case EventKind.ComponentRepair:
                    if (_failures.OnRepair(e.Target, e.Time))
                    {
                        Settle(e.Time, new Cause(CauseKind.ComponentFailure, e.Target));
                    }

                    break;
                default:
                    Dispatch(in e);
                    break;
            }

            _checks?.AfterEvent(e.Time);
        }

        if (_incidents.OpenCount > 0)
        {
            _lifecycle.CloseUnresolved(_kernel.FollowUpEnd);
        }

        _lifecycle.Degraded?.EndTrial(_incidents.Downtime);
        EventCount = events;
        _checks?.EndTrial(this);
    }

    /// <summary>Every mechanism back to the start of trial <paramref name="trial"/>: out of line, once a trial.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Begin(long trial, ITrialSink? sink)
    {
        _kernel.Begin(trial, _checks?.Wrap(sink) ?? sink);
        _estate.Reset();
        _power.Reset();
        _copies.Reset();
        _incidents.Reset();
        _lifecycle.Reset();
        _recovery.Reset();
        _sites?.Reset();
        _failures.Reset();
        _raised.Reset();
        _crews?.Reset();
        _threats.Reset();
        _checks?.BeginTrial();
    }

    private static void ThrowTooManyEvents(long trial) => throw new InvalidOperationException(
        $"trial {trial} exceeded {MaxEventsPerTrial:N0} events; the scenario's rates are implausibly high, or this is an engine defect (please report it with the scenario and seed)");

    /// <summary>Every event but a component's own failure or repair.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Dispatch(in SimEvent e)
    {
        double now = e.Time;
        switch (e.Kind)
        {
            case EventKind.ThreatArrival:
                OnThreatArrival(e.Target, e.Arg, now);
                break;
            case EventKind.ThreatEnd:
                OnThreatEnd(e.Target, e.Arg, now);
                break;
            case EventKind.PowerLost:
                if (_power.OnPowerLost(e.Target, e.Arg, out var cause))
                {
                    _estate.UpdateAll(now);
                    Settle(now, cause);
                }

                break;
            case EventKind.Detonation:
                OnDetonation(e.Target, _threats.InfectedAt(e.Arg), now);
                break;
            case EventKind.Detection:
                _lifecycle.OnDetection(e.Target, e.Arg, now);
                break;
            case EventKind.DecisionDue:
                _recovery.OnDecisionDue(e.Target, e.Arg, now);
                break;
            case EventKind.FailoverDone:
                _recovery.OnFailoverDone(e.Target, e.Arg, now);
                break;
            case EventKind.RestoreDone:
                _recovery.OnRestoreDone(e.Target, e.Arg, now);
                break;
            case EventKind.FailbackDue:
                _failback.OnFailbackDue(e.Target, e.Arg, now);
                break;
            case EventKind.FailbackDone:
                _failback.OnFailbackDone(e.Target, e.Arg, now);
                break;
            case EventKind.AgedFailure:
                if (_failures.IsCurrent(e.Target, e.Arg) && _failures.OnFailure(e.Target, now))
                {
                    Settle(now, new Cause(CauseKind.ComponentFailure, e.Target));
                }

                break;
            case EventKind.RaisedRateEnds:
                _raised.OnWindowEnd(e.Target, e.Arg, now);
                break;
            case EventKind.ReplicaProgress:
                _copies.OnLinkProgress(e.Target, e.Arg, now);
                break;
            case EventKind.CrewGrant:
                _crews!.OnGrant(now);
                break;
            case EventKind.CrewRelease:
                _recovery.OnCrewRelease(e.Target, e.Arg, now);
                break;
            case EventKind.PlacesFree:
                _sites!.OnPlacesFree(e.Target, now);
                break;
            case EventKind.ComponentFailure or EventKind.ComponentRepair:
                throw new InvalidOperationException("A component's own failure or repair is handled in the event loop.");
        }

        if (_settleServices)
        {
            SettleServices(now);
        }
    }

    /// <summary>
    /// After a change: the services that require a service that started or stopped running are evaluated again, and free
    /// places at bounded standby sites are handed out to the services in line (at the end of the moment).
    /// </summary>
    private void SettleServices(double now)
    {
        _lifecycle.SettleDependents(now);
        _sites?.AfterChange(now);
    }

    /// <summary>The copies, then the services, catch up with a change of the estate that <paramref name="cause"/> made.</summary>
    /// <returns>How many services went down.</returns>
    private int Settle(double now, in Cause cause)
    {
        if (_estate.DataChanged)
        {
            _estate.DataChanged = false;
            _copies.Refresh(now);
        }

        int down = _lifecycle.EvaluateAll(now, cause);
        if (_settleServices)
        {
            SettleServices(now);
        }

        return down;
    }

    private void OnThreatArrival(int t, int window, double now)
    {
        var threat = _kernel.Model.Threats[t];
        if (threat.Planned)
        {
            _incidents.WindowChanged(t, +1, now);
        }

        int instance = _threats.OnArrival(t, window, now);
        if (instance < 0)
        {
            return;
        }

        _estate.UpdateAll(now);
        int down = Settle(now, new Cause(threat.Planned ? CauseKind.Maintenance : CauseKind.Threat, t));
        if (threat.EndsAfterDetection && down == 0 && _threats.Instances[instance].AwaitingFix)
        {
            // It caused no incident that anybody could detect: it lasts its duration.
            _threats.EndWithoutDetection(instance);
        }
    }

    private void OnThreatEnd(int t, int instance, double now)
    {
        var threat = _kernel.Model.Threats[t];
        if (threat.Planned && _threats.Instances[instance].FloodSite < 0)
        {
            _incidents.WindowChanged(t, -1, now);
        }

        _threats.OnEnd(instance, now);
        _estate.UpdateAll(now);
        Settle(now, new Cause(threat.Planned ? CauseKind.Maintenance : CauseKind.Threat, t));
    }

    /// <summary>Ransomware detonates: data stored in its scope is corrupt since the infection, with every replica and later backup.</summary>
    private void OnDetonation(int t, double infectedAt, double now)
    {
        var threat = _kernel.Model.Threats[t];
        double cleanup = _kernel.Sample(threat.Length, ref _cleanupRng[t]);
        _kernel.Trace(now, TraceKind.Detonated, t, value: cleanup, value2: infectedAt);
        var dataSets = _kernel.Model.DataSets;
        for (int d = 0; d < dataSets.Length; d++)
        {
            int storage = dataSets[d].Storage;
            if (_threats.InScope(t, _estate.SiteOf(storage), storage))
            {
                _copies.Detonate(d, infectedAt, now);
                _lifecycle.CleanUpUntil(dataSets[d].Service, now + cleanup);
            }
        }

        // Backup copies the estate can write to are encrypted too, whenever they were taken.
        foreach (var reach in threat.Encrypts)
        {
            _kernel.Trace(now, TraceKind.BackupsEncrypted, reach.DataSet, reach.Backup);
        }

        _copies.Faults.Encrypt(threat.Encrypts.AsSpan(), now);
        Settle(now, new Cause(CauseKind.Threat, t));
    }
}
