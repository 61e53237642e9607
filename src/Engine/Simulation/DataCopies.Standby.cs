using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Data that moves to the standby and back: which replica a failover promotes (of several, a reachable one, then the
/// newest), a planned switchover, a return home after failback, and giving the standby up.
/// </summary>
internal sealed partial class DataCopies
{
    /// <summary>
    /// How long a graceful switchover of data set <paramref name="d"/> waits for the copy at the standby to catch up over its
    /// link (0 for a copy without one).
    /// </summary>
    public double SwitchoverCatchUpHours(int d, double now)
    {
        int copy = SwitchoverCopy(d);
        int g = _copyStart[d] + copy;
        return _links is not null && _links.Linked(g) ? _links.CatchUpHours(g, in _copies[g], _logs[d], now) : 0;
    }

    /// <summary>Gets the copy a failover would promote at the standby, if it holds data.</summary>
    public bool HasStandbyReplica(int d, out int copy)
    {
        var set = _sets[d];
        copy = set.StandbyReplica;
        if (!set.SeveralStandbyReplicas)
        {
            return copy >= 0 && Copies(d)[copy].Present && !_data[d].Corrupt;
        }

        var copies = Copies(d);
        for (int i = set.StandbyReplica; i < set.Copies.Length; i++)
        {
            if (IsStandbyReplica(set, i) && copies[i].Present)
            {
                copy = i;
                return !_data[d].Corrupt;
            }
        }

        return false;
    }

    /// <summary>
    /// The replica a failover promotes, with what it holds: the only one at the standby; of several, one that can be reached,
    /// then the newest, then the first listed (a replica shipped over a slow link may be days behind a synchronous one beside
    /// it). Each candidate's lag is drawn once, in the order they are listed, and the chosen one's point is the one used.
    /// </summary>
    private int PromotedReplica(int d, double now, out RecoveryPoint point)
    {
        var set = _sets[d];
        if (!set.SeveralStandbyReplicas)
        {
            point = ReplicaPoint(d, set.StandbyReplica, now);
            return set.StandbyReplica;
        }

        var copies = Copies(d);
        int best = -1;
        point = default;
        for (int i = set.StandbyReplica; i < set.Copies.Length; i++)
        {
            if (!IsStandbyReplica(set, i) || !copies[i].Present)
            {
                continue;
            }

            var candidate = ReplicaPoint(d, i, now);
            if (best < 0 || (candidate.Reachable && !point.Reachable) || (candidate.Reachable == point.Reachable && candidate.Position > point.Position))
            {
                best = i;
                point = candidate;
            }
        }

        if (best < 0)
        {
            point = ReplicaPoint(d, set.StandbyReplica, now);
            return set.StandbyReplica;
        }

        return best;
    }

    private static bool IsStandbyReplica(CompiledDataSet set, int i) => set.Copies[i].Role == CopyRole.Replica && set.Copies[i].AtStandby;

    /// <summary>A failover promotes the replica at the standby: the live data moves there, rewound to the replica's position.</summary>
    public Loss Promote(int d, double now, out RecoveryPoint point)
    {
        int copy = PromotedReplica(d, now, out point);
        var loss = RewindTo(d, now, point);
        FreezePrimaryMembers(d, now);
        _data[d].StandbyCopy = copy;
        Copies(d)[copy] = Following(now);
        _links?.Clear(_copyStart[d] + copy);
        Refresh(d, now);
        return loss;
    }

    /// <summary>A failback copies the live data from the standby back to the primary's copies; nothing is lost.</summary>
    public void MoveHome(int d, double now)
    {
        ref var data = ref _data[d];
        double live = _logs[d].Live(now);
        double clock = _logs[d].Clock(now);
        var set = _sets[d];
        var copies = Copies(d);
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = set.Copies[i].LiveMember ? new CopyState { Present = true, Position = live, Clock = clock }
                : set.Copies[i].Role == CopyRole.StandbyWorkingCopy ? default
                : copies[i];
        }

        data.StandbyCopy = -1;
        Refresh(d, now);
    }

    /// <summary>
    /// Nothing of the live data is left at the standby: its home is the primary again, where the copies kept there (as of the
    /// failover) are what remains.
    /// </summary>
    public void GiveUpStandby(int d, double now)
    {
        var set = _sets[d];
        if (set.StandbyWorkingCopy >= 0)
        {
            Copies(d)[set.StandbyWorkingCopy] = default;
        }

        _data[d].StandbyCopy = -1;
        Refresh(d, now);
    }

    /// <summary>A planned switchover moves the live data to the standby gracefully: the copy there catches up first.</summary>
    public void Switchover(int d, double now)
    {
        int copy = SwitchoverCopy(d);
        FreezePrimaryMembers(d, now);
        _data[d].StandbyCopy = copy;
        Copies(d)[copy] = Following(now);
        _links?.Clear(_copyStart[d] + copy);
        Refresh(d, now);
    }

    /// <summary>The copy a planned switchover moves the live data into: the replica at the standby, unless destroyed, else the working copy.</summary>
    private int SwitchoverCopy(int d)
    {
        var set = _sets[d];
        for (int i = set.StandbyReplica; i >= 0 && i < set.Copies.Length; i++)
        {
            if (IsStandbyReplica(set, i) && !_estate.LocationDestroyed(set.Copies[i].Location))
            {
                return i;
            }
        }

        return set.StandbyWorkingCopy;
    }
}
