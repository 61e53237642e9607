using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// What is done about a detected incident, decided again whenever something changes: fail over to the standby (by the
/// service's failover policy), restore lost data from the newest surviving copy, move to the standby for planned work, or
/// wait. A restore pauses while its target or a source is down and starts over when one of them is destroyed. With crews,
/// a manual failover and a restore first wait for a member (<see cref="Crews"/>), who is busy until the work ends.
/// </summary>
internal sealed partial class RecoveryActions
{
    private readonly TrialKernel _kernel;
    private readonly SimulationModel _model;
    private readonly ServiceLifecycle _lifecycle;
    private readonly Estate _estate;
    private readonly DataCopies _copies;
    private readonly Incidents _incidents;
    private readonly Outlook _outlook;
    private readonly StandbySites? _sites;
    private readonly Crews? _crews;
    private readonly LazyStream[] _failoverRng;
    private readonly LazyStream[] _outcomeRng;
    private readonly RecoveryPoint[] _plan;
    private readonly bool[] _inPlan;

    /// <summary>Per data set in the restore, whether its copy restored and waits for the others (after a copy that failed).</summary>
    private readonly bool[] _restored;

    /// <summary>Per data set, whether it is in a retry of the restore (its copy failed), for the restores sharing a place.</summary>
    private readonly bool[] _retrying;
    private readonly RestoreAttempts _attempts;

    /// <summary>Restores that share a place's throughput; null when no place shares one.</summary>
    private readonly SharedRestores? _shared;

    public RecoveryActions(TrialKernel kernel, ServiceLifecycle lifecycle, Estate estate, DataCopies copies, Incidents incidents, Outlook outlook, StandbySites? sites, Crews? crews = null)
    {
        _sites = sites;
        _crews = crews;
        _kernel = kernel;
        _model = kernel.Model;
        _lifecycle = lifecycle;
        _estate = estate;
        _copies = copies;
        _incidents = incidents;
        _outlook = outlook;
        _failoverRng = [.. _model.Services.Select(s => new LazyStream(s.FailoverStream))];
        _outcomeRng = [.. _model.Services.Select(s => new LazyStream(s.FailoverOutcomeStream))];
        _plan = new RecoveryPoint[_model.DataSets.Length];
        _inPlan = new bool[_model.DataSets.Length];
        _restored = new bool[_model.DataSets.Length];
        _retrying = new bool[_model.DataSets.Length];
        _attempts = new RestoreAttempts(kernel, copies.Faults);
        _shared = _model.RestorePools.IsEmpty ? null : new SharedRestores(kernel, lifecycle);
    }

    /// <summary>Gets the restores that share a place's throughput, for checks; null when no place shares one.</summary>
    internal SharedRestores? Shared => _shared;

    /// <summary>Back to the start of a trial: no restore under way.</summary>
    public void Reset() => _shared?.Reset();

    /// <summary>A restore under way is abandoned (the service runs again without it): it stops sharing its places.</summary>
    public void AbandonRestore(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.RestoreShared)
        {
            _shared!.Stop(s, now);
            st.RestoreShared = false;
        }
    }

    /// <summary>Gets service <paramref name="s"/>'s stream for failover and failback durations.</summary>
    public ref LazyStream DurationStream(int s) => ref _failoverRng[s];

    /// <summary>A detected, down service: keep on with what is under way, or decide anew.</summary>
    public void Decide(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        bool decide = st.Phase switch
        {
            ServicePhase.Waiting => true,
            ServicePhase.FailingOver or ServicePhase.SwitchingOver => !_lifecycle.StandbyInfraUp(s) && AbortFailover(s, now),
            ServicePhase.Restoring => !CheckRestore(s, now),
            ServicePhase.Queued => !QueuedStillDue(s, now) && LeaveQueue(s),
            // An operator who chose to wait acts as soon as no cause is left (else at the next reassessment).
            ServicePhase.DecisionDue => st.Reassessing && _lifecycle.PrimaryInfraUp(s) && LostStorageUp(s),
            ServicePhase.Undetected or ServicePhase.FailingBack or ServicePhase.RunningAtPrimary or ServicePhase.RunningAtStandby => false,
        };
        if (decide)
        {
            Plan(s, now);
        }
    }

    /// <summary>A decision that waited for its time falls due.</summary>
    public void OnDecisionDue(int s, int version, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.Version == version && st.Phase == ServicePhase.DecisionDue)
        {
            st.Phase = ServicePhase.Waiting;
            _lifecycle.Evaluate(s, now, st.Cause);
        }
    }

    /// <summary>A failover or planned switchover completes.</summary>
    public void OnFailoverDone(int s, int version, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.Version != version)
        {
            return;
        }

        var service = _model.Services[s];
        bool planned = st.Phase == ServicePhase.SwitchingOver;
        _crews?.Release(s, now);
        st.Phase = ServicePhase.Waiting;
        st.Version++;
        if (planned)
        {
            // A planned switchover is graceful: the copy at the standby catches up before the move, nothing is lost.
            _kernel.Trace(now, TraceKind.FailoverCompleted, s);
            foreach (int d in _lifecycle.DataSetsOf(s))
            {
                _copies.Switchover(d, now);
            }

            st.AtStandby = true;
            st.Action = IncidentAction.FailedOver;
            _lifecycle.Evaluate(s, now, st.Cause);
            return;
        }

        bool works = service.FailoverSuccessProbability >= 1 || _kernel.Draw(ref _outcomeRng[s]).NextDouble() < service.FailoverSuccessProbability;
        _kernel.Trace(now, works ? TraceKind.FailoverCompleted : TraceKind.FailoverFailed, s, works ? 0 : 1);
        bool replicas = works;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            replicas &= _copies.HasStandbyReplica(d, out _);
        }

        if (replicas)
        {
            PromoteAll(s, now);
            st.Action = IncidentAction.FailedOver;
            _lifecycle.Evaluate(s, now, st.Cause);
            return;
        }

        // Some data has no usable replica there (or the failover failed): it is restored from backups at the standby.
        st.FailedOver = true;
        st.FailoverWorked = works;
        st.Action = works ? IncidentAction.FailedOverAndRestored : IncidentAction.FailoverFailedThenRestored;
        _lifecycle.Evaluate(s, now, st.Cause);
    }

    /// <summary>A restore completes: its data sets are the copies', at the primary or at the standby.</summary>
    public void OnRestoreDone(int s, int version, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.Version != version || st.Phase != ServicePhase.Restoring)
        {
            return;
        }

        if (st.RestoreShared && !_shared!.Step(s, now))
        {
            // A milestone of a restore sharing a place: a setup or a transfer ended, not all of them.
            return;
        }

        AbandonRestore(s, now);

        if (_copies.Faults.Any && !AllRestored(s, now))
        {
            return;
        }

        bool moving = st.RestoreAtStandby && !st.AtStandby;
        _crews?.Release(s, now);
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (_inPlan[d])
            {
                _incidents.Recovered(d, _copies.Restore(d, now, _plan[d], st.RestoreAtStandby));
                _inPlan[d] = false;
            }
            else if (moving)
            {
                Promote(d, now);
            }
        }

        st.AtStandby |= st.RestoreAtStandby;
        st.FailedOver = false;
        st.Phase = ServicePhase.Waiting;
        st.Version++;
        _lifecycle.Evaluate(s, now, st.Cause);
    }

    private void Plan(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        var service = _model.Services[s];
        if (_lifecycle.WaitsOnlyForServices(s))
        {
            // Its own place is ready; a service it requires does not run, here or at any standby: nothing to do but wait.
            st.PlaceQueued = false;
            return;
        }

        bool corrupt = AnyCorrupt(s);
        bool queued = st.PlaceQueued;
        st.PlaceQueued = false;
        if (queued && !st.PlaceGranted && StillMoving(s, corrupt))
        {
            // In line for a place at its standby site: it stays in line until a place is offered (or the move no longer makes sense).
            st.PlaceQueued = true;
            return;
        }

        if (_incidents.InMaintenanceWindow(s))
        {
            // Planned work holds the primary: move to the standby first if the service is set up for it, else wait.
            if (service.MoveForMaintenance && !st.AtStandby && service.FailoverDuration is { } switchover && _lifecycle.StandbyInfraUp(s) && !corrupt
                && (_sites is null || _sites.Enter(s, now, queued)))
            {
                Start(s, now, ServicePhase.SwitchingOver, _kernel.Sample(switchover, ref _failoverRng[s]) + SwitchoverCatchUp(s, now), planned: true);
            }

            return;
        }

        if (corrupt && now < st.CleanupUntil)
        {
            // Ransomware: nothing is restored before the estate is rebuilt and cleaned.
            Due(s, st.CleanupUntil);
            return;
        }

        if (st.AtStandby)
        {
            PlanAtStandby(s, now);
            return;
        }

        if (st.FailedOver)
        {
            // The failover's first leg is done: restore the rest of its data at the standby.
            if (_lifecycle.StandbyInfraUp(s))
            {
                RestoreWhenSomebodyIsThere(s, now, atStandby: true);
            }

            return;
        }

        bool canRestore = _lifecycle.PrimaryInfraUp(s) && _lifecycle.AnyLost(s) && LostStorageUp(s);

        // Replicas copy corruption faithfully: corrupted data is restored from clean backups instead.
        if (service.CanFailOver && !corrupt && _lifecycle.StandbyInfraUp(s))
        {
            double start = service.FailoverMode switch
            {
                FailoverMode.Automatic => st.DetectedAt,
                FailoverMode.Manual => Math.Max(st.DetectedAt + service.FailoverAfterHours, st.PeopleReadyAt),
                FailoverMode.Estimate => now < st.PeopleReadyAt ? st.PeopleReadyAt : EstimateSaysGo(s, now) ? now : double.NaN,
                FailoverMode.Never => double.NaN,
            };
            if (start > now)
            {
                _kernel.Trace(now, TraceKind.FailoverScheduled, s, value: start);
                Due(s, start);
                return;
            }

            if (!double.IsNaN(start))
            {
                if ((_sites is null || _sites.Enter(s, now, queued)) && !WaitsForCrew(s, CrewWork.Failover, now, manual: service.FailoverMode != FailoverMode.Automatic))
                {
                    Start(s, now, ServicePhase.FailingOver, _kernel.Sample(service.FailoverDuration!.Value, ref _failoverRng[s]), planned: false);
                }

                return;
            }

            if (!canRestore)
            {
                // The operator chose to wait: reassess later, or as soon as no cause is left.
                Due(s, now + service.ReassessHours);
                st.Reassessing = true;
                return;
            }
        }

        if (canRestore)
        {
            RestoreWhenSomebodyIsThere(s, now, atStandby: false);
        }
    }

    /// <summary>Whether a service in line for a place at its standby site still means to move there (a failover, or a switchover for maintenance).</summary>
    private bool StillMoving(int s, bool corrupt)
    {
        ref readonly var st = ref _lifecycle.State(s);
        var service = _model.Services[s];
        return !corrupt && !st.AtStandby && !st.FailedOver && _lifecycle.StandbyInfraUp(s)
            && (_incidents.InMaintenanceWindow(s) ? service.MoveForMaintenance && service.FailoverDuration is not null : service.CanFailOver);
    }

    /// <summary>Down at the standby: restore what was lost there, or, when nothing of its data is left there, go home.</summary>
    private void PlanAtStandby(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        bool allLost = true;
        bool anyLost = false;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            allLost &= _copies.Lost(d);
            anyLost |= _copies.Lost(d);
        }

        if (anyLost && allLost)
        {
            // Nothing of the live data remains at the standby: the data is recovered at home, from what the primary kept.
            foreach (int d in _lifecycle.DataSetsOf(s))
            {
                _copies.GiveUpStandby(d, now);
            }

            st.AtStandby = false;
            _lifecycle.Evaluate(s, now, st.Cause);
            return;
        }

        if (anyLost && _lifecycle.StandbyInfraUp(s))
        {
            RestoreWhenSomebodyIsThere(s, now, atStandby: true);
        }
    }

    /// <summary>
    /// The operator's call under uncertainty: fail over now if staying (the time until the latest of the active causes ends,
    /// times a noisy factor, plus the known time of any restore still needed at the primary) is estimated to take longer than
    /// going (the expected failover time, plus the restore of data with no usable replica at the standby) plus the margin.
    /// </summary>
    private bool EstimateSaysGo(int s, double now)
    {
        var service = _model.Services[s];
        double wait = _outlook.PrimaryUpAt(s, now) - now;
        double restoreHere = 0;
        double restoreThere = 0;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (_copies.Lost(d))
            {
                restoreHere = Math.Max(restoreHere, _copies.NewestCopy(d, now, atStandby: false, _incidents.StartOf(s)).RestoreHours);
            }

            if (!_copies.HasStandbyReplica(d, out _))
            {
                restoreThere = Math.Max(restoreThere, _copies.NewestCopy(d, now, atStandby: true, _incidents.StartOf(s)).RestoreHours);
            }
        }

        double factor = service.EstimateNoise is { } noise ? _kernel.Sample(noise, ref _outcomeRng[s]) : 1;
        double stay = (wait * factor) + restoreHere;
        double goes = service.ExpectedFailoverHours + restoreThere;
        double truth = wait + restoreHere;
        if (_crews is not null)
        {
            // Each way first waits for a member to do its first manual step, as the operator sees the crews' work.
            stay += restoreHere > 0 && _crews.Handles(CrewWork.Restore) ? _crews.ExpectedWait(CrewWork.Restore, service.Priority, now) : 0;
            goes += _crews.Handles(CrewWork.Failover) ? _crews.ExpectedWait(CrewWork.Failover, service.Priority, now) : 0;
        }

        if (_lifecycle.RequiredServicesRun(s) is false)
        {
            // The services it requires are needed wherever it runs: staying and going both wait for them.
            double services = _outlook.RequiredServicesUpAt(s, now) - now;
            stay = Math.Max(stay, services * factor);
            goes = Math.Max(goes, services * factor);
            truth = Math.Max(truth, services);
        }

        bool go = stay > goes + service.EstimateMarginHours;
        _kernel.Trace(now, TraceKind.Estimated, s, go ? 1 : 0, stay, truth);
        return go;
    }

    private void ClearPlan(int s)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            _inPlan[d] = false;
        }
    }

    private void PromoteAll(int s, double now)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            Promote(d, now);
        }

        _lifecycle.State(s).AtStandby = true;
    }

    private void Promote(int d, double now)
    {
        var loss = _copies.Promote(d, now, out var point);
        _kernel.Trace(now, TraceKind.RecoveryPoint, d, point.TraceCode, loss.Hours, 0);
        _incidents.Recovered(d, loss);
    }

    private bool AbortFailover(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        _kernel.Trace(now, TraceKind.FailoverAborted, s);
        _crews?.Release(s, now);
        st.Phase = ServicePhase.Waiting;
        st.Version++;
        return true;
    }

    private void Start(int s, double now, ServicePhase phase, double duration, bool planned)
    {
        ref var st = ref _lifecycle.State(s);
        st.Phase = phase;
        st.Version++;
        st.ActionEndsAt = now + duration;
        _kernel.Trace(now, TraceKind.FailoverStarted, s, planned ? 1 : 0, duration);
        _kernel.Queue.Push(now + duration, EventKind.FailoverDone, s, st.Version);
        if (_crews?.MemberOf(s) is >= 0 and int m)
        {
            _crews.ExpectEnd(m, now + duration);
        }
    }

    private void Due(int s, double at)
    {
        ref var st = ref _lifecycle.State(s);
        st.Phase = ServicePhase.DecisionDue;
        st.Reassessing = false;
        st.Version++;
        _kernel.Queue.Push(at, EventKind.DecisionDue, s, st.Version);
    }

    /// <summary>A graceful switchover first lets the copies at the standby catch up over their links (0 without links).</summary>
    private double SwitchoverCatchUp(int s, double now)
    {
        double hours = 0;
        if (_copies.HasLinks)
        {
            foreach (int d in _lifecycle.DataSetsOf(s))
            {
                hours = Math.Max(hours, _copies.SwitchoverCatchUpHours(d, now));
            }
        }

        return hours;
    }

    private bool AnyCorrupt(int s)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (_copies.Corrupt(d))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the storage of every lost data set works (a restore writes there).</summary>
    private bool LostStorageUp(int s)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (_copies.Lost(d) && !_estate.IsUp(_model.DataSets[d].Storage))
            {
                return false;
            }
        }

        return true;
    }
}
