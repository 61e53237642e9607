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

    private readonly SimulationModel _model;
    private readonly ulong _seed;
    private readonly EventQueue _queue = new();
    private readonly double _horizon;

    private readonly Xoshiro256StarStar[] _failureRng;
    private readonly Xoshiro256StarStar[] _repairRng;
    private readonly Xoshiro256StarStar[] _arrivalRng;
    private readonly Xoshiro256StarStar[] _lengthRng;
    private readonly Xoshiro256StarStar[] _detectionRng;
    private readonly Xoshiro256StarStar[] _failoverRng;
    private readonly Xoshiro256StarStar[] _lagRng;

    private readonly bool[] _ownDown;
    private readonly int[] _outage;
    private readonly int[] _destroyed;
    private readonly bool[] _up;
    private readonly double[] _downSince;
    private readonly double[] _rebuiltAt;
    private readonly IntervalLog[] _downLog;

    private readonly int[] _siteOutage;
    private readonly int[] _siteDestroyed;
    private readonly double[] _siteDownSince;
    private readonly double[] _siteRebuiltAt;
    private readonly int[][] _regionSites;

    private readonly ServiceState[] _services;
    private readonly DataState[] _data;

    private readonly double[] _trialDowntime;
    private readonly int[] _trialIncidents;
    private readonly double[] _trialLossHours;
    private readonly double[] _trialLossGb;

    private long _trial;
    private int _openIncidents;
    private CauseKind _causeKind;
    private int _causeIndex;
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

        _failureRng = new Xoshiro256StarStar[components];
        _repairRng = new Xoshiro256StarStar[components];
        _arrivalRng = new Xoshiro256StarStar[threats];
        _lengthRng = new Xoshiro256StarStar[threats];
        _detectionRng = new Xoshiro256StarStar[services];
        _failoverRng = new Xoshiro256StarStar[services];
        _lagRng = new Xoshiro256StarStar[dataSets];

        _ownDown = new bool[components];
        _outage = new int[components];
        _destroyed = new int[components];
        _up = new bool[components];
        _downSince = new double[components];
        _rebuiltAt = new double[components];
        _downLog = new IntervalLog[components];
        for (int c = 0; c < components; c++)
        {
            _downLog[c] = new IntervalLog();
        }

        _siteOutage = new int[sites];
        _siteDestroyed = new int[sites];
        _siteDownSince = new double[sites];
        _siteRebuiltAt = new double[sites];
        int regions = model.Scenario.Regions.Length;
        _regionSites = Enumerable.Range(0, regions)
            .Select(r => Enumerable.Range(0, sites).Where(s => model.SiteRegion[s] == r).ToArray())
            .ToArray();

        _services = new ServiceState[services];
        _data = new DataState[dataSets];
        _trialDowntime = new double[services];
        _trialIncidents = new int[services];
        _trialLossHours = new double[dataSets];
        _trialLossGb = new double[dataSets];
    }

    /// <summary>Gets each service's downtime inside the horizon in the last trial, hours.</summary>
    public ReadOnlySpan<double> TrialDowntime => _trialDowntime;

    /// <summary>Gets each service's number of incidents started in the last trial.</summary>
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
        _sink = sink;
        _tracing = sink?.WantsTrace == true;
        Reset(trial);
        int events = 0;
        while (_queue.Count > 0)
        {
            var e = _queue.Pop();
            if (e.Time > _horizon && _openIncidents == 0)
            {
                break;
            }

            if (e.Time > _horizon + FollowUpHours)
            {
                CloseUnresolved(_horizon + FollowUpHours);
                break;
            }

            events++;
            Dispatch(in e);
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
        var components = _model.Components;
        for (int c = 0; c < components.Length; c++)
        {
            _failureRng[c] = RandomStreams.For(_seed, trial, components[c].FailureStream);
            _repairRng[c] = RandomStreams.For(_seed, trial, components[c].RepairStream);
            _ownDown[c] = false;
            _outage[c] = 0;
            _destroyed[c] = 0;
            _up[c] = true;
            _downSince[c] = 0;
            _rebuiltAt[c] = double.NegativeInfinity;
            _downLog[c].Clear();
            if (components[c].TimeToFailure is { } ttf)
            {
                Schedule(ttf.Sample(ref _failureRng[c]), EventKind.ComponentFailure, c);
            }
        }

        Array.Clear(_siteOutage);
        Array.Clear(_siteDestroyed);
        Array.Clear(_siteDownSince);
        Array.Fill(_siteRebuiltAt, double.NegativeInfinity);

        var threats = _model.Threats;
        for (int t = 0; t < threats.Length; t++)
        {
            _arrivalRng[t] = RandomStreams.For(_seed, trial, threats[t].ArrivalStream);
            _lengthRng[t] = RandomStreams.For(_seed, trial, threats[t].LengthStream);
            if (double.IsFinite(threats[t].MeanInterarrivalHours))
            {
                Schedule(Sampler.ExponentialByMean(ref _arrivalRng[t], threats[t].MeanInterarrivalHours), EventKind.ThreatArrival, t);
            }
        }

        var services = _model.Services;
        for (int s = 0; s < services.Length; s++)
        {
            _detectionRng[s] = RandomStreams.For(_seed, trial, services[s].DetectionStream);
            _failoverRng[s] = RandomStreams.For(_seed, trial, services[s].FailoverStream);
            _services[s] = default;
            _trialDowntime[s] = 0;
            _trialIncidents[s] = 0;
        }

        var dataSets = _model.DataSets;
        for (int d = 0; d < dataSets.Length; d++)
        {
            _lagRng[d] = RandomStreams.For(_seed, trial, dataSets[d].LagStream);
            _data[d] = default;
            _trialLossHours[d] = 0;
            _trialLossGb[d] = 0;
        }
    }

    /// <summary>Schedules an arrival-type event only when it falls inside the horizon.</summary>
    private void Schedule(double time, EventKind kind, int target)
    {
        if (time < _horizon)
        {
            _queue.Push(time, kind, target);
        }
    }

    private void Dispatch(in SimEvent e)
    {
        double now = e.Time;
        switch (e.Kind)
        {
            case EventKind.ComponentFailure:
                OnComponentFailure(e.Target, now);
                break;
            case EventKind.ComponentRepair:
                OnComponentRepair(e.Target, now);
                break;
            case EventKind.ThreatArrival:
                OnThreatArrival(e.Target, now);
                break;
            case EventKind.ThreatEnd:
                OnThreatEnd(e.Target, now);
                break;
            case EventKind.Detection:
                if (IsCurrent(e.Target, e.Arg))
                {
                    ref var st = ref _services[e.Target];
                    st.Detected = true;
                    st.DetectedAt = now;
                    Trace(now, TraceKind.Detected, e.Target);
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

    private void Trace(double time, TraceKind kind, int subject, int detail = 0, double value = 0, double value2 = 0)
    {
        if (_tracing)
        {
            _sink!.OnTrace(new TraceEvent(time, kind, subject, detail, value, value2));
        }
    }

    private void OnComponentFailure(int c, double now)
    {
        var component = _model.Components[c];
        _causeKind = CauseKind.ComponentFailure;
        _causeIndex = c;
        _ownDown[c] = true;
        bool destroys = component.FailureEffect == Effect.Destroyed;
        if (destroys)
        {
            _destroyed[c]++;
        }

        double repair = component.TimeToRepair!.Value.Sample(ref _repairRng[c]);
        Trace(now, TraceKind.ComponentFailed, c, value: repair);
        _queue.Push(now + repair, EventKind.ComponentRepair, c);
        Propagate(now, destroys);
    }

    private void OnComponentRepair(int c, double now)
    {
        var component = _model.Components[c];
        _ownDown[c] = false;
        Trace(now, TraceKind.ComponentRepaired, c);
        if (component.FailureEffect == Effect.Destroyed)
        {
            _destroyed[c]--;
            _rebuiltAt[c] = now;
        }

        Schedule(now + component.TimeToFailure!.Value.Sample(ref _failureRng[c]), EventKind.ComponentFailure, c);
        Propagate(now, destruction: false);
    }

    private void OnThreatArrival(int t, double now)
    {
        var threat = _model.Threats[t];
        Schedule(now + Sampler.ExponentialByMean(ref _arrivalRng[t], threat.MeanInterarrivalHours), EventKind.ThreatArrival, t);
        _causeKind = CauseKind.Threat;
        _causeIndex = t;
        ApplyScope(threat, +1, now);
        double length = threat.Length.Sample(ref _lengthRng[t]);
        Trace(now, TraceKind.ThreatArrived, t, value: length);
        _queue.Push(now + length, EventKind.ThreatEnd, t);
        Propagate(now, threat.Effect == Effect.Destroyed);
    }

    private void OnThreatEnd(int t, double now)
    {
        ApplyScope(_model.Threats[t], -1, now);
        Trace(now, TraceKind.ThreatEnded, t);
        Propagate(now, destruction: false);
    }

    private void ApplyScope(CompiledThreat threat, int delta, double now)
    {
        bool destroy = threat.Effect == Effect.Destroyed;
        switch (threat.ScopeKind)
        {
            case ScopeKind.Component:
                if (destroy)
                {
                    _destroyed[threat.ScopeIndex] += delta;
                    if (delta < 0)
                    {
                        _rebuiltAt[threat.ScopeIndex] = now;
                    }
                }
                else
                {
                    _outage[threat.ScopeIndex] += delta;
                }

                break;
            case ScopeKind.Site:
                ApplySite(threat.ScopeIndex, destroy, delta, now);
                break;
            default:
                foreach (int site in _regionSites[threat.ScopeIndex])
                {
                    ApplySite(site, destroy, delta, now);
                }

                break;
        }
    }

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

    private bool Destroyed(int component) => _destroyed[component] > 0 || _siteDestroyed[_model.Components[component].Site] > 0;

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
        _ => Math.Max(_rebuiltAt[location.Index], _siteRebuiltAt[_model.Components[location.Index].Site]),
    };

    /// <summary>Since when the location has been unreachable (NaN when it is up now).</summary>
    private double LocationDownSince(CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => double.NaN,
        LocationKind.Site => SiteUp(location.Index) ? double.NaN : _siteDownSince[location.Index],
        _ => _up[location.Index] ? double.NaN : _downSince[location.Index],
    };

    private int LocationSite(CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => -1,
        LocationKind.Site => location.Index,
        _ => _model.Components[location.Index].Site,
    };

    /// <summary>Recomputes every component's state in dependency order, handles lost data, then every service.</summary>
    private void Propagate(double now, bool destruction)
    {
        var requirements = _model.Requirements;
        var components = _model.Components;
        foreach (int c in _model.ComponentOrder)
        {
            var component = components[c];
            bool up = !_ownDown[c] && _outage[c] == 0 && _destroyed[c] == 0 && SiteUp(component.Site)
                && requirements.IsSatisfied(component.Requires, _up);
            if (up != _up[c])
            {
                _up[c] = up;
                if (up)
                {
                    _downLog[c].Close(now);
                }
                else
                {
                    _downSince[c] = now;
                    _downLog[c].Open(now);
                }

                Trace(now, up ? TraceKind.ComponentUp : TraceKind.ComponentDown, c);
            }
        }

        if (destruction)
        {
            OnDestruction(now);
        }

        for (int s = 0; s < _services.Length; s++)
        {
            Evaluate(s, now);
        }
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

        int storageSite = _model.Components[dataSet.Storage].Site;
        foreach (var replica in dataSet.Replicas)
        {
            // A synchronous mirror at the storage's own site keeps the live copy intact.
            if (replica.Mode == ReplicationMode.Sync && LocationSite(replica.Target) == storageSite && !LocationDestroyed(replica.Target))
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

    private bool PrimaryUsable(int s)
    {
        var service = _model.Services[s];
        if (!SiteUp(service.Site) || !_model.Requirements.IsSatisfied(service.Requires, _up))
        {
            return false;
        }

        if (_services[s].DataAtStandby)
        {
            // Failback copies the standby's data back; the primary's own copy does not matter.
            return true;
        }

        foreach (int d in _model.ServiceDataSets[s])
        {
            if (_data[d].Lost)
            {
                return false;
            }
        }

        return true;
    }

    private bool StandbyUsable(int s)
    {
        var service = _model.Services[s];
        return service.StandbySite >= 0 && SiteUp(service.StandbySite)
            && _model.Requirements.IsSatisfied(service.StandbyRequires, _up);
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
                    FailBack(s, now);
                }
                else if (!StandbyUsable(s))
                {
                    GoDown(s, now);
                }

                break;
            default:
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

    /// <summary>Back to the primary when it is usable again: instantaneous, data copied back.</summary>
    private void FailBack(int s, double now)
    {
        ref var st = ref _services[s];
        Trace(now, TraceKind.FailedBack, s);
        st.Location = Location.Primary;
        st.DataAtStandby = false;
        foreach (int d in _model.ServiceDataSets[s])
        {
            _data[d].Lost = false;
        }
    }

    private void GoDown(int s, double now)
    {
        ref var st = ref _services[s];
        var service = _model.Services[s];
        st.Location = Location.Down;
        st.Version++;
        st.Phase = Phase.AwaitingDetection;
        st.Detected = false;
        st.StoppedAt = now;
        st.CauseKind = _causeKind;
        st.CauseIndex = _causeIndex;
        st.DetectionDelay = service.Detection.Sample(ref _detectionRng[s]);
        st.Action = IncidentAction.WaitedForPrimary;
        _openIncidents++;
        Trace(now, TraceKind.ServiceDown, s, (int)_causeKind, st.DetectionDelay);
        _queue.Push(now + st.DetectionDelay, EventKind.Detection, s, st.Version);
    }

    private void Plan(int s, double now)
    {
        ref var st = ref _services[s];
        if (st.Phase is Phase.FailingOver or Phase.Restoring or Phase.AwaitingFailoverDecision)
        {
            return;
        }

        var service = _model.Services[s];
        if (service.CanFailOver && StandbyUsable(s))
        {
            double start = service.FailoverMode == FailoverMode.Automatic ? st.DetectedAt : st.DetectedAt + service.FailoverAfterHours;
            st.Version++;
            if (now >= start)
            {
                st.Phase = Phase.FailingOver;
                double duration = service.FailoverDuration!.Value.Sample(ref _failoverRng[s]);
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

        if (SiteUp(service.Site) && _model.Requirements.IsSatisfied(service.Requires, _up))
        {
            // The primary runs again but some of its data is gone: restore it there.
            double restore = 0;
            bool total = false;
            foreach (int d in _model.ServiceDataSets[s])
            {
                if (_data[d].Lost)
                {
                    var (loss, hours) = FromBackups(d, now, _data[d].ReferenceTime);
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

        Trace(now, TraceKind.FailoverCompleted, s);

        var service = _model.Services[s];
        double restore = 0;
        bool total = false;
        foreach (int d in _model.ServiceDataSets[s])
        {
            ref var data = ref _data[d];
            double reference = data.Lost ? data.ReferenceTime : st.StoppedAt;
            if (TryStandbyReplica(d, service.StandbySite, reference, out var loss))
            {
                data.Pending = loss;
            }
            else
            {
                var (fromBackup, hours) = FromBackups(d, now, reference);
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
            st.Action = total ? IncidentAction.RebuiltEmpty : IncidentAction.FailedOverAndRestored;
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
            foreach (int d in _model.ServiceDataSets[s])
            {
                _data[d].Lost = false;
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
                point -= replica.Lag.Sample(ref _lagRng[d]);
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
    private (Loss Loss, double RestoreHours) FromBackups(int d, double now, double reference)
    {
        var dataSet = _model.DataSets[d];
        double bestPoint = double.NegativeInfinity;
        double bestRestore = 0;
        int bestBackup = -2;
        var storageLog = _downLog[dataSet.Storage];
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
                    k = Math.Min(k - 1, Math.Floor((downStart - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours));
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
        if (location == Location.Standby && st.Action is IncidentAction.FailedOver or IncidentAction.FailedOverAndRestored or IncidentAction.RebuiltEmpty)
        {
            st.OnStandbySince = now;
        }

        if (!st.Detected)
        {
            st.Action = IncidentAction.SelfRecovered;
        }
        else if (location == Location.Primary && st.Action is IncidentAction.FailedOver or IncidentAction.FailedOverAndRestored)
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
        _trialDowntime[s] += Math.Max(0, Math.Min(now, _horizon) - st.StoppedAt);
        _trialIncidents[s]++;

        double lossHours = 0;
        double lossGb = 0;
        bool total = false;
        foreach (int d in _model.ServiceDataSets[s])
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
    }

    private struct ServiceState
    {
        public Location Location;
        public Phase Phase;
        public int Version;
        public bool Detected;
        public bool DataAtStandby;
        public bool RestoreAtStandby;
        public double StoppedAt;
        public double DetectedAt;
        public double DetectionDelay;
        public double OnStandbySince;
        public CauseKind CauseKind;
        public int CauseIndex;
        public IncidentAction Action;
    }

    private struct DataState
    {
        public bool Lost;
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
