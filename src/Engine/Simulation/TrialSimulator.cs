using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Simulates one trial at a time: a discrete-event loop over failures, threats, detections,
/// failovers and restores. One instance per worker thread; every buffer is reused across trials,
/// so the steady state allocates nothing per event. A trial is a pure function of (model, seed, trial).
/// </summary>
/// <remarks>
/// Backups are never events: the newest usable recovery point is computed from the schedule at the
/// moment data is lost, against the logged down periods of the storage it copies.
/// </remarks>
public sealed class TrialSimulator
{
    private const double FollowUpHours = 5 * SimulationSettings.HoursPerYear;

    /// <summary>A bound on one trial's events, so that a defect or an absurd scenario fails instead of hanging.</summary>
    private const int MaxEventsPerTrial = 50_000_000;

    private readonly SimulationModel _model;
    private readonly ulong _seed;
    private readonly EventQueue _queue = new();
    private readonly double _horizon;

    private readonly LazyStream[] _arrivalRng;
    private readonly LazyStream[] _lengthRng;
    private readonly LazyStream[] _detectionRng;
    private readonly LazyStream[] _failoverRng;
    private readonly LazyStream[] _lagRng;
    private readonly LazyStream[] _threatSideRng;
    private readonly LazyStream[] _outcomeRng;
    private readonly LazyStream[] _monitorRng;

    /// <summary>Each component's fixed data, in scenario order.</summary>
    private readonly ComponentInfo[] _componentInfo;

    /// <summary>Each component's state in the current trial, in scenario order.</summary>
    private readonly ComponentState[] _components;

    /// <summary>Every component in dependency order (<see cref="SimulationModel.ComponentOrder"/>).</summary>
    private readonly int[] _componentOrder;

    /// <summary>
    /// <see cref="SimulationModel.Downstream"/> in one array: component c's list is the
    /// <see cref="ComponentInfo.DownstreamCount"/> entries from <see cref="ComponentInfo.DownstreamStart"/>.
    /// </summary>
    private readonly int[] _downstream;
    private readonly RequirementState _requirements;
    private readonly IntervalLog?[] _downLog;
    private readonly int[] _regionActive;
    private readonly int[] _awaitingFix;
    private readonly double[] _fixLength;

    private readonly int[] _siteOutage;
    private readonly int[] _siteDestroyed;
    private readonly double[] _siteDownSince;
    private readonly double[] _siteRebuiltAt;

    /// <summary>Each service's fixed data that the incident path reads, in scenario order.</summary>
    private readonly ServiceInfo[] _serviceInfo;

    /// <summary>The data sets of every service, service after service (<see cref="DataSetsOf"/>).</summary>
    private readonly int[] _serviceDataSets;
    private readonly ServiceState[] _services;
    private readonly DataState[] _data;

    private readonly double[] _trialDowntime;
    private readonly double[] _trialPlanned;
    private readonly LazyStream[] _peopleRng;
    private readonly int[] _trialIncidents;
    private readonly double[] _trialLossHours;
    private readonly double[] _trialLossGb;

    /// <summary>The infection times of this trial's pending detonations, indexed by the detonation event's argument.</summary>
    private double[] _infections = new double[8];
    private int _infectionCount;

    private long _trial;

    /// <summary>The source-independent part of this trial's stream seeds (<see cref="RandomStreams.TrialKey"/>).</summary>
    private ulong _trialKey;

    /// <summary>How many trials this simulator has started: a stream seeded in an earlier one is stale.</summary>
    private long _run;
    private int _openIncidents;
    private CauseKind _causeKind;
    private int _causeIndex;
    private double _causeEndsAt;
    private int _wentDown;
    private ITrialSink? _sink;
    private bool _tracing;

    /// <summary>Creates a simulator for <paramref name="model"/> with master seed <paramref name="seed"/>.</summary>
    public TrialSimulator(SimulationModel model, ulong seed)
    {
        _model = model;
        _seed = seed;
        _horizon = model.HorizonHours;
        int components = model.Components.Length;
        int sites = model.SiteRegion.Length;
        int services = model.Services.Length;
        int dataSets = model.DataSets.Length;
        int threats = model.Threats.Length;

        _arrivalRng = [.. model.Threats.Select(t => new LazyStream(t.ArrivalStream))];
        _lengthRng = [.. model.Threats.Select(t => new LazyStream(t.LengthStream))];
        _threatSideRng = [.. model.Threats.Select(t => new LazyStream(t.SideStream))];
        _detectionRng = [.. model.Services.Select(s => new LazyStream(s.DetectionStream))];
        _failoverRng = [.. model.Services.Select(s => new LazyStream(s.FailoverStream))];
        _outcomeRng = [.. model.Services.Select(s => new LazyStream(s.FailoverOutcomeStream))];
        _peopleRng = [.. model.Services.Select(s => new LazyStream(s.PeopleStream))];
        _monitorRng = [.. model.Monitors.Select(m => new LazyStream(m.DelayStream))];
        _lagRng = [.. model.DataSets.Select(d => new LazyStream(d.LagStream))];
        _regionActive = new int[model.Scenario.Regions.Length];
        _awaitingFix = new int[threats];
        _fixLength = new double[threats];

        _requirements = new RequirementState(
            model.Requirements,
            model.Services.SelectMany(s => s.ActiveSites.Select(a => a.Requires).Append(s.Requires).Append(s.StandbyRequires)));
        var holdsData = new bool[components];
        foreach (var dataSet in model.DataSets)
        {
            holdsData[dataSet.Storage] = true;
            foreach (var location in dataSet.Replicas.Select(r => r.Target).Concat(dataSet.Backups.Select(b => b.Destination)))
            {
                if (location.Kind == LocationKind.Component)
                {
                    holdsData[location.Index] = true;
                }
            }
        }

        // Only a data set's storage has its down periods read back (to judge the backups taken from it).
        _downLog = new IntervalLog?[components];
        foreach (var dataSet in model.DataSets)
        {
            _downLog[dataSet.Storage] ??= new IntervalLog();
        }

        _components = new ComponentState[components];
        _componentOrder = [.. model.ComponentOrder];
        _downstream = [.. model.Downstream.SelectMany(d => d)];
        _componentInfo = new ComponentInfo[components];
        for (int c = 0, start = 0; c < components; start += model.Downstream[c].Length, c++)
        {
            _componentInfo[c] = new ComponentInfo(model.Components[c], holdsData[c], start, model.Downstream[c].Length, _downLog[c]);
        }

        _siteOutage = new int[sites];
        _siteDestroyed = new int[sites];
        _siteDownSince = new double[sites];
        _siteRebuiltAt = new double[sites];

        _services = new ServiceState[services];
        _serviceDataSets = [.. model.ServiceDataSets.SelectMany(d => d)];
        _serviceInfo = new ServiceInfo[services];
        for (int s = 0, start = 0; s < services; start += model.ServiceDataSets[s].Length, s++)
        {
            _serviceInfo[s] = new ServiceInfo(model.Services[s], start, model.ServiceDataSets[s].Length, model.PrimaryWatch[s], model.StandbyWatch[s]);
        }

        _data = new DataState[dataSets];
        _trialDowntime = new double[services];
        _trialPlanned = new double[services];
        _trialIncidents = new int[services];
        _trialLossHours = new double[dataSets];
        _trialLossGb = new double[dataSets];
    }

    /// <summary>Gets each service's downtime inside the horizon in the last trial, hours.</summary>
    public ReadOnlySpan<double> TrialDowntime => _trialDowntime;

    /// <summary>Gets each service's planned downtime (maintenance, failback) inside the horizon in the last trial, hours.</summary>
    public ReadOnlySpan<double> TrialPlannedDowntime => _trialPlanned;

    /// <summary>Gets each service's number of unplanned incidents started in the last trial.</summary>
    public ReadOnlySpan<int> TrialIncidents => _trialIncidents;

    /// <summary>Gets each data set's hours of changes lost in the last trial.</summary>
    public ReadOnlySpan<double> TrialLossHours => _trialLossHours;

    /// <summary>Gets each data set's GB lost in the last trial.</summary>
    public ReadOnlySpan<double> TrialLossGb => _trialLossGb;

    /// <summary>Gets the number of events processed in the last trial.</summary>
    public int EventCount { get; private set; }

    /// <summary>Runs trial <paramref name="trial"/>; incidents and losses go to <paramref name="sink"/>.</summary>
    public void Run(long trial, ITrialSink? sink)
    {
        _trial = trial;
        _trialKey = RandomStreams.TrialKey(_seed, trial);
        _run++;
        _sink = sink;
        _tracing = sink?.WantsTrace == true;
        Reset(trial);
        int events = 0;
        while (_queue.TryPop(out var e))
        {
            if (e.Time > _horizon)
            {
                // Past the horizon, only open incidents are followed, and for the follow-up period at most.
                if (_openIncidents == 0)
                {
                    break;
                }

                if (e.Time > _horizon + FollowUpHours)
                {
                    CloseUnresolved(_horizon + FollowUpHours);
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
                    OnComponentFailure(e.Target, e.Time);
                    break;
                case EventKind.ComponentRepair:
                    OnComponentRepair(e.Target, e.Time);
                    break;
                default:
                    Dispatch(in e);
                    break;
            }
        }

        if (_openIncidents > 0)
        {
            CloseUnresolved(_horizon + FollowUpHours);
        }

        EventCount = events;
    }

    private void Reset(long trial)
    {
        _queue.Clear();
        _openIncidents = 0;
        _infectionCount = 0;
        _requirements.Reset();
        for (int c = 0; c < _components.Length; c++)
        {
            ref readonly var info = ref _componentInfo[c];
            ref var state = ref _components[c];
            state = new ComponentState
            {
                Up = true,
                RebuiltAt = double.NegativeInfinity,
                SideRng = new(info.SideStream),
            };
            _downLog[c]?.Clear();

            // The failure stream is drawn from at once, and the repair stream in nearly every trial of a component
            // that fails often enough to matter; the side stream waits for its first draw.
            if (info.Fails)
            {
                state.FailureRng = RandomStreams.ForTrial(_trialKey, info.FailureStream);
                state.RepairRng = RandomStreams.ForTrial(_trialKey, info.RepairStream);
                Schedule(info.TimeToFailure.Sample(ref state.FailureRng), EventKind.ComponentFailure, c);
            }
        }

        Array.Clear(_siteOutage);
        Array.Clear(_siteDestroyed);
        Array.Clear(_siteDownSince);
        Array.Fill(_siteRebuiltAt, double.NegativeInfinity);
        Array.Clear(_regionActive);
        Array.Clear(_awaitingFix);

        var threats = _model.Threats;
        for (int t = 0; t < threats.Length; t++)
        {
            ScheduleArrival(t, 0);
        }

        var services = _model.Services;
        for (int s = 0; s < services.Length; s++)
        {
            _services[s] = default;
            _trialDowntime[s] = 0;
            _trialPlanned[s] = 0;
            _trialIncidents[s] = 0;
        }

        var dataSets = _model.DataSets;
        for (int d = 0; d < dataSets.Length; d++)
        {
            _data[d] = default;
            _trialLossHours[d] = 0;
            _trialLossGb[d] = 0;
        }
    }

    /// <summary>Samples <paramref name="sampler"/> from a lazily seeded stream, seeding it only if the sampler draws.</summary>
    /// <remarks>A fixed value draws nothing and never moves its stream (see <see cref="Sampler"/>): the stream need not be seeded for it.</remarks>
    private double Sample(in Sampler sampler, ref LazyStream stream) =>
        sampler.Kind == DistributionKind.Fixed ? sampler.Sample(ref stream.Rng) : sampler.Sample(ref Draw(ref stream));

    /// <summary>The stream, seeded for the current trial if this is its first draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Xoshiro256StarStar Draw(ref LazyStream stream)
    {
        if (stream.SeededIn != _run)
        {
            Seed(ref stream);
        }

        return ref stream.Rng;
    }

    /// <summary>Out of line: once per stream and trial at most, so that a draw costs one test.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Seed(ref LazyStream stream)
    {
        stream.Rng = RandomStreams.ForTrial(_trialKey, stream.Key);
        stream.SeededIn = _run;
    }

    /// <summary>Schedules threat <paramref name="t"/>'s next arrival after <paramref name="now"/>, skipping inactive months.</summary>
    private void ScheduleArrival(int t, double now, int windowIndex = -1)
    {
        var threat = _model.Threats[t];
        if (threat.Planned)
        {
            // Maintenance windows come from the calendar, the same in every trial; Arg carries the window's index.
            int window = windowIndex + 1;
            if (window < threat.ScheduledStarts.Length)
            {
                _queue.Push(threat.ScheduledStarts[window], EventKind.ThreatArrival, t, window);
            }

            return;
        }

        if (!double.IsFinite(threat.MeanInterarrivalHours))
        {
            return;
        }

        double next = now + Sampler.ExponentialByMean(ref Draw(ref _arrivalRng[t]), threat.MeanInterarrivalHours);
        if (!threat.ActiveMonths.IsEmpty)
        {
            // Thinning: the process runs at the in-season rate all year; arrivals out of season are dropped.
            while (next < _horizon && !threat.ActiveMonths.Contains(_model.Scenario.Simulation.Start.AddHours(next).Month))
            {
                next += Sampler.ExponentialByMean(ref Draw(ref _arrivalRng[t]), threat.MeanInterarrivalHours);
            }
        }

        Schedule(next, EventKind.ThreatArrival, t);
    }

    /// <summary>Schedules an arrival-type event only when it falls inside the horizon.</summary>
    private void Schedule(double time, EventKind kind, int target)
    {
        if (time < _horizon)
        {
            _queue.Push(time, kind, target);
        }
    }

    private static void ThrowTooManyEvents(long trial) => throw new InvalidOperationException(
        $"trial {trial} exceeded {MaxEventsPerTrial:N0} events; the scenario's rates are implausibly high, or this is an engine defect (please report it with the scenario and seed)");

    /// <summary>Every event but a component's own failure or repair.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Dispatch(in SimEvent e)
    {
        double now = e.Time;
        switch (e.Kind)
        {
            case EventKind.ThreatArrival:
                OnThreatArrival(e.Target, e.Arg, now);
                break;
            case EventKind.FailbackStart:
                OnFailbackStart(e.Target, e.Arg, now);
                break;
            case EventKind.ThreatEnd:
                OnThreatEnd(e.Target, e.Arg, now);
                break;
            case EventKind.PowerLost:
                OnPowerLost(e.Target, e.Arg, now);
                break;
            case EventKind.Detonation:
                OnDetonation(e.Target, _infections[e.Arg], now);
                break;
            case EventKind.SiteRebuilt:
                _siteDestroyed[e.Target]--;
                _siteRebuiltAt[e.Target] = now;
                Propagate(now, destruction: false);
                break;
            case EventKind.Detection:
                if (IsCurrent(e.Target, e.Arg))
                {
                    ref var st = ref _services[e.Target];
                    st.Detected = true;
                    st.DetectedAt = now;
                    st.PeopleReadyAt = now + Response(e.Target, now);
                    Trace(now, TraceKind.Detected, e.Target, st.DetectedBy, st.PeopleReadyAt - now);
                    StartFixAfterDetection(in st, now);
                    Evaluate(e.Target, now);
                }

                break;
            case EventKind.FailoverDecision:
                if (IsCurrent(e.Target, e.Arg))
                {
                    _services[e.Target].Phase = Phase.None;
                    Evaluate(e.Target, now);
                }

                break;
            case EventKind.FailoverDone:
                if (IsCurrent(e.Target, e.Arg))
                {
                    OnFailoverDone(e.Target, now);
                }

                break;
            case EventKind.RestoreDone:
                if (IsCurrent(e.Target, e.Arg))
                {
                    OnRestoreDone(e.Target, now);
                }

                break;
        }
    }

    private bool IsCurrent(int service, int version) => _services[service].Version == version;

    /// <summary>How long until a person starts on it, by the calendar period at <paramref name="now"/>.</summary>
    private double Response(int s, double now)
    {
        var calendar = _model.Calendar;
        if (calendar is null)
        {
            return 0;
        }

        int period = calendar.PeriodAt(_model.CalendarTime(now));
        return Sample(_model.Response[period], ref _peopleRng[s]);
    }

    private void Trace(double time, TraceKind kind, int subject, int detail = 0, double value = 0, double value2 = 0)
    {
        if (_tracing)
        {
            TraceStep(time, kind, subject, detail, value, value2);
        }
    }

    /// <summary>Out of line, so that the inlined <see cref="Trace"/> costs an untraced run one test and no record.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TraceStep(double time, TraceKind kind, int subject, int detail, double value, double value2) =>
        _sink!.OnTrace(new TraceEvent(time, kind, subject, detail, value, value2));

    private void OnComponentFailure(int c, double now)
    {
        ref readonly var info = ref _componentInfo[c];
        ref var state = ref _components[c];
        _causeKind = CauseKind.ComponentFailure;
        _causeIndex = c;
        state.OwnDown = true;
        state.OwnSilent = info.SilentProbability > 0 && Draw(ref state.SideRng).NextDouble() < info.SilentProbability;
        if (info.Destroys)
        {
            state.Destroyed++;
        }

        double repair = info.TimeToRepair.Sample(ref state.RepairRng);
        _causeEndsAt = now + repair;
        Trace(now, TraceKind.ComponentFailed, c, state.OwnSilent ? 1 : 0, repair);
        _queue.Push(now + repair, EventKind.ComponentRepair, c);
        PropagateOwnChange(c, now, info.Destroys);
    }

    private void OnComponentRepair(int c, double now)
    {
        ref readonly var info = ref _componentInfo[c];
        ref var state = ref _components[c];
        state.OwnDown = false;
        Trace(now, TraceKind.ComponentRepaired, c);
        if (info.Destroys)
        {
            state.Destroyed--;
            state.RebuiltAt = now;
        }

        Schedule(now + info.TimeToFailure.Sample(ref state.FailureRng), EventKind.ComponentFailure, c);
        PropagateOwnChange(c, now, destruction: false);
    }

    private void OnThreatArrival(int t, int windowIndex, double now)
    {
        var threat = _model.Threats[t];
        ScheduleArrival(t, now, windowIndex);
        _causeKind = threat.Planned ? CauseKind.Maintenance : CauseKind.Threat;
        _causeIndex = t;
        if (threat.Effect == Effect.Corruption)
        {
            // The infection hides for its dwell time; the damage is found when it detonates.
            double dwell = Sample(threat.Dwell!.Value, ref _threatSideRng[t]);
            Trace(now, TraceKind.ThreatArrived, t, value: dwell);
            if (now + dwell < _horizon)
            {
                _queue.Push(now + dwell, EventKind.Detonation, t, RememberInfection(now));
            }
            return;
        }

        double length = Sample(threat.Length, ref _lengthRng[t]);
        int mask = HitMask(threat, t);
        bool flooded = Flood(threat, t, mask, now);
        _causeEndsAt = threat.Effect == Effect.Outage && threat.EndsAfterDetection ? double.PositiveInfinity : now + length;
        ApplyScope(threat, +1, now, mask, now + length);
        Trace(now, TraceKind.ThreatArrived, t, mask, length);
        _wentDown = 0;
        Propagate(now, threat.Effect == Effect.Destroyed || flooded);
        if (threat.EndsAfterDetection && _wentDown > 0)
        {
            // Fixed only once somebody notices an incident it caused (see StartFixAfterDetection).
            _awaitingFix[t]++;
            _fixLength[t] = length;
            return;
        }

        _queue.Push(now + length, EventKind.ThreatEnd, t, mask);
    }

    /// <summary>Which of the reached sites an arrival hits, as a bit mask (sites past the 31st are always hit).</summary>
    private int HitMask(CompiledThreat threat, int t)
    {
        if (threat.SiteHitProbability >= 1)
        {
            return -1;
        }

        int mask = 0;
        for (int i = 0; i < threat.ReachSites.Length && i < 31; i++)
        {
            if (Draw(ref _threatSideRng[t]).NextDouble() < threat.SiteHitProbability)
            {
                mask |= 1 << i;
            }
        }

        return mask;
    }

    private static bool Hit(int mask, int i) => i >= 31 || (mask & (1 << i)) != 0;

    /// <summary>Floods (destroys) each hit site with the threat's flood probability.</summary>
    private bool Flood(CompiledThreat threat, int t, int mask, double now)
    {
        if (threat.FloodProbability <= 0)
        {
            return false;
        }

        bool any = false;
        for (int i = 0; i < threat.ReachSites.Length; i++)
        {
            if (Hit(mask, i) && Draw(ref _threatSideRng[t]).NextDouble() < threat.FloodProbability)
            {
                int site = threat.ReachSites[i];
                ApplySite(site, destroy: true, +1, now);
                _queue.Push(now + Sample(threat.FloodRebuild!.Value, ref _threatSideRng[t]), EventKind.SiteRebuilt, site);
                any = true;
            }
        }

        return any;
    }

    private void OnThreatEnd(int t, int mask, double now)
    {
        ApplyScope(_model.Threats[t], -1, now, mask, now);
        Trace(now, TraceKind.ThreatEnded, t);
        Propagate(now, destruction: false);
    }

    /// <summary>An outage that lasts until detected: the first detection of an incident it caused starts the fix.</summary>
    private void StartFixAfterDetection(in ServiceState st, double now)
    {
        if (st.CauseKind == CauseKind.Threat && _awaitingFix[st.CauseIndex] > 0)
        {
            _awaitingFix[st.CauseIndex]--;
            _queue.Push(now + _fixLength[st.CauseIndex], EventKind.ThreatEnd, st.CauseIndex, -1);
        }
    }

    private void ApplyScope(CompiledThreat threat, int delta, double now, int mask, double end)
    {
        bool destroy = threat.Effect == Effect.Destroyed;
        if (threat.ScopeKind == ScopeKind.Component)
        {
            ApplyComponent(threat.ScopeIndex, threat, destroy, delta, now, end);
            return;
        }

        if (threat.ScopeKind == ScopeKind.Region && !destroy)
        {
            _regionActive[threat.ScopeIndex] += delta;
        }

        for (int i = 0; i < threat.ReachSites.Length; i++)
        {
            if (!Hit(mask, i))
            {
                continue;
            }

            if (threat.AffectedComponents.IsDefault)
            {
                ApplySite(threat.ReachSites[i], destroy, delta, now);
            }
            else
            {
                foreach (int c in threat.AffectedComponents[i])
                {
                    ApplyComponent(c, threat, destroy, delta, now, end);
                }
            }
        }
    }

    private void ApplyComponent(int c, CompiledThreat threat, bool destroy, int delta, double now, double end)
    {
        ref var state = ref _components[c];
        if (destroy)
        {
            state.Destroyed += delta;
            if (delta < 0)
            {
                state.RebuiltAt = now;
            }

            return;
        }

        if (_componentInfo[c].BackupPower is { } backup)
        {
            UtilityChange(c, backup, delta, now, end);
            return;
        }

        state.Outage += delta;
        if (threat.Silent)
        {
            state.SilentOutage += delta;
        }
    }

    /// <summary>The utility feed of a power component with a UPS and generator went out or came back.</summary>
    private void UtilityChange(int c, BackupPower backup, int delta, double now, double end)
    {
        ref var state = ref _components[c];
        state.UtilityOut += delta;
        if (delta < 0)
        {
            if (state.UtilityOut == 0)
            {
                state.PowerVersion++;
                state.PowerLost = false;
            }

            return;
        }

        state.UtilityEnds = Math.Max(state.UtilityEnds, end);
        if (state.UtilityOut > 1)
        {
            return;
        }

        state.UtilityCause = _causeIndex;
        bool starts = Draw(ref state.SideRng).NextDouble() >= backup.GeneratorStartFailureProbability;
        bool refuelled = backup.Refuel switch
        {
            RefuelPolicy.Always => true,
            RefuelPolicy.Never => false,
            _ => _regionActive[_model.SiteRegion[_componentInfo[c].Site]] == 0,
        };
        double lostAt = !starts ? now + backup.UpsRuntimeHours
            : refuelled ? double.PositiveInfinity
            : now + backup.UpsRuntimeHours + backup.FuelRuntimeHours;
        Trace(now, TraceKind.BackupPower, c, starts ? 1 : 0, lostAt - now);
        if (double.IsFinite(lostAt))
        {
            state.PowerVersion++;
            _queue.Push(lostAt, EventKind.PowerLost, c, state.PowerVersion);
        }
    }

    /// <summary>The UPS (or the generator's fuel) of component <paramref name="c"/> ran out, unless the feed came back.</summary>
    private void OnPowerLost(int c, int version, double now)
    {
        ref var state = ref _components[c];
        if (state.PowerVersion == version && state.UtilityOut > 0)
        {
            state.PowerLost = true;
            _causeKind = CauseKind.Threat;
            _causeIndex = state.UtilityCause;
            _causeEndsAt = state.UtilityEnds;
            Propagate(now, destruction: false);
        }
    }

    private int RememberInfection(double infectedAt)
    {
        if (_infectionCount == _infections.Length)
        {
            Array.Resize(ref _infections, _infections.Length * 2);
        }

        _infections[_infectionCount] = infectedAt;
        return _infectionCount++;
    }

    /// <summary>Ransomware detonates: data written since the infection is corrupt, with every replica and later backup.</summary>
    private void OnDetonation(int t, double infectedAt, double now)
    {
        var threat = _model.Threats[t];
        _causeKind = CauseKind.Threat;
        _causeIndex = t;
        double cleanup = Sample(threat.Length, ref _lengthRng[t]);
        _causeEndsAt = now + cleanup;
        Trace(now, TraceKind.Detonated, t, value: cleanup, value2: infectedAt);
        var dataSets = _model.DataSets;
        for (int d = 0; d < dataSets.Length; d++)
        {
            if (!InScope(threat, _componentInfo[dataSets[d].Storage].Site, dataSets[d].Storage))
            {
                continue;
            }

            ref var data = ref _data[d];
            ref var st = ref _services[dataSets[d].Service];
            data.Lost = true;
            data.LostAt = now;
            data.CleanBefore = Math.Min(data.Corrupt ? data.CleanBefore : double.PositiveInfinity, infectedAt);
            data.Corrupt = true;
            data.ReferenceTime = st.Location == Location.Down ? st.StoppedAt : now;
            st.DataAtStandby = false;
            st.CleanupUntil = Math.Max(st.CleanupUntil, now + cleanup);
            Trace(now, TraceKind.DataDestroyed, d, 1);
        }

        Propagate(now, destruction: false);
    }

    private bool InScope(CompiledThreat threat, int site, int component) => threat.ScopeKind switch
    {
        ScopeKind.Component => threat.ScopeIndex == component,
        ScopeKind.Site => threat.ScopeIndex == site,
        _ => _model.SiteRegion[site] == threat.ScopeIndex,
    };

    private void ApplySite(int site, bool destroy, int delta, double now)
    {
        bool wasUp = SiteUp(site);
        if (destroy)
        {
            _siteDestroyed[site] += delta;
            if (delta < 0)
            {
                _siteRebuiltAt[site] = now;
            }
        }
        else
        {
            _siteOutage[site] += delta;
        }

        if (wasUp && !SiteUp(site))
        {
            _siteDownSince[site] = now;
        }
    }

    private bool SiteUp(int site) => _siteOutage[site] == 0 && _siteDestroyed[site] == 0;

    private bool Destroyed(int component) => _components[component].Destroyed > 0 || _siteDestroyed[_componentInfo[component].Site] > 0;

    private bool LocationDestroyed(CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => false,
        LocationKind.Site => _siteDestroyed[location.Index] > 0,
        _ => Destroyed(location.Index),
    };

    /// <summary>The last time the location came back from a destruction: copies made before it are gone.</summary>
    private double LocationRebuiltAt(CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => double.NegativeInfinity,
        LocationKind.Site => _siteRebuiltAt[location.Index],
        _ => Math.Max(_components[location.Index].RebuiltAt, _siteRebuiltAt[_componentInfo[location.Index].Site]),
    };

    /// <summary>Since when the location has been unreachable (NaN when it is up now).</summary>
    private double LocationDownSince(CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => double.NaN,
        LocationKind.Site => SiteUp(location.Index) ? double.NaN : _siteDownSince[location.Index],
        _ => _components[location.Index].Up ? double.NaN : _components[location.Index].DownSince,
    };

    private int LocationSite(CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => -1,
        LocationKind.Site => location.Index,
        _ => _componentInfo[location.Index].Site,
    };

    /// <summary>Recomputes every component's state in dependency order, handles lost data, then every service.</summary>
    private void Propagate(double now, bool destruction) => Propagate(now, destruction, _componentOrder);

    /// <summary>
    /// After component <paramref name="c"/>'s own failure or repair: recomputes it and what requires it, handles lost
    /// data, then evaluates the services if anything they look at changed. The result is the same as recomputing
    /// everything: no other component's inputs changed, and evaluating a service whose inputs (its requirements, sites
    /// and data) did not change does nothing.
    /// </summary>
    private void PropagateOwnChange(int c, double now, bool destruction)
    {
        ref readonly var info = ref _componentInfo[c];

        // A component that nothing requires changes alone: no list to walk.
        bool requirementChanged = info.DownstreamCount == 1
            ? UpdateComponent(c, now)
            : UpdateComponents(now, _downstream.AsSpan(info.DownstreamStart, info.DownstreamCount));
        bool servicesConcerned = requirementChanged || destruction || info.HoldsData;
        if (destruction)
        {
            OnDestruction(now);
        }

        if (servicesConcerned)
        {
            EvaluateServices(now);
        }
    }

    /// <summary>
    /// Recomputes the state of <paramref name="affected"/> (in dependency order), handles lost data, then every
    /// service.
    /// </summary>
    private void Propagate(double now, bool destruction, ReadOnlySpan<int> affected)
    {
        UpdateComponents(now, affected);
        if (destruction)
        {
            OnDestruction(now);
        }

        EvaluateServices(now);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EvaluateServices(double now)
    {
        for (int s = 0; s < _services.Length; s++)
        {
            Evaluate(s, now);
        }
    }

    /// <summary>Recomputes the state of <paramref name="affected"/>, in dependency order.</summary>
    /// <returns>Whether a requirement of some service changed its truth.</returns>
    private bool UpdateComponents(double now, ReadOnlySpan<int> affected)
    {
        bool serviceRequirementChanged = false;
        foreach (int c in affected)
        {
            serviceRequirementChanged |= UpdateComponent(c, now);
        }

        return serviceRequirementChanged;
    }

    /// <summary>Recomputes whether component <paramref name="c"/> works, from its own state, its site and its requirements.</summary>
    /// <returns>Whether a requirement of some service changed its truth.</returns>
    private bool UpdateComponent(int c, double now)
    {
        ref readonly var info = ref _componentInfo[c];
        ref var state = ref _components[c];
        bool up = !state.OwnDown && state.Outage == 0 && state.Destroyed == 0 && !state.PowerLost && SiteUp(info.Site)
            && _requirements.IsSatisfied(info.Requires);
        if (up == state.Up)
        {
            return false;
        }

        state.Up = up;
        if (up)
        {
            info.DownLog?.Close(now);
        }
        else
        {
            state.DownSince = now;
            info.DownLog?.Open(now);
        }

        Trace(now, up ? TraceKind.ComponentUp : TraceKind.ComponentDown, c);
        return _requirements.Set(c, up);
    }

    private void OnDestruction(double now)
    {
        var dataSets = _model.DataSets;
        for (int d = 0; d < dataSets.Length; d++)
        {
            ref var data = ref _data[d];
            var dataSet = dataSets[d];
            ref var st = ref _services[dataSet.Service];
            if (st.DataAtStandby)
            {
                if (StandbyCopyDestroyed(dataSet))
                {
                    // The writes made since the failover lived only at the standby.
                    data.Pending = Loss.Of(now - st.OnStandbySince, dataSet.ChangeRateGbPerHour) with { FromStandby = true };
                    st.DataAtStandby = false;
                }

                continue;
            }

            if (data.Lost || !PrimaryCopiesDestroyed(dataSet))
            {
                continue;
            }

            data.Lost = true;
            data.LostAt = now;
            Trace(now, TraceKind.DataDestroyed, d);
            data.ReferenceTime = st.Location == Location.Primary ? now : st.StoppedAt;
        }
    }

    private bool PrimaryCopiesDestroyed(CompiledDataSet dataSet)
    {
        if (!Destroyed(dataSet.Storage))
        {
            return false;
        }

        int storageSite = _componentInfo[dataSet.Storage].Site;
        bool activeActive = !_model.Services[dataSet.Service].ActiveSites.IsEmpty;
        foreach (var replica in dataSet.Replicas)
        {
            // A synchronous mirror at the storage's own site keeps the live copy intact; so does any synchronous
            // copy of an active-active service, whose sites all write to it.
            if (replica.Mode == ReplicationMode.Sync && (activeActive || LocationSite(replica.Target) == storageSite) && !LocationDestroyed(replica.Target))
            {
                return false;
            }
        }

        return true;
    }

    private bool StandbyCopyDestroyed(CompiledDataSet dataSet)
    {
        int standby = _model.Services[dataSet.Service].StandbySite;
        if (_siteDestroyed[standby] > 0)
        {
            return true;
        }

        foreach (var replica in dataSet.Replicas)
        {
            if (LocationSite(replica.Target) == standby && LocationDestroyed(replica.Target))
            {
                return true;
            }
        }

        return false;
    }

    private ReadOnlySpan<int> DataSetsOf(int s) => _serviceDataSets.AsSpan(_serviceInfo[s].DataSetStart, _serviceInfo[s].DataSetCount);

    private bool PrimaryUsable(int s)
    {
        ref readonly var info = ref _serviceInfo[s];
        if (info.ActiveActive)
        {
            if (!CarriesLoad(_model.Services[s]))
            {
                return false;
            }
        }
        else if (!SiteUp(info.Site) || !_requirements.IsSatisfied(info.Requires))
        {
            return false;
        }

        if (_services[s].DataAtStandby)
        {
            // Failback copies the standby's data back; the primary's own copy does not matter.
            return true;
        }

        foreach (int d in DataSetsOf(s))
        {
            if (_data[d].Lost)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the working sites of an active-active service carry the whole load together.</summary>
    private bool CarriesLoad(CompiledService service)
    {
        double capacity = 0;
        foreach (var site in service.ActiveSites)
        {
            if (SiteUp(site.Site) && _requirements.IsSatisfied(site.Requires))
            {
                capacity += site.Capacity;
            }
        }

        return capacity >= 1 - 1e-9;
    }

    private bool StandbyUsable(int s)
    {
        ref readonly var info = ref _serviceInfo[s];
        return info.StandbySite >= 0 && SiteUp(info.StandbySite) && _requirements.IsSatisfied(info.StandbyRequires);
    }

    private void Evaluate(int s, double now)
    {
        ref var st = ref _services[s];
        switch (st.Location)
        {
            case Location.Primary:
                if (!PrimaryUsable(s))
                {
                    GoDown(s, now);
                }

                break;
            case Location.Standby:
                if (PrimaryUsable(s))
                {
                    PlanFailBack(s, now);
                }
                else if (!StandbyUsable(s))
                {
                    GoDown(s, now);
                }

                break;
            default:
                if (st.Phase == Phase.FailingBack)
                {
                    break;
                }

                if (PrimaryUsable(s))
                {
                    if (st.DataAtStandby)
                    {
                        FailBack(s, now);
                    }

                    Resume(s, now, Location.Primary);
                }
                else if (st.DataAtStandby && StandbyUsable(s))
                {
                    Resume(s, now, Location.Standby);
                }
                else if (st.Detected)
                {
                    Plan(s, now);
                }

                break;
        }
    }

    /// <summary>
    /// The operator's call under uncertainty: fail over now if the estimated remaining outage (the true remaining
    /// time times a noisy factor) exceeds the expected failover time plus the margin.
    /// </summary>
    private bool EstimateSaysGo(CompiledService service, int s, in ServiceState st, double now)
    {
        double remaining = Math.Max(0, st.CauseEndsAt - now);
        double factor = service.EstimateNoise is { } noise ? Sample(noise, ref _outcomeRng[s]) : 1;
        double estimate = remaining * factor;
        bool go = estimate > service.ExpectedFailoverHours + service.EstimateMarginHours;
        Trace(now, TraceKind.Estimated, s, go ? 1 : 0, estimate, remaining);
        return go;
    }

    private bool AnyLost(int s)
    {
        foreach (int d in DataSetsOf(s))
        {
            if (_data[d].Lost)
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyCorrupt(int s)
    {
        foreach (int d in DataSetsOf(s))
        {
            if (_data[d].Corrupt)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The primary is usable again while the service runs at the standby: fail back at once without downtime, or,
    /// with a failback policy, as a planned outage of its own (now or in the next maintenance window).
    /// </summary>
    private void PlanFailBack(int s, double now)
    {
        ref var st = ref _services[s];
        var service = _model.Services[s];
        if (service.FailbackDuration is null)
        {
            FailBack(s, now);
            return;
        }

        if (st.FailbackPending)
        {
            return;
        }

        double at = now;
        if (service.FailbackWindow >= 0)
        {
            var windows = _model.Threats[service.FailbackWindow].ScheduledStarts;
            // A window that is not a schedule, or no window left in the follow-up: fail back at once.
            int next = windows.IsDefault ? -1 : FirstAtOrAfter(windows, now);
            at = next >= 0 ? windows[next] : now;
        }

        if (double.IsFinite(at))
        {
            st.FailbackPending = true;
            st.Version++;
            _queue.Push(at, EventKind.FailbackStart, s, st.Version);
        }
    }

    private static int FirstAtOrAfter(ImmutableArray<double> sorted, double time)
    {
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i] >= time)
            {
                return i;
            }
        }

        return -1;
    }

    private void OnFailbackStart(int s, int version, double now)
    {
        ref var st = ref _services[s];
        if (st.Version != version || st.Location != Location.Standby)
        {
            return;
        }

        st.FailbackPending = false;
        if (!PrimaryUsable(s))
        {
            return;
        }

        _causeKind = CauseKind.Failback;
        _causeIndex = s;
        _causeEndsAt = now;
        GoDown(s, now);
        st.Phase = Phase.FailingBack;
        st.Detected = true;
        st.DetectedAt = now;
        double duration = Sample(_model.Services[s].FailbackDuration!.Value, ref _failoverRng[s]);
        Trace(now, TraceKind.FailbackStarted, s, value: duration);
        _queue.Push(now + duration, EventKind.RestoreDone, s, st.Version);
    }

    /// <summary>Back to the primary when it is usable again: instantaneous, data copied back.</summary>
    private void FailBack(int s, double now)
    {
        ref var st = ref _services[s];
        Trace(now, TraceKind.FailedBack, s);
        st.Location = Location.Primary;
        st.DataAtStandby = false;
        foreach (int d in DataSetsOf(s))
        {
            _data[d].Lost = false;
        }
    }

    private void GoDown(int s, double now)
    {
        ref var st = ref _services[s];
        var watched = st.Location == Location.Standby ? _serviceInfo[s].StandbyWatch : _serviceInfo[s].PrimaryWatch;
        _wentDown++;
        st.Location = Location.Down;
        st.Version++;
        st.Phase = Phase.AwaitingDetection;
        st.Detected = false;
        st.StoppedAt = now;
        st.CauseKind = _causeKind;
        st.CauseIndex = _causeIndex;
        st.CauseEndsAt = _causeEndsAt;
        st.CleanupUntil = Math.Max(st.CleanupUntil, 0);
        st.Planned = _causeKind is CauseKind.Maintenance or CauseKind.Failback;
        (st.DetectionDelay, st.DetectedBy) = st.Planned ? (0, -1) : DetectionDelay(s, watched);
        st.Action = IncidentAction.WaitedForPrimary;
        _openIncidents++;
        Trace(now, TraceKind.ServiceDown, s, (int)_causeKind, st.DetectionDelay);
        _queue.Push(now + st.DetectionDelay, EventKind.Detection, s, st.Version);
    }

    /// <summary>
    /// The earliest of the manual-discovery delay and the delays of the monitors that can see this outage: a monitor
    /// sees it only while it works itself and one of its checks covers what failed.
    /// </summary>
    private (double Delay, int By) DetectionDelay(int s, ImmutableArray<bool> watched)
    {
        double best = Sample(_serviceInfo[s].Detection, ref _detectionRng[s]);
        int by = -1;
        var monitors = _model.Monitors;
        for (int m = 0; m < monitors.Length; m++)
        {
            var monitor = monitors[m];
            if (!SiteUp(monitor.Site) || !_requirements.IsSatisfied(monitor.Requires) || !Sees(monitor, s, watched))
            {
                continue;
            }

            double delay = Sample(monitor.Delay, ref _monitorRng[m]);
            if (delay < best)
            {
                best = delay;
                by = m;
            }
        }

        return (best, by);
    }

    private bool Sees(CompiledMonitor monitor, int s, ImmutableArray<bool> watched)
    {
        foreach (var check in monitor.Checks)
        {
            if (check.Target == CheckTarget.Service)
            {
                if (check.Index == s)
                {
                    return true;
                }
            }
            else if (watched[check.Index] && (check.Type == CheckType.Functional ? !_components[check.Index].Up : VisiblyFailed(check.Index)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a liveness check sees the component as failed: it failed itself, not silently. A component that is
    /// alive but not working (a gray failure, or waiting on something it depends on) passes liveness checks.
    /// </summary>
    private bool VisiblyFailed(int c)
    {
        ref readonly var state = ref _components[c];
        return (state.OwnDown && !state.OwnSilent) || state.Outage > state.SilentOutage || state.Destroyed > 0 || state.PowerLost
            || !SiteUp(_componentInfo[c].Site);
    }

    private void Plan(int s, double now)
    {
        ref var st = ref _services[s];
        if (st.Phase is Phase.FailingOver or Phase.Restoring or Phase.AwaitingFailoverDecision)
        {
            return;
        }

        var service = _model.Services[s];
        if (st.Planned)
        {
            // Planned maintenance: move to the standby first if the service is set up for it, else just wait.
            if (st.CauseKind == CauseKind.Maintenance && service.MoveForMaintenance && service.StandbySite >= 0 && service.FailoverDuration is { } switchover && StandbyUsable(s))
            {
                st.Version++;
                st.Phase = Phase.FailingOver;
                double duration = Sample(switchover, ref _failoverRng[s]);
                Trace(now, TraceKind.FailoverStarted, s, 1, duration);
                _queue.Push(now + duration, EventKind.FailoverDone, s, st.Version);
            }

            return;
        }

        bool corrupt = AnyCorrupt(s);
        if (corrupt && now < st.CleanupUntil)
        {
            // Ransomware: nothing is restored before the estate is rebuilt and cleaned.
            st.Version++;
            st.Phase = Phase.AwaitingFailoverDecision;
            _queue.Push(st.CleanupUntil, EventKind.FailoverDecision, s, st.Version);
            return;
        }

        // Replicas copy corruption faithfully: a corrupted service is restored from clean backups instead.
        if (!corrupt && service.CanFailOver && StandbyUsable(s))
        {
            double start = service.FailoverMode switch
            {
                FailoverMode.Manual => Math.Max(st.DetectedAt + service.FailoverAfterHours, st.PeopleReadyAt),
                FailoverMode.Estimate => now < st.PeopleReadyAt ? st.PeopleReadyAt : EstimateSaysGo(service, s, in st, now) ? now : now + service.ReassessHours,
                _ => st.DetectedAt,
            };
            st.Version++;
            if (now >= start)
            {
                st.Phase = Phase.FailingOver;
                double duration = Sample(service.FailoverDuration!.Value, ref _failoverRng[s]);
                Trace(now, TraceKind.FailoverStarted, s, value: duration);
                _queue.Push(now + duration, EventKind.FailoverDone, s, st.Version);
            }
            else
            {
                st.Phase = Phase.AwaitingFailoverDecision;
                Trace(now, TraceKind.FailoverScheduled, s, value: start);
                _queue.Push(start, EventKind.FailoverDecision, s, st.Version);
            }

            return;
        }

        // Only lost data is restored, and only where the service could run again.
        bool primaryRuns = service.ActiveSites.IsEmpty ? SiteUp(service.Site) && _requirements.IsSatisfied(service.Requires) : CarriesLoad(service);
        if (!primaryRuns || !AnyLost(s))
        {
            return;
        }

        if (now < st.PeopleReadyAt)
        {
            // Somebody has to start the restore.
            st.Version++;
            st.Phase = Phase.AwaitingFailoverDecision;
            _queue.Push(st.PeopleReadyAt, EventKind.FailoverDecision, s, st.Version);
            return;
        }

        {
            // The primary runs again but some of its data is gone: restore it there.
            double restore = 0;
            bool total = false;
            foreach (int d in DataSetsOf(s))
            {
                if (_data[d].Lost)
                {
                    var (loss, hours) = FromBackups(d, now, _data[d].ReferenceTime, CleanBefore(d));
                    _data[d].Pending = loss;
                    restore = Math.Max(restore, hours);
                    total |= loss.Total;
                }
            }

            st.Version++;
            st.Phase = Phase.Restoring;
            st.RestoreAtStandby = false;
            st.Action = total ? IncidentAction.RebuiltEmpty : IncidentAction.Restored;
            Trace(now, TraceKind.RestoreStarted, s, 0, restore);
            _queue.Push(now + restore, EventKind.RestoreDone, s, st.Version);
        }
    }

    private void OnFailoverDone(int s, double now)
    {
        ref var st = ref _services[s];
        st.Phase = Phase.None;
        if (!StandbyUsable(s))
        {
            Trace(now, TraceKind.FailoverFailed, s);
            Evaluate(s, now);
            return;
        }

        var service = _model.Services[s];
        if (st.Planned)
        {
            // A planned switchover is graceful: the replica catches up before the move, nothing is lost.
            Trace(now, TraceKind.FailoverCompleted, s);
            st.Action = IncidentAction.FailedOver;
            st.DataAtStandby = true;
            Resume(s, now, Location.Standby);
            return;
        }

        bool works = service.FailoverSuccessProbability >= 1 || Draw(ref _outcomeRng[s]).NextDouble() < service.FailoverSuccessProbability;
        Trace(now, works ? TraceKind.FailoverCompleted : TraceKind.FailoverFailed, s, works ? 0 : 1);

        double restore = 0;
        bool total = false;
        foreach (int d in DataSetsOf(s))
        {
            ref var data = ref _data[d];
            double reference = data.Lost ? data.ReferenceTime : st.StoppedAt;
            if (works && TryStandbyReplica(d, service.StandbySite, reference, out var loss))
            {
                data.Pending = loss;
            }
            else
            {
                var (fromBackup, hours) = FromBackups(d, now, reference, CleanBefore(d));
                data.Pending = fromBackup;
                restore = Math.Max(restore, hours);
                total |= fromBackup.Total;
            }
        }

        if (restore > 0 || total)
        {
            st.Version++;
            st.Phase = Phase.Restoring;
            st.RestoreAtStandby = true;
            st.Action = total ? IncidentAction.RebuiltEmpty : works ? IncidentAction.FailedOverAndRestored : IncidentAction.FailoverFailedThenRestored;
            Trace(now, TraceKind.RestoreStarted, s, 1, restore);
            _queue.Push(now + restore, EventKind.RestoreDone, s, st.Version);
            return;
        }

        st.Action = IncidentAction.FailedOver;
        st.DataAtStandby = true;
        Resume(s, now, Location.Standby);
    }

    private void OnRestoreDone(int s, double now)
    {
        ref var st = ref _services[s];
        if (st.Phase == Phase.FailingBack)
        {
            st.Phase = Phase.None;
            st.Action = IncidentAction.FailedBack;
            FailBack(s, now);
            Resume(s, now, Location.Primary);
            return;
        }

        st.Phase = Phase.None;
        if (st.RestoreAtStandby)
        {
            if (StandbyUsable(s))
            {
                st.DataAtStandby = true;
                Resume(s, now, Location.Standby);
                return;
            }
        }
        else
        {
            foreach (int d in DataSetsOf(s))
            {
                _data[d].Lost = false;
                _data[d].Corrupt = false;
            }
        }

        Evaluate(s, now);
    }

    /// <summary>The loss when failing over onto a surviving replica at the standby site.</summary>
    private bool TryStandbyReplica(int d, int standbySite, double reference, out Loss loss)
    {
        var dataSet = _model.DataSets[d];
        foreach (var replica in dataSet.Replicas)
        {
            if (LocationSite(replica.Target) != standbySite || LocationDestroyed(replica.Target))
            {
                continue;
            }

            double point = reference;
            if (replica.Mode == ReplicationMode.Async)
            {
                point -= Sample(replica.Lag, ref _lagRng[d]);
            }

            double downSince = LocationDownSince(replica.Target);
            if (!double.IsNaN(downSince) && downSince < point)
            {
                // The replica stopped receiving changes when it went down.
                point = downSince;
            }

            loss = Loss.Of(Math.Max(0, reference - point), dataSet.ChangeRateGbPerHour);
            Trace(reference, TraceKind.RecoveryPoint, d, -1, loss.Hours);
            return true;
        }

        loss = default;
        return false;
    }

    /// <summary>The newest surviving backup of data set <paramref name="d"/>: its loss and restore time.</summary>
    /// <summary>
    /// Jobs must have started before this to hold good data: before the infection of corrupted data, and before the
    /// destruction of lost data (a job that runs after the storage is replaced copies an empty volume).
    /// </summary>
    private double CleanBefore(int d) => Math.Min(_data[d].Corrupt ? _data[d].CleanBefore : double.PositiveInfinity, _data[d].Lost ? _data[d].LostAt : double.PositiveInfinity);

    private (Loss Loss, double RestoreHours) FromBackups(int d, double now, double reference, double cleanBefore)
    {
        var dataSet = _model.DataSets[d];
        double bestPoint = double.NegativeInfinity;
        double bestRestore = 0;
        int bestBackup = -2;
        var storageLog = _downLog[dataSet.Storage]!;
        for (int b = 0; b < dataSet.Backups.Length; b++)
        {
            var backup = dataSet.Backups[b];
            if (LocationDestroyed(backup.Destination) || !double.IsNaN(LocationDownSince(backup.Destination)))
            {
                // Destroyed copies are gone; copies at a place that is down cannot be read now.
                continue;
            }

            double rebuiltAt = LocationRebuiltAt(backup.Destination);
            double k = Math.Floor((now - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours);
            if (double.IsFinite(cleanBefore))
            {
                // Jobs that started after the infection (or the destruction) copied corrupt (or no) data.
                k = Math.Min(k, Math.Ceiling((cleanBefore - backup.OffsetHours) / backup.IntervalHours) - 1);
            }

            while (k >= 0)
            {
                double start = backup.OffsetHours + (k * backup.IntervalHours);
                double end = start + backup.DurationHours;
                if (end < rebuiltAt || end + backup.RetentionHours < reference)
                {
                    // Older copies were destroyed with the destination, or had expired when the incident
                    // struck (expiry is frozen from then on, as a DR runbook would).
                    break;
                }

                double downStart = storageLog.LatestOverlapStart(start, end);
                if (!double.IsNaN(downStart))
                {
                    // The job ran while its source was down and failed: jump to the last job that ended before.
                    double before = Math.Min(k - 1, Math.Floor((downStart - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours));
                    if (!(before < k))
                    {
                        // No progress is possible in floating point: treat the schedule as having no usable job.
                        break;
                    }

                    k = before;
                    continue;
                }

                double point = Math.Min(start, reference);
                if (point > bestPoint || (point == bestPoint && backup.RestoreHours < bestRestore))
                {
                    bestPoint = point;
                    bestRestore = backup.RestoreHours;
                    bestBackup = b;
                }

                break;
            }
        }

        var loss = double.IsNegativeInfinity(bestPoint)
            ? Loss.Everything(dataSet.SizeGb, dataSet.ChangeRateGbPerHour)
            : Loss.Of(Math.Max(0, reference - bestPoint), dataSet.ChangeRateGbPerHour);
        Trace(now, TraceKind.RecoveryPoint, d, bestBackup, loss.Hours, bestRestore);
        return (loss, bestRestore);
    }

    private void Resume(int s, double now, Location location)
    {
        ref var st = ref _services[s];
        st.Location = location;
        if (location == Location.Standby && st.Action is IncidentAction.FailedOver or IncidentAction.FailedOverAndRestored or IncidentAction.FailoverFailedThenRestored or IncidentAction.RebuiltEmpty)
        {
            st.OnStandbySince = now;
        }

        if (!st.Detected && !st.Planned)
        {
            st.Action = IncidentAction.SelfRecovered;
        }
        else if (location == Location.Primary && st.Action is IncidentAction.FailedOver or IncidentAction.FailedOverAndRestored or IncidentAction.FailoverFailedThenRestored)
        {
            // A failover (or the restore after it) was under way when the primary came back: abandoned.
            st.Action = IncidentAction.WaitedForPrimary;
        }

        Close(s, now, st.Action);
    }

    private void CloseUnresolved(double now)
    {
        for (int s = 0; s < _services.Length; s++)
        {
            if (_services[s].Location == Location.Down)
            {
                Close(s, now, IncidentAction.Unresolved);
            }
        }
    }

    private void Close(int s, double now, IncidentAction action)
    {
        ref var st = ref _services[s];
        st.Version++;
        st.Phase = Phase.None;
        _openIncidents--;
        double downtime = now - st.StoppedAt;
        double inHorizon = Math.Max(0, Math.Min(now, _horizon) - st.StoppedAt);
        if (st.Planned)
        {
            _trialPlanned[s] += inHorizon;
        }
        else
        {
            _trialDowntime[s] += inHorizon;
            _trialIncidents[s]++;
        }


        double lossHours = 0;
        double lossGb = 0;
        bool total = false;
        foreach (int d in DataSetsOf(s))
        {
            ref var data = ref _data[d];
            if (!data.Pending.Recorded)
            {
                continue;
            }

            bool used = action != IncidentAction.WaitedForPrimary || data.Lost || data.Pending.FromStandby;
            if (used)
            {
                var loss = data.Pending;
                lossHours = Math.Max(lossHours, loss.Hours);
                lossGb += loss.Gb;
                total |= loss.Total;
                _trialLossHours[d] += loss.Hours;
                _trialLossGb[d] += loss.Gb;
                _sink?.OnDataLoss(new DataLossRecord(_trial, d, st.StoppedAt, loss.Hours, loss.Gb, loss.Total));
            }

            data.Pending = default;
        }

        Trace(now, TraceKind.ServiceUp, s, (int)action, downtime);
        _sink?.OnIncident(new IncidentRecord(
            _trial, s, st.StoppedAt, st.CauseKind, st.CauseIndex, st.Detected, st.DetectionDelay, action, downtime, lossHours, lossGb, total));
    }

    private enum Location : byte
    {
        Primary,
        Standby,
        Down,
    }

    private enum Phase : byte
    {
        None,
        AwaitingDetection,
        AwaitingFailoverDecision,
        FailingOver,
        Restoring,
        FailingBack,
    }

    private struct ServiceState
    {
        public Location Location;
        public Phase Phase;
        public int Version;
        public bool Detected;
        public bool DataAtStandby;
        public bool RestoreAtStandby;
        public bool Planned;
        public bool FailbackPending;
        public double PeopleReadyAt;
        public double StoppedAt;
        public double DetectedAt;
        public double DetectionDelay;
        public double OnStandbySince;
        public double CauseEndsAt;
        public double CleanupUntil;
        public int DetectedBy;
        public CauseKind CauseKind;
        public int CauseIndex;
        public IncidentAction Action;
    }

    /// <summary>A component's data that no trial changes, gathered from the model into one place.</summary>
    private readonly struct ComponentInfo(CompiledComponent component, bool holdsData, int downstreamStart, int downstreamCount, IntervalLog? downLog)
    {
        public readonly Sampler TimeToFailure = component.TimeToFailure ?? default;
        public readonly Sampler TimeToRepair = component.TimeToRepair ?? default;
        public readonly int Site = component.Site;
        public readonly int Requires = component.Requires;
        public readonly double SilentProbability = component.SilentProbability;

        /// <summary>Whether it fails by itself (has a failure process).</summary>
        public readonly bool Fails = component.TimeToFailure is not null;

        /// <summary>Whether its own failures destroy it.</summary>
        public readonly bool Destroys = component.FailureEffect == Effect.Destroyed;

        /// <summary>Whether it holds data (storage, replica, backup destination): its changes always concern the services.</summary>
        public readonly bool HoldsData = holdsData;

        public readonly int DownstreamStart = downstreamStart;
        public readonly int DownstreamCount = downstreamCount;
        public readonly ulong FailureStream = component.FailureStream;
        public readonly ulong RepairStream = component.RepairStream;
        public readonly ulong SideStream = component.SideStream;
        public readonly BackupPower? BackupPower = component.BackupPower;

        /// <summary>The log of its down periods in the current trial, kept only for a data set's storage.</summary>
        public readonly IntervalLog? DownLog = downLog;
    }

    /// <summary>A service's data that no trial changes and that every incident reads, gathered from the model.</summary>
    private readonly struct ServiceInfo(CompiledService service, int dataSetStart, int dataSetCount, ImmutableArray<bool> primaryWatch, ImmutableArray<bool> standbyWatch)
    {
        public readonly int Site = service.Site;
        public readonly int Requires = service.Requires;
        public readonly int StandbySite = service.StandbySite;
        public readonly int StandbyRequires = service.StandbyRequires;

        /// <summary>Whether it runs at several live sites at once (then the requirement is per site).</summary>
        public readonly bool ActiveActive = !service.ActiveSites.IsEmpty;
        public readonly Sampler Detection = service.Detection;
        public readonly int DataSetStart = dataSetStart;
        public readonly int DataSetCount = dataSetCount;

        /// <summary>The components it depends on at its primary (<see cref="SimulationModel.PrimaryWatch"/>).</summary>
        public readonly ImmutableArray<bool> PrimaryWatch = primaryWatch;

        /// <summary>The components it depends on at its standby (<see cref="SimulationModel.StandbyWatch"/>).</summary>
        public readonly ImmutableArray<bool> StandbyWatch = standbyWatch;
    }

    /// <summary>A component's state in the current trial: what holds it down, whether it works, and its streams.</summary>
    private struct ComponentState
    {
        /// <summary>Whether it works: not down itself or by a threat, powered, its site up and its requirements satisfied.</summary>
        public bool Up;
        public bool OwnDown;
        public bool OwnSilent;
        public bool PowerLost;
        public int Outage;
        public int SilentOutage;
        public int Destroyed;

        /// <summary>How many threats cut the utility feed of a component with backup power.</summary>
        public int UtilityOut;
        public int UtilityCause;
        public int PowerVersion;
        public double DownSince;
        public double RebuiltAt;
        public double UtilityEnds;
        public Xoshiro256StarStar FailureRng;
        public Xoshiro256StarStar RepairRng;
        public LazyStream SideRng;
    }

    /// <summary>A random stream seeded at its first draw in a trial rather than at the trial's start.</summary>
    /// <remarks>
    /// The draws are the same either way, a stream being a function of the master seed, the trial and its source;
    /// but most of a trial's streams are never drawn from (a threat's durations without an arrival, a service's
    /// failover without an incident, a monitor's delays, a component's silent failures and generator starts), and
    /// seeding them all was most of the cost of starting a small trial. A component's failure and repair streams are
    /// seeded at the start: they are drawn from in most trials that matter, and a test on every failure cost more
    /// than it saved.
    /// </remarks>
    private struct LazyStream(ulong key)
    {
        public readonly ulong Key = key;

        /// <summary>The run (<see cref="_run"/>) it was seeded in; 0 for none.</summary>
        public long SeededIn;
        public Xoshiro256StarStar Rng;
    }

    private struct DataState
    {
        public bool Lost;
        public bool Corrupt;
        public double CleanBefore;
        public double LostAt;
        public double ReferenceTime;
        public Loss Pending;
    }

    private readonly record struct Loss(double Hours, double Gb, bool Total, bool Recorded, bool FromStandby)
    {
        public static Loss Of(double hours, double rate) => new(hours, hours * rate, false, true, false);

        /// <summary>No recovery point survived: the whole data set, expressed also in hours of changes.</summary>
        public static Loss Everything(double sizeGb, double rate) => new(rate > 0 ? sizeGb / rate : 0, sizeGb, true, true, false);
    }
}

/// <summary>Receives the incidents and data losses of a trial as they close.</summary>
public interface ITrialSink
{
    /// <summary>A service incident closed.</summary>
    void OnIncident(in IncidentRecord incident);

    /// <summary>A data set lost data (or was recovered from a recovery point, possibly with zero loss).</summary>
    void OnDataLoss(in DataLossRecord loss);

    /// <summary>Gets whether the sink wants every step of the trial (<see cref="OnTrace"/>); off for batch runs.</summary>
    bool WantsTrace => false;

    /// <summary>One step of the trial, in order; called only when <see cref="WantsTrace"/> is true.</summary>
    void OnTrace(in TraceEvent step)
    {
    }
}
