using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Restores: started from the copies planned for each lost data set, paused while a target or source is down, retried from
/// an older copy when one fails to restore, and started over when a copy or target is destroyed or found infected.
/// </summary>
internal sealed partial class RecoveryActions
{
    private void RestoreWhenSomebodyIsThere(int s, double now, bool atStandby)
    {
        ref var st = ref _lifecycle.State(s);
        if (now < st.PeopleReadyAt)
        {
            Due(s, st.PeopleReadyAt);
            return;
        }

        st.RestoreAtStandby = atStandby;
        if (!WaitsForCrew(s, CrewWork.Restore, now, manual: true))
        {
            StartRestore(s, now, atStandby);
        }
    }

    private void StartRestore(int s, double now, bool atStandby)
    {
        ref var state = ref _lifecycle.State(s);
        state.RestoreAtStandby = atStandby;
        state.RestoreStartedAt = now;
        double hours = 0;
        bool total = false;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            bool needs = atStandby && !state.AtStandby ? !(state.FailoverWorked && _copies.HasStandbyReplica(d, out _)) : _copies.Lost(d);
            _inPlan[d] = needs;
            if (!needs)
            {
                continue;
            }

            var point = _copies.ForRestore(d, _copies.NewestCopy(d, now, atStandby, _incidents.StartOf(s)), now, _incidents.StartOf(s));
            _plan[d] = point;
            _restored[d] = false;
            double attempt = _attempts.Hours(d, point);
            hours = Math.Max(hours, attempt);
            total |= point.Source == RecoverySource.Nothing;
            _attempts.TraceFoundBreaks(d, now);
            _kernel.Trace(now, TraceKind.RecoveryPoint, d, point.TraceCode, Math.Max(0, _copies.Log(d).Live(now) - point.Position), attempt);
        }

        state.Action = total ? IncidentAction.RebuiltEmpty
            : !atStandby || state.AtStandby ? IncidentAction.Restored
            : state.Action;
        state.Phase = ServicePhase.Restoring;
        state.Version++;
        state.RestoreLeft = hours;
        state.RestoreSince = double.NaN;
        state.RestoreShared = _shared is not null && _shared.Begin(s, _inPlan, _plan, _attempts.Setups, _attempts.Caps);
        _kernel.Trace(now, TraceKind.RestoreStarted, s, atStandby ? 1 : 0, hours);
        HandsOn(s, now, hours);
        CheckRestore(s, now);
    }

    /// <summary>
    /// A restore's attempts end: every copy that did not restore is replaced by the next older usable one, and the restore goes
    /// on for those data sets (the others wait, restored). Each new attempt costs its setup and transfer again.
    /// </summary>
    /// <returns>Whether every data set's copy restored.</returns>
    private bool AllRestored(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        double again = double.NaN;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (!_inPlan[d] || _restored[d])
            {
                continue;
            }

            if (_attempts.Restored(d, _plan[d], now))
            {
                _restored[d] = true;
                continue;
            }

            var point = _copies.NewestCopy(d, now, st.RestoreAtStandby, _incidents.StartOf(s));
            _plan[d] = point;
            double attempt = _attempts.Hours(d, point);
            again = double.IsNaN(again) ? attempt : Math.Max(again, attempt);
            if (point.Source == RecoverySource.Nothing)
            {
                st.Action = IncidentAction.RebuiltEmpty;
            }

            _kernel.Trace(now, TraceKind.RecoveryPoint, d, point.TraceCode, Math.Max(0, _copies.Log(d).Live(now) - point.Position), attempt);
        }

        if (double.IsNaN(again))
        {
            return true;
        }

        st.RestoreLeft = again;
        st.RestoreSince = double.NaN;
        st.RestoreStartedAt = now;
        st.Version++;
        if (_shared is not null)
        {
            // Only the data sets whose copy failed restore again: they alone read from their places.
            foreach (int d in _lifecycle.DataSetsOf(s))
            {
                _retrying[d] = _inPlan[d] && !_restored[d];
            }

            st.RestoreShared = _shared.Begin(s, _retrying, _plan, _attempts.Setups, _attempts.Caps);
        }

        _kernel.Trace(now, TraceKind.RestoreRetried, s, value: again);
        if (!CheckRestore(s, now))
        {
            _lifecycle.Evaluate(s, now, st.Cause);
        }

        return false;
    }

    /// <summary>Keeps a restore's clock running only while its target and sources are up.</summary>
    /// <returns>False when the restore must start over (its target or a source was destroyed since it started).</returns>
    private bool CheckRestore(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        bool ready = !st.RestoreAtStandby || _lifecycle.StandbyInfraUp(s);
        bool promoting = st.RestoreAtStandby && !st.AtStandby;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            if (!_inPlan[d])
            {
                if (promoting && _copies.Corrupt(d))
                {
                    // Its replica, to be promoted when the restore ends, followed the corruption: plan again.
                    Restart(s, now);
                    return false;
                }

                continue;
            }

            var set = _model.DataSets[d];
            var target = st.RestoreAtStandby ? set.Copies[set.StandbyWorkingCopy].Location : set.Copies[0].Location;
            var point = _plan[d];

            // A copy that restored is in the target already: only the target matters to it now.
            bool read = _restored[d];
            bool sourceGone = !read && point.Source switch
            {
                RecoverySource.Backup => _estate.LocationDestroyedAt(set.Backups[point.Index].Destination) > st.RestoreStartedAt
                    || _copies.Faults.Of(d, point.Index)?.EncryptedSince(st.RestoreStartedAt) == true,
                RecoverySource.InPlaceCopy => !_copies.Copy(d, point.Index).Present,
                RecoverySource.Nothing or RecoverySource.Replica or RecoverySource.Vault => false,
            };

            // Ransomware that detonates during a restore: a copy taken after the infection holds it too.
            sourceGone |= _copies.Corrupt(d) && !point.CleanOf(_copies.InfectedAt(d));
            if (sourceGone || _estate.LocationDestroyedAt(target) > st.RestoreStartedAt)
            {
                Restart(s, now);
                return false;
            }

            ready &= _estate.LocationUp(target) && (read || point.Source switch
            {
                RecoverySource.Backup => _estate.LocationUp(set.Backups[point.Index].Destination),
                RecoverySource.InPlaceCopy => _estate.LocationUp(set.Copies[point.Index].Location),
                RecoverySource.Nothing or RecoverySource.Replica or RecoverySource.Vault => true,
            });
        }

        bool running = !double.IsNaN(st.RestoreSince);
        if (ready && !running)
        {
            st.RestoreSince = now;
            if (st.RestoreShared)
            {
                _shared!.Run(s, now);
            }
            else
            {
                st.Version++;
                _kernel.Queue.Push(now + st.RestoreLeft, EventKind.RestoreDone, s, st.Version);
            }

            if (st.HandsOnLeft > 0)
            {
                // The member is free once the setup is done, counted on the restore's clock (restore_work: setup).
                _kernel.Queue.Push(now + st.HandsOnLeft, EventKind.CrewRelease, s, ++st.HandsOnEpoch);
            }

            if (now > st.RestoreStartedAt)
            {
                _kernel.Trace(now, TraceKind.RestoreResumed, s, value: st.RestoreShared ? _shared!.HoursLeft(s, now) : st.RestoreLeft);
            }
        }
        else if (!ready && running)
        {
            st.RestoreLeft -= now - st.RestoreSince;
            st.HandsOnLeft = Math.Max(0, st.HandsOnLeft - (now - st.RestoreSince));
            st.HandsOnEpoch++;
            st.RestoreSince = double.NaN;
            st.Version++;
            if (st.RestoreShared)
            {
                _shared!.Pause(s, now);
            }

            _kernel.Trace(now, TraceKind.RestorePaused, s, value: st.RestoreShared ? _shared!.HoursLeft(s, now) : st.RestoreLeft);
        }
        else if (!ready && now == st.RestoreStartedAt)
        {
            _kernel.Trace(now, TraceKind.RestorePaused, s, value: st.RestoreLeft);
        }

        return true;
    }

    private void Restart(int s, double now)
    {
        ref var st = ref _lifecycle.State(s);
        _kernel.Trace(now, TraceKind.RestoreRestarted, s);
        _crews?.Release(s, now);
        AbandonRestore(s, now);
        ClearPlan(s);
        st.Phase = ServicePhase.Waiting;
        st.Version++;
    }
}
