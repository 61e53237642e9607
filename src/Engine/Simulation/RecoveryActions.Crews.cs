using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Recovery work that needs a person (<see cref="Crews"/>): a manual failover or a restore waits in the queue for a crew
/// member with the skill, leaves it when no longer due, and frees its member when the work (or, with
/// <c>restore_work: setup</c>, its setup) ends.
/// </summary>
internal sealed partial class RecoveryActions
{
    /// <summary>A crew member was handed service <paramref name="s"/>'s queued work: it starts now.</summary>
    public void OnCrewGranted(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.Phase != ServicePhase.Queued)
        {
            throw new InvalidOperationException($"service {s} was handed a crew member in phase {st.Phase}, not queued");
        }

        st.Phase = ServicePhase.Waiting;
        st.Version++;
        switch (st.QueuedWork)
        {
            case CrewWork.Failover:
                Start(s, now, ServicePhase.FailingOver, _kernel.Sample(_model.Services[s].FailoverDuration!.Value, ref _failoverRng[s]), planned: false);
                break;
            case CrewWork.Restore:
                StartRestore(s, now, st.RestoreAtStandby);
                break;
            case CrewWork.Rebuild:
                throw new InvalidOperationException("A rebuild is a threat's work, not a service's.");
        }
    }

    /// <summary>The setup of service <paramref name="s"/>'s restore is done (restore_work: setup): its member is free.</summary>
    /// <param name="s">The service.</param>
    /// <param name="version">The hands-on epoch the release was scheduled in; a pause or a new restore since makes it stale.</param>
    /// <param name="now">The current time.</param>
    public void OnCrewRelease(int s, int version, double now)
    {
        ref var st = ref _lifecycle.State(s);
        if (st.HandsOnEpoch == version && st.Phase == ServicePhase.Restoring)
        {
            st.HandsOnLeft = 0;
            _crews!.Release(s, now);
        }
    }

    /// <summary>Service <paramref name="s"/> runs again (or its incident is given up): it leaves the queue and frees its member.</summary>
    public void LeaveCrew(int s, double now)
    {
        if (_crews is not null)
        {
            _crews.Withdraw(s);
            _crews.Release(s, now);
        }
    }

    /// <summary>
    /// Whether manual work must first wait for a crew member: it joins the queue (phase <see cref="ServicePhase.Queued"/>)
    /// unless the service holds one already. Automatic work, work no crew does, and work without crews need nobody.
    /// </summary>
    private bool WaitsForCrew(int s, CrewWork work, double now, bool manual)
    {
        if (_crews is null || !manual || !_crews.Handles(work) || _crews.Holds(s))
        {
            return false;
        }

        ref var st = ref _lifecycle.State(s);
        st.Phase = ServicePhase.Queued;
        st.QueuedWork = work;
        st.Version++;
        _crews.Request(work, s, now);
        return true;
    }

    /// <summary>
    /// Whether queued work can still be done: its target works, no planned window holds the primary, no clean-up is under
    /// way. Otherwise it leaves the queue and the decision is made again.
    /// </summary>
    private bool QueuedStillDue(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        bool corrupt = AnyCorrupt(s);
        if (_incidents.InMaintenanceWindow(s) || (corrupt && now < st.CleanupUntil))
        {
            return false;
        }

        return st.QueuedWork switch
        {
            CrewWork.Failover => !corrupt && _lifecycle.StandbyInfraUp(s),
            CrewWork.Restore => st.RestoreAtStandby ? _lifecycle.StandbyInfraUp(s) : _lifecycle.PrimaryInfraUp(s) && _lifecycle.AnyLost(s) && LostStorageUp(s),
            CrewWork.Rebuild => false,
        };
    }

    private bool LeaveQueue(int s)
    {
        ref var st = ref _lifecycle.State(s);
        _crews!.Withdraw(s);
        st.Phase = ServicePhase.Waiting;
        st.Version++;
        return true;
    }

    /// <summary>How long a starting restore keeps its member: all of it, or its setup (the largest of its data sets').</summary>
    private void HandsOn(int s, double now, double hours)
    {
        ref var st = ref _lifecycle.State(s);
        st.HandsOnLeft = 0;
        st.HandsOnEpoch++;
        if (_crews?.MemberOf(s) is not (>= 0 and int m))
        {
            return;
        }

        if (_crews.Crew(_model.Crews!.CrewOfMember[m]).RestoreWork == RestoreWork.Whole)
        {
            _crews.ExpectEnd(m, now + hours);
            return;
        }

        double setup = 0;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            // A restore from a vault asks the same hands-on setup of its policy (the retrieval is a wait, not work).
            if (_inPlan[d] && _plan[d].Source is RecoverySource.Backup or RecoverySource.Vault)
            {
                setup = Math.Max(setup, _model.DataSets[d].Backups[_plan[d].Index].RestoreSetupHours);
            }
        }

        _crews.ExpectEnd(m, now + setup);
        if (setup > 0)
        {
            st.HandsOnLeft = setup;
        }
        else
        {
            // Nothing to set up: the member only starts it.
            _crews.Release(s, now);
        }
    }
}
