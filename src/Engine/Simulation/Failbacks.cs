namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Going back to the primary after running at the standby: once the primary can take the data back (its infrastructure
/// and its data's storage work), at once and without downtime by default, or with a failback policy as planned downtime of
/// its own, immediately or in the next window of a maintenance schedule (from the window's start to its end, as soon as the
/// primary is usable in it). A failback whose target or source goes down is abandoned: the service stays at the standby.
/// </summary>
internal sealed class Failbacks
{
    private readonly TrialKernel _kernel;
    private readonly SimulationModel _model;
    private readonly ServiceLifecycle _lifecycle;
    private readonly Estate _estate;
    private readonly DataCopies _copies;
    private readonly Incidents _incidents;
    private readonly Threats _threats;
    private readonly RecoveryActions _recovery;

    public Failbacks(TrialKernel kernel, ServiceLifecycle lifecycle, Estate estate, DataCopies copies, Incidents incidents, Threats threats, RecoveryActions recovery)
    {
        _kernel = kernel;
        _model = kernel.Model;
        _lifecycle = lifecycle;
        _estate = estate;
        _copies = copies;
        _incidents = incidents;
        _threats = threats;
        _recovery = recovery;
    }

    /// <summary>Service <paramref name="s"/> runs at its standby: fail back if the primary can take the data back and it is time.</summary>
    public void Consider(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (!CanTakeBack(s))
        {
            return;
        }

        var service = _model.Services[s];
        if (service.FailbackDuration is null)
        {
            MoveHome(s, now);
            _lifecycle.RunAtPrimaryAfterFailback(s, now);
            return;
        }

        if (!st.FailbackPending)
        {
            st.FailbackPending = true;
            st.Version++;
            double at = NextTime(s, now);
            _kernel.Trace(now, TraceKind.FailbackScheduled, s, value: at);
            if (at > now)
            {
                _kernel.Queue.Push(at, EventKind.FailbackDue, s, st.Version);
                return;
            }
        }

        if (Due(s, now) && now <= _kernel.Horizon)
        {
            Start(s, now);
        }
    }

    /// <summary>The time a pending failback waited for has come.</summary>
    public void OnFailbackDue(int s, int version, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.Version != version || st.Phase != ServicePhase.RunningAtStandby || !st.FailbackPending)
        {
            return;
        }

        if (!Due(s, now))
        {
            // The window passed without a usable primary: the next one.
            st.Version++;
            _kernel.Queue.Push(NextTime(s, now), EventKind.FailbackDue, s, st.Version);
            return;
        }

        if (CanTakeBack(s) && now <= _kernel.Horizon)
        {
            // Past the horizon nothing new starts: a planned failback would be a new incident.
            Start(s, now);
        }
    }

    /// <summary>During a failback: abandon it when its target or its source stops working.</summary>
    public void Check(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (CanTakeBack(s) && SourcesServed(s))
        {
            return;
        }

        _kernel.Trace(now, TraceKind.FailbackAborted, s);
        _incidents.FailingBack(s, false, now);
        st.Phase = ServicePhase.Waiting;
        st.Version++;
        _lifecycle.Evaluate(s, now, st.Cause);
    }

    /// <summary>The failback completes: the data is home, the service runs at its primary.</summary>
    public void OnFailbackDone(int s, int version, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.Version != version || st.Phase != ServicePhase.FailingBack)
        {
            return;
        }

        MoveHome(s, now);
        _incidents.FailingBack(s, false, now);
        st.Phase = ServicePhase.Waiting;
        st.Action = IncidentAction.FailedBack;
        _lifecycle.Evaluate(s, now, st.Cause);
    }

    /// <summary>
    /// Down at the standby while the primary could take the data back: fail back as the recovery (at once without a failback
    /// policy; with one, once somebody knows, taking its duration).
    /// </summary>
    /// <returns>Whether a failback happened or started.</returns>
    public bool TryWhileDown(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (!st.AtStandby || st.Phase is not (ServicePhase.Undetected or ServicePhase.Waiting) || !CanTakeBack(s) || !SourcesServed(s))
        {
            return false;
        }

        var service = _model.Services[s];
        if (service.FailbackDuration is null)
        {
            MoveHome(s, now);
            _lifecycle.Evaluate(s, now, st.Cause);
            return true;
        }

        if (!st.Detected)
        {
            return false;
        }

        double duration = _kernel.Sample(service.FailbackDuration.Value, ref _recovery.DurationStream(s));
        st.Phase = ServicePhase.FailingBack;
        st.Version++;
        st.ActionEndsAt = now + duration;
        _kernel.Trace(now, TraceKind.FailbackStarted, s, value: duration);
        _kernel.Queue.Push(now + duration, EventKind.FailbackDone, s, st.Version);
        return true;
    }

    /// <summary>Starts the planned failback of service <paramref name="s"/>, which runs at its standby: planned downtime.</summary>
    private void Start(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        _incidents.FailingBack(s, true, now);
        _lifecycle.GoDown(s, now, new Cause(CauseKind.Failback, s));
        st.Detected = true;
        st.DetectedAt = now;
        st.PeopleReadyAt = now;
        st.Phase = ServicePhase.FailingBack;
        double duration = _kernel.Sample(_model.Services[s].FailbackDuration!.Value, ref _recovery.DurationStream(s));
        st.ActionEndsAt = now + duration;
        _kernel.Trace(now, TraceKind.FailbackStarted, s, value: duration);
        _kernel.Queue.Push(now + duration, EventKind.FailbackDone, s, st.Version);
    }

    /// <summary>Whether a pending failback may start now: no window to wait for, or a window open, or none left.</summary>
    private bool Due(int s, double now)
    {
        int window = _model.Services[s].FailbackWindow;
        return window < 0 || _threats.WindowOpen(window, now) || NextWindow(window, now) < 0;
    }

    /// <summary>When a failback may start: now, or at the next window's start (now if none is left in the horizon).</summary>
    private double NextTime(int s, double now)
    {
        int window = _model.Services[s].FailbackWindow;
        if (window < 0 || _threats.WindowOpen(window, now))
        {
            return now;
        }

        int next = NextWindow(window, now);
        return next < 0 ? now : _model.Threats[window].ScheduledStarts[next];
    }

    private int NextWindow(int window, double now)
    {
        var starts = _model.Threats[window].ScheduledStarts;
        if (starts.IsDefault)
        {
            return -1;
        }

        for (int i = 0; i < starts.Length; i++)
        {
            if (starts[i] >= now)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the primary can take the data back: its infrastructure works and so does the storage of every data set.</summary>
    private bool CanTakeBack(int s)
    {
        if (!_lifecycle.PrimaryInfraUp(s))
        {
            return false;
        }

        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (!_estate.IsUp(_model.DataSets[d].Storage))
            {
                return false;
            }
        }

        return true;
    }

    private bool SourcesServed(int s)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (!_copies.Served(d))
            {
                return false;
            }
        }

        return true;
    }

    private void MoveHome(int s, double now)
    {
        _kernel.Trace(now, TraceKind.FailedBack, s);
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            _copies.MoveHome(d, now);
        }

        _lifecycle.State(s).AtStandby = false;
        _lifecycle.State(s).FailbackPending = false;
    }
}
