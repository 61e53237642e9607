using System.Runtime.CompilerServices;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Each service's lifecycle (<see cref="ServicePhase"/>): running at its primary or standby, or down in an incident that is
/// detected, decided, recovered. Every transition is re-evaluated whenever anything the service depends on changes: its
/// primary, its standby, its data's copies, the target and sources of a restore, the target of a failback.
/// </summary>
internal sealed partial class ServiceLifecycle
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly DataCopies _copies;
    private readonly Detection _detection;
    private readonly Incidents _incidents;
    private readonly Threats _threats;
    private readonly ServiceState[] _services;
    private readonly Place[] _place;
    private readonly int[] _dataStart;
    private readonly int[] _dataSets;
    private readonly double _horizon;
    private RecoveryActions _recovery = null!;
    private Failbacks _failback = null!;
    private StandbySites? _sites;

    public ServiceLifecycle(TrialKernel kernel, Estate estate, DataCopies copies, Detection detection, Incidents incidents, Threats threats)
    {
        _kernel = kernel;
        _estate = estate;
        _copies = copies;
        _detection = detection;
        _incidents = incidents;
        _threats = threats;
        var model = kernel.Model;
        _services = new ServiceState[model.Services.Length];
        _place = [.. model.Services.Select((s, i) => new Place(s, model.ServiceDataSets[i].Length))];
        _dataStart = new int[model.Services.Length + 1];
        for (int s = 0; s < model.Services.Length; s++)
        {
            _dataStart[s + 1] = _dataStart[s] + model.ServiceDataSets[s].Length;
        }

        _dataSets = [.. model.ServiceDataSets.SelectMany(d => d)];
        _horizon = kernel.Horizon;
        var graph = model.Graph;
        if (graph.HasRequirements)
        {
            _requires = [.. graph.Requires.Select(r => r.ToArray())];
            _hasDependents = [.. graph.Dependents.Select(d => !d.IsEmpty)];
            _order = [.. graph.Order];
        }

        _degraded = graph.HasPartialStandbys ? new DegradedHours(kernel, graph.Shortfall) : null;
    }

    /// <summary>Gets the downtime-equivalent hours of running degraded, per service, in the current trial; null when no standby is partial.</summary>
    public DegradedHours? Degraded => _degraded;

    /// <summary>Connects the mechanisms that act on a service's incidents (they call back into the lifecycle).</summary>
    public void Attach(RecoveryActions recovery, Failbacks failback, StandbySites? sites)
    {
        _recovery = recovery;
        _failback = failback;
        _sites = sites;
    }

    /// <summary>Gets service <paramref name="s"/>'s state.</summary>
    public ref ServiceState State(int s) => ref _services[s];

    /// <summary>Gets service <paramref name="s"/>'s data sets.</summary>
    public ReadOnlySpan<int> DataSetsOf(int s) => _dataSets.AsSpan(_dataStart[s], _dataStart[s + 1] - _dataStart[s]);

    /// <summary>Every service running at its primary.</summary>
    public void Reset()
    {
        Array.Clear(_services);
        _dependentsPending = false;
        _degraded?.Reset();
    }

    /// <summary>Re-evaluates every service after a change of state that <paramref name="cause"/> brought about.</summary>
    /// <returns>How many services went down.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int EvaluateAll(double now, in Cause cause)
    {
        if (_order is not null)
        {
            return EvaluateInOrder(now, cause);
        }

        int down = 0;
        for (int s = 0; s < _services.Length; s++)
        {
            // Most services run at their primary most of the time: that check is inlined here (no service requires another).
            if (_services[s].Phase == ServicePhase.RunningAtPrimary && !(now > _horizon))
            {
                if (!OwnReadyAtPrimary(s))
                {
                    GoDown(s, now, cause);
                    down++;
                }
            }
            else
            {
                down += Evaluate(s, now, cause) ? 1 : 0;
            }
        }

        return down;
    }

    /// <summary>Re-evaluates service <paramref name="s"/>.</summary>
    /// <returns>Whether it went down.</returns>
    public bool Evaluate(int s, double now, in Cause cause)
    {
        ref var st = ref _services[s];
        if (now > _horizon && st.Running)
        {
            // Past the horizon only the incidents open at it are followed to their end; nothing new starts.
            return false;
        }

        switch (st.Phase)
        {
            case ServicePhase.RunningAtPrimary:
                if (!CanRunAtPrimary(s))
                {
                    GoDown(s, now, cause);
                    return true;
                }

                return false;
            case ServicePhase.RunningAtStandby:
                if (!CanRunAtStandby(s))
                {
                    GoDown(s, now, cause);
                    return true;
                }

                _failback.Consider(s, now);
                return false;
            case ServicePhase.Undetected or ServicePhase.Waiting or ServicePhase.DecisionDue or ServicePhase.FailingOver
                or ServicePhase.SwitchingOver or ServicePhase.Restoring or ServicePhase.FailingBack or ServicePhase.Queued:
                EvaluateDown(s, now);
                return false;
        }

        return false;
    }

    /// <summary>Gets whether service <paramref name="s"/>'s primary infrastructure works (for active-active, enough of its sites).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PrimaryInfraUp(int s)
    {
        ref readonly var place = ref _place[s];
        if (!place.ActiveActive)
        {
            return _estate.SiteUp(place.Site) && _estate.Satisfied(place.Requires);
        }

        double capacity = 0;
        foreach (var site in place.ActiveSites)
        {
            if (_estate.SiteUp(site.Site) && _estate.Satisfied(site.Requires))
            {
                capacity += site.Capacity;
            }
        }

        return capacity >= 1 - 1e-9;
    }

    /// <summary>Gets whether service <paramref name="s"/>'s standby infrastructure works.</summary>
    public bool StandbyInfraUp(int s)
    {
        ref readonly var place = ref _place[s];
        return place.StandbySite >= 0 && _estate.SiteUp(place.StandbySite) && _estate.Satisfied(place.StandbyRequires);
    }

    /// <summary>Gets whether service <paramref name="s"/> can run at its primary now: infrastructure up, every data set home and served, every service it requires running.</summary>
    public bool CanRunAtPrimary(int s) => OwnReadyAtPrimary(s) && RequiredServicesRun(s);

    /// <summary>Gets whether service <paramref name="s"/> can run at its standby now: infrastructure up, every data set there and served, every service it requires running.</summary>
    public bool CanRunAtStandby(int s) => OwnReadyAtStandby(s) && RequiredServicesRun(s);

    /// <summary>Gets whether service <paramref name="s"/>'s own primary is ready: infrastructure up, every data set home and served.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool OwnReadyAtPrimary(int s) => !_services[s].AtStandby && PrimaryInfraUp(s) && (_place[s].DataSets == 0 || AllServed(s));

    /// <summary>Gets whether service <paramref name="s"/>'s own standby is ready: infrastructure up, every data set there and served.</summary>
    private bool OwnReadyAtStandby(int s) => _services[s].AtStandby && StandbyInfraUp(s) && (_place[s].DataSets == 0 || AllServed(s));

    /// <summary>Gets whether some data set of service <paramref name="s"/> must be recovered from an older copy.</summary>
    public bool AnyLost(int s)
    {
        foreach (int d in DataSetsOf(s))
        {
            if (_copies.Lost(d))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Service <paramref name="s"/> stops running because of <paramref name="cause"/>: an incident opens.</summary>
    public void GoDown(int s, double now, in Cause cause)
    {
        ref var st = ref _services[s];
        bool atStandby = st.Phase == ServicePhase.RunningAtStandby;
        if (atStandby)
        {
            _degraded?.Leave(s, now);
        }

        st.Phase = ServicePhase.Undetected;
        st.Version++;
        st.Cause = _requires is null ? cause : CauseOfStop(s, cause);
        st.Detected = false;
        st.FailedOver = false;
        st.FailbackPending = false;
        st.HeldByServices = false;
        st.PlaceQueued = false;
        st.Action = atStandby ? IncidentAction.WaitedForStandby : IncidentAction.WaitedForPrimary;
        bool known = st.Cause.IsPlanned || _incidents.HeldByPlannedWork(s);
        (st.DetectionDelay, st.DetectedBy) = known ? (0, -1) : _detection.Delay(s, atStandby);
        SetWriting(s, now, false);
        _incidents.Begin(s, now);
        _kernel.Trace(now, TraceKind.ServiceDown, s, (int)st.Cause.Kind, st.DetectionDelay);
        if (_requires is not null)
        {
            NoteHeldByServices(s, now);
            _dependentsPending |= _hasDependents![s];
        }

        _kernel.Queue.Push(now + st.DetectionDelay, EventKind.Detection, s, st.Version);
    }

    /// <summary>Service <paramref name="s"/> runs again, at its primary or its standby: its incident closes.</summary>
    public void Resume(int s, double now, bool atStandby)
    {
        ref var st = ref _services[s];
        if (!st.Detected && !_incidents.HeldByPlannedWork(s) && !st.Cause.IsPlanned)
        {
            st.Action = IncidentAction.SelfRecovered;
        }
        else if (!atStandby && st.Action is IncidentAction.FailedOver or IncidentAction.FailedOverAndRestored or IncidentAction.FailoverFailedThenRestored)
        {
            // A failover (or the restore after it) was under way when the primary came back: abandoned.
            st.Action = IncidentAction.WaitedForPrimary;
        }
        else if (st.HeldByServices && st.Action is IncidentAction.WaitedForPrimary or IncidentAction.WaitedForStandby)
        {
            // Its own primary or standby was ready: the last thing it waited for was a service it requires.
            st.Action = IncidentAction.WaitedForDependency;
        }

        if (st.RestoreShared)
        {
            // A restore under way is abandoned: the restores it shared places with go faster.
            _recovery.AbandonRestore(s, now);
        }

        _recovery.LeaveCrew(s, now);
        st.Phase = atStandby ? ServicePhase.RunningAtStandby : ServicePhase.RunningAtPrimary;
        st.Version++;
        st.FailedOver = false;
        st.HeldByServices = false;
        st.PlaceQueued = false;
        SetWriting(s, now, true);
        _incidents.End(s, now, in st, st.Action);
        if (_requires is not null)
        {
            _dependentsPending |= _hasDependents![s];
        }

        if (atStandby)
        {
            _degraded?.Enter(s, now);
            _failback.Consider(s, now);
        }
    }

    /// <summary>
    /// Service <paramref name="s"/>, running at its standby, fails back at once without downtime (no failback policy): it
    /// runs at its primary from now.
    /// </summary>
    public void RunAtPrimaryAfterFailback(int s, double now)
    {
        ref var st = ref _services[s];
        _degraded?.Leave(s, now);
        st.Phase = ServicePhase.RunningAtPrimary;
        st.Version++;
    }

    /// <summary>The incident of service <paramref name="s"/> is detected.</summary>
    public void OnDetection(int s, int version, double now)
    {
        ref var st = ref _services[s];
        if (st.Version != version || st.Phase != ServicePhase.Undetected)
        {
            return;
        }

        st.Detected = true;
        st.DetectedAt = now;
        st.PeopleReadyAt = now + _detection.Response(s, now, out double drawn);
        st.Phase = ServicePhase.Waiting;
        _kernel.Trace(now, TraceKind.Detected, s, st.DetectedBy, st.PeopleReadyAt - now, drawn);
        if (st.Cause.Kind == CauseKind.Threat && _kernel.Model.Threats[st.Cause.Index].EndsAfterDetection)
        {
            // An outage that lasts until somebody notices: the fix starts now.
            _threats.StartFix(st.Cause.Index, now);
        }

        EvaluateDown(s, now);
    }

    /// <summary>Ransomware detonated on service <paramref name="s"/>'s data: nothing is restored before the clean-up ends.</summary>
    public void CleanUpUntil(int s, double until)
    {
        ref var st = ref _services[s];
        st.CleanupUntil = Math.Max(st.CleanupUntil, until);
    }

    /// <summary>Closes every open incident at the end of the follow-up as unresolved.</summary>
    public void CloseUnresolved(double now)
    {
        for (int s = 0; s < _services.Length; s++)
        {
            ref var st = ref _services[s];
            if (!st.Running)
            {
                _recovery.LeaveCrew(s, now);
                _incidents.End(s, now, in st, IncidentAction.Unresolved);
                st.Phase = ServicePhase.RunningAtPrimary;
            }
        }
    }

    /// <summary>A down service: back where it can run, else on with its recovery.</summary>
    private void EvaluateDown(int s, double now)
    {
        ref var st = ref _services[s];
        if (st.Phase == ServicePhase.FailingBack)
        {
            _failback.Check(s, now);
            return;
        }

        if (CanRunAtPrimary(s))
        {
            Resume(s, now, atStandby: false);
            return;
        }

        if (CanRunAtStandby(s))
        {
            Resume(s, now, atStandby: true);
            return;
        }

        if (_requires is not null)
        {
            NoteHeldByServices(s, now);
        }

        if (st.AtStandby && _failback.TryWhileDown(s, now))
        {
            return;
        }

        if (st.Phase != ServicePhase.Undetected)
        {
            _recovery.Decide(s, now);
        }
    }

    private bool AllServed(int s)
    {
        foreach (int d in DataSetsOf(s))
        {
            if (!_copies.Served(d))
            {
                return false;
            }
        }

        return true;
    }

    private void SetWriting(int s, double now, bool writing)
    {
        if (_place[s].DataSets == 0)
        {
            return;
        }

        foreach (int d in DataSetsOf(s))
        {
            _copies.SetWriting(d, now, writing);
        }
    }

    /// <summary>Where a service runs: what no trial changes, gathered from the model.</summary>
    private readonly struct Place(CompiledService service, int dataSets)
    {
        public readonly int Site = service.Site;
        public readonly int DataSets = dataSets;
        public readonly bool ActiveActive = !service.ActiveSites.IsEmpty;
        public readonly int Requires = service.Requires;
        public readonly int StandbySite = service.StandbySite;
        public readonly int StandbyRequires = service.StandbyRequires;
        public readonly System.Collections.Immutable.ImmutableArray<CompiledActiveSite> ActiveSites = service.ActiveSites;
    }
}
