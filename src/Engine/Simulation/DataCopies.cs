using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Every data set's copies on its change clock (see <see cref="PositionLog"/>): the live data, synchronous mirrors,
/// asynchronous replicas, the standby working copy, and the backup jobs. Copies follow the live data while they and their
/// source are up, stop where they were when either goes down, catch up when both are back, and are empty once destroyed
/// until a live source fills them again. Recoveries rewind the live position to the copy used; the distance rewound is
/// the data lost.
/// </summary>
internal sealed class DataCopies
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly CompiledDataSet[] _sets;
    private readonly DataState[] _data;
    private readonly PositionLog[] _logs;
    private readonly IntervalLog[] _unreadable;
    private readonly CopyState[] _copies;
    private readonly int[] _copyStart;
    private readonly LazyStream[] _lagRng;
    private readonly double[] _rewound;

    /// <summary>Per data set, the periods its live data could not be read at the standby, or anywhere: kept only for policies that run there.</summary>
    private readonly IntervalLog?[] _unreadableAtStandby;
    private readonly IntervalLog?[] _unreadableAnywhere;

    /// <summary>Per data set and backup policy, the stream of its vault's retrieval times; null without a vault.</summary>
    private readonly LazyStream[]?[] _retrievalRng;
    /// <summary>The replicas shipped over a link with a bandwidth; null when the scenario has none (nothing to pay for).</summary>
    private readonly ReplicaLinks? _links;

    public DataCopies(TrialKernel kernel, Estate estate)
    {
        _kernel = kernel;
        _estate = estate;
        _sets = [.. kernel.Model.DataSets];
        _data = new DataState[_sets.Length];
        _logs = [.. _sets.Select(_ => new PositionLog())];
        _unreadable = [.. _sets.Select(_ => new IntervalLog())];
        _copyStart = new int[_sets.Length + 1];
        for (int d = 0; d < _sets.Length; d++)
        {
            _copyStart[d + 1] = _copyStart[d] + _sets[d].Copies.Length;
        }

        _copies = new CopyState[_copyStart[^1]];
        _lagRng = [.. _sets.Select(d => new LazyStream(d.LagStream))];
        _rewound = new double[_sets.Length];
        Faults = new BackupFaults(kernel);
        _unreadableAtStandby = [.. _sets.Select(d => d.BackedUpAtStandby ? new IntervalLog() : null)];
        _unreadableAnywhere = [.. _sets.Select(d => d.BackedUpAnywhere ? new IntervalLog() : null)];
        _retrievalRng = [.. _sets.Select(d => d.Backups.Any(b => b.Vault is not null)
            ? d.Backups.Select(b => new LazyStream(b.Vault?.RetrievalStream ?? 0)).ToArray()
            : null)];
        _links = kernel.Model.HasReplicaLinks ? new ReplicaLinks(kernel, estate, _copyStart) : null;
    }

    /// <summary>Gets what goes wrong with the data sets' backup jobs.</summary>
    public BackupFaults Faults { get; }

    /// <summary>Gets or sets where every copy a restore chose, of a data set that <see cref="CompiledDataSet.ExplainsCopies"/>, is noted for checks; null outside checking mode.</summary>
    internal List<CopyChoice>? Choices { get; set; }

    /// <summary>Gets or sets where every recovery is noted for checks; null outside checking mode.</summary>
    internal List<RewindRecord>? Rewinds { get; set; }

    /// <summary>A trial starts in steady state: every copy in sync, the live data at the primary, served.</summary>
    public void Reset()
    {
        if (Faults.Any)
        {
            Faults.Reset();
        }

        for (int d = 0; d < _sets.Length; d++)
        {
            _data[d] = new DataState { StandbyCopy = -1, Served = true, Readable = true, ReadableAnywhere = true, LostAt = double.NaN };
            _logs[d].Reset();
            _unreadable[d].Clear();
            _unreadableAnywhere[d]?.Clear();
            if (_unreadableAtStandby[d] is { } atStandby)
            {
                // Before hour 0 the data lived at the primary: no job of a standby policy exists from then.
                atStandby.Clear();
                atStandby.Open(double.NegativeInfinity);
            }

            _rewound[d] = 0;
            var copies = Copies(d);
            for (int i = 0; i < copies.Length; i++)
            {
                copies[i] = _sets[d].Copies[i].Role == CopyRole.StandbyWorkingCopy ? default : Following(double.NegativeInfinity);
                if (_links is not null && _links.Linked(_copyStart[d] + i))
                {
                    _links.Reset(_copyStart[d] + i, ref copies[i]);
                }
            }
        }
    }

    /// <summary>Gets the data set's positions (its change clock and live position).</summary>
    public PositionLog Log(int d) => _logs[d];

    /// <summary>Gets whether the live data is readable now where it lives.</summary>
    public bool Served(int d) => _data[d].Served;

    /// <summary>Gets whether no current copy of the live data exists: it must be recovered from an older copy.</summary>
    public bool Lost(int d) => _data[d].Lost;

    /// <summary>Gets whether the live data is corrupt (ransomware detonated and it has not been restored since).</summary>
    public bool Corrupt(int d) => _data[d].Corrupt;

    /// <summary>Gets when the infection that corrupted the live data arrived (meaningful while <see cref="Corrupt"/>).</summary>
    public double InfectedAt(int d) => _data[d].InfectedAt;

    /// <summary>Gets whether the live data lives at the standby (a failover or switchover moved it there).</summary>
    public bool AtStandby(int d) => _data[d].StandbyCopy >= 0;

    /// <summary>Gets the hours of changes the live position of <paramref name="d"/> was rewound in this trial (total losses aside).</summary>
    internal double Rewound(int d) => _rewound[d];

    /// <summary>Gets the state of copy <paramref name="i"/> of data set <paramref name="d"/>.</summary>
    internal ref readonly CopyState Copy(int d, int i) => ref _copies[_copyStart[d] + i];

    /// <summary>Gets whether some replica is shipped over a link with a bandwidth.</summary>
    public bool HasLinks => _links is not null;

    /// <summary>Gets the replicas behind links, for checks; null when there are none.</summary>
    internal ReplicaLinks? Links => _links;

    /// <summary>The service of data set <paramref name="d"/> starts or stops accepting writes.</summary>
    public void SetWriting(int d, double now, bool writing)
    {
        var log = _logs[d];
        if (_links is null || log.Writing == writing)
        {
            log.SetWriting(now, writing);
            return;
        }

        log.SetWriting(now, writing);
        int standby = _data[d].StandbyCopy;
        var copies = Copies(d);
        for (int i = 0; i < copies.Length; i++)
        {
            if (i != standby && _links.Linked(_copyStart[d] + i))
            {
                _links.OnWriting(_copyStart[d] + i, ref copies[i], log, now);
            }
        }
    }

    /// <summary>A replica's seeding or catch-up over its link reaches its end (copy <paramref name="g"/> among all data sets').</summary>
    public void OnLinkProgress(int g, int version, double now) =>
        _links!.OnProgress(g, version, ref _copies[g], _logs[_links.DataSetOf(g)], now);

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

    /// <summary>Recomputes every data set's copies after the estate changed.</summary>
    public void Refresh(double now)
    {
        for (int d = 0; d < _sets.Length; d++)
        {
            Refresh(d, now);
        }
    }

    /// <summary>Ransomware detonated: the live data is corrupt since <paramref name="infectedAt"/>, and so is every copy that followed it.</summary>
    public void Detonate(int d, double infectedAt, double now)
    {
        ref var data = ref _data[d];
        data.InfectedAt = data.Corrupt ? Math.Min(data.InfectedAt, infectedAt) : infectedAt;
        data.Corrupt = true;
        _kernel.Trace(now, TraceKind.DataDestroyed, d, 1);
        Refresh(d, now);
    }

    /// <summary>
    /// The newest copy to recover data set <paramref name="d"/> from: at the primary, a backup job or a copy kept in place;
    /// at the standby, a backup job. Corrupt data is recovered only from jobs that started before the infection.
    /// </summary>
    /// <param name="d">The data set.</param>
    /// <param name="now">The time, hours.</param>
    /// <param name="atStandby">Whether the restore's target is the standby.</param>
    /// <param name="expiryFrozenAt">The incident's start: copies that had not expired then are kept.</param>
    public RecoveryPoint NewestCopy(int d, double now, bool atStandby, double expiryFrozenAt)
    {
        var set = _sets[d];
        ref readonly var data = ref _data[d];
        var log = _logs[d];
        double startsBefore = data.Corrupt ? data.InfectedAt : double.PositiveInfinity;
        var best = RecoveryPoint.None;
        for (int b = 0; b < set.Backups.Length; b++)
        {
            var backup = set.Backups[b];
            var unreadable = Unreadable(d, backup.RunsAt);
            if (BackupJobs.Newest(backup, now, expiryFrozenAt, startsBefore, unreadable, _estate, log, backup.HasFaults ? Faults.Of(d, b) : null, out double start, out int tier))
            {
                var point = new RecoveryPoint(RecoverySource.Backup, b, log.PositionAt(start), log.ClockAt(start), backup.RestoreHours, _estate.LocationUp(backup.Destination), start, KeptBy: tier);
                if (point.IsBetterThan(best))
                {
                    best = point;
                }
            }

            if (backup.Vault is { } vault && VaultCopies.Newest(backup, now, expiryFrozenAt, startsBefore, unreadable, _estate, log, out start, out double pickedUpAt, out tier))
            {
                // The vault is outside every scope; the mean retrieval is what the choice (and an estimate) weighs.
                var point = new RecoveryPoint(
                    RecoverySource.Vault, b, log.PositionAt(start), log.ClockAt(start), vault.RetrievalMeanHours + backup.RestoreHours, true, start, pickedUpAt, tier);
                if (point.IsBetterThan(best))
                {
                    best = point;
                }
            }
        }

        if (!atStandby && !data.Corrupt && data.StandbyCopy < 0)
        {
            var copies = Copies(d);
            for (int i = 0; i < copies.Length; i++)
            {
                if (set.Copies[i].LiveMember && copies[i].Present && !copies[i].Tracking)
                {
                    var point = new RecoveryPoint(RecoverySource.InPlaceCopy, i, copies[i].Position, copies[i].Clock, 0, _estate.LocationUp(set.Copies[i].Location));
                    if (point.IsBetterThan(best))
                    {
                        best = point;
                    }
                }
            }
        }

        return best;
    }

    /// <summary>
    /// A restore starts from <paramref name="point"/>: a vault copy's retrieval time is drawn now and added to its restore; the
    /// trace says which job the copy holds, what kept it, where it was taken, and which pickup is still in transit.
    /// </summary>
    /// <param name="d">The data set.</param>
    /// <param name="point">The copy chosen by <see cref="NewestCopy"/>.</param>
    /// <param name="now">The time, hours.</param>
    /// <param name="expiryFrozenAt">The incident's start, which the choice kept copies by (for checks).</param>
    /// <returns>The copy, with the restore time it will take.</returns>
    public RecoveryPoint ForRestore(int d, RecoveryPoint point, double now, double expiryFrozenAt)
    {
        var set = _sets[d];
        if (!set.ExplainsCopies)
        {
            return point;
        }

        Choices?.Add(new CopyChoice(d, point, now, expiryFrozenAt));
        if (point.Source is RecoverySource.Backup or RecoverySource.Vault)
        {
            // Where the data lived when the job started: jobs at the primary read it there.
            bool atStandby = !double.IsNaN(_unreadable[d].LatestOverlapStart(point.TakenAt, point.TakenAt));
            _kernel.Trace(now, TraceKind.BackupJob, d, point.TraceCode, point.TakenAt, (atStandby ? 10 : 0) + point.KeptBy + 1);
        }

        if (point.Source == RecoverySource.Vault)
        {
            var backup = set.Backups[point.Index];
            double retrieval = _kernel.Sample(backup.Vault!.Retrieval, ref _retrievalRng[d]![point.Index]);
            _kernel.Trace(now, TraceKind.VaultRetrieval, d, point.Index, retrieval, point.PickedUpAt);
            point = point with { RestoreHours = retrieval + backup.RestoreHours };
        }

        for (int b = 0; b < set.Backups.Length && _kernel.Tracing; b++)
        {
            // A newer copy on the road cannot be used yet.
            var backup = set.Backups[b];
            if (backup.Vault is { } vault && VaultCopies.InTransit(backup, now) is var pickup && !double.IsNaN(pickup)
                && BackupJobs.AtPickup(backup, pickup, Unreadable(d, backup.RunsAt), _estate, out double content) && content > point.TakenAt)
            {
                _kernel.Trace(now, TraceKind.VaultInTransit, d, b, pickup + vault.TransitHours, pickup);
            }
        }

        return point;
    }

    /// <summary>The periods during which the jobs of a policy that runs at <paramref name="runsAt"/> could not read data set <paramref name="d"/>.</summary>
    internal IntervalLog Unreadable(int d, BackupRunsAt runsAt) => runsAt switch
    {
        BackupRunsAt.Primary => _unreadable[d],
        BackupRunsAt.Standby => _unreadableAtStandby[d]!,
        BackupRunsAt.Both => _unreadableAnywhere[d]!,
    };

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

    /// <summary>A restore completes: the live data is the copy's, at the primary (its storage) or at the standby (its working copy).</summary>
    public Loss Restore(int d, double now, in RecoveryPoint point, bool atStandby)
    {
        var loss = RewindTo(d, now, point);
        ref var data = ref _data[d];
        data.Corrupt = false;
        var copies = Copies(d);
        if (atStandby)
        {
            FreezePrimaryMembers(d, now);
            data.StandbyCopy = _sets[d].StandbyWorkingCopy;
            copies[data.StandbyCopy] = Following(now);
        }
        else
        {
            data.StandbyCopy = -1;
            copies[0] = Following(now);
        }

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

    /// <summary>Recomputes data set <paramref name="d"/>'s copies: destroyed ones emptied, stopped ones frozen, others following.</summary>
    private void Refresh(int d, double now)
    {
        ref var data = ref _data[d];
        var set = _sets[d];
        var copies = Copies(d);
        var log = _logs[d];
        double live = log.Live(now);
        bool home = data.StandbyCopy < 0;

        bool current = false;
        bool served = false;
        for (int i = 0; i < copies.Length; i++)
        {
            ref var copy = ref copies[i];
            var location = set.Copies[i].Location;
            if (copy.Present && _estate.LocationDestroyed(location))
            {
                copy = default;
                continue;
            }

            bool member = home ? set.Copies[i].LiveMember : i == data.StandbyCopy;
            if (!member || !copy.Present)
            {
                continue;
            }

            bool up = _estate.LocationUp(location);
            if (copy.Tracking && !up)
            {
                copy = new CopyState { Present = true, Position = live, Clock = log.Clock(now) };
            }

            if (copy.Tracking || copy.Position >= live)
            {
                current = true;
                served |= up;
            }
        }

        current &= !data.Corrupt;
        served &= current;
        for (int i = 0; i < copies.Length; i++)
        {
            ref var copy = ref copies[i];
            var meta = set.Copies[i];
            bool member = home ? meta.LiveMember : i == data.StandbyCopy;
            bool up = _estate.LocationUp(meta.Location) && !_estate.LocationDestroyed(meta.Location);

            // Members resync from the live data while it is served; replicas follow it from the primary only.
            bool follows = served && up && (member || (home && meta.Role == CopyRole.Replica));
            if (_links is not null && !member && _links.Linked(_copyStart[d] + i))
            {
                // A replica behind a link receives only while the link works, and catches up (or is seeded) at its bandwidth.
                follows &= _links.ViaUp(_copyStart[d] + i);
                if (!copy.Tracking)
                {
                    _links.Update(_copyStart[d] + i, ref copy, log, follows, now);
                    continue;
                }
            }

            if (follows)
            {
                copy = copy.Tracking ? copy : Following(now);
            }
            else if (copy.Tracking && !member)
            {
                copy = Frozen(d, meta, copy, now);
            }
        }

        Track(_unreadable[d], ref data.Readable, home && served, now);
        if (_unreadableAtStandby[d] is { } atStandby)
        {
            Track(atStandby, ref data.ReadableAtStandby, !home && served, now);
        }

        if (_unreadableAnywhere[d] is { } anywhere)
        {
            Track(anywhere, ref data.ReadableAnywhere, served, now);
        }

        if (!current && !data.Lost && !data.Corrupt)
        {
            data.LostAt = now;
            _kernel.Trace(now, TraceKind.DataDestroyed, d);
        }

        data.Lost = !current;
        data.Served = served;
    }

    /// <summary>Logs when the live data stops or starts being readable by a set of backup jobs.</summary>
    private static void Track(IntervalLog unreadable, ref bool state, bool readable, double now)
    {
        if (readable == state)
        {
            return;
        }

        if (readable)
        {
            unreadable.Close(now);
        }
        else
        {
            unreadable.Open(now);
        }

        state = readable;
    }

    /// <summary>A copy that follows the live data from <paramref name="since"/> on (it caught up then).</summary>
    private static CopyState Following(double since) => new() { Present = true, Tracking = true, Since = since };

    /// <summary>
    /// A following copy stops: it keeps what it had, the live data as of its lag ago (but not before it caught up: a lag
    /// cannot take a copy back before its last resynchronisation).
    /// </summary>
    private CopyState Frozen(int d, in CompiledCopy meta, in CopyState copy, double now)
    {
        double lag = meta.Role == CopyRole.Replica && _sets[d].Replicas[meta.Replica].Mode == ReplicationMode.Async
            ? _kernel.Sample(_sets[d].Replicas[meta.Replica].Lag, ref _lagRng[d])
            : 0;
        var log = _logs[d];
        double at = Math.Max(now - lag, copy.Since);
        return new CopyState { Present = true, Position = log.PositionAt(at), Clock = log.ClockAt(at) };
    }

    private RecoveryPoint ReplicaPoint(int d, int copy, double now)
    {
        var state = Copies(d)[copy];
        if (state.Tracking)
        {
            state = Frozen(d, _sets[d].Copies[copy], state, now);
        }
        else
        {
            _links?.Settle(_copyStart[d] + copy, ref state, _logs[d], now);
        }

        return new RecoveryPoint(RecoverySource.Replica, copy, state.Position, state.Clock, 0, _estate.LocationUp(_sets[d].Copies[copy].Location));
    }

    /// <summary>Sets the live position to the copy's (or starts over for a total loss) and caps every stopped copy at it.</summary>
    private Loss RewindTo(int d, double now, in RecoveryPoint point)
    {
        var set = _sets[d];
        var log = _logs[d];
        double before = log.Live(now);
        if (point.Source == RecoverySource.Nothing)
        {
            log.StartOver(now);
            foreach (ref var copy in Copies(d))
            {
                copy = default;
            }

            for (int i = 0; _links is not null && i < set.Copies.Length; i++)
            {
                _links.Clear(_copyStart[d] + i);
            }

            _data[d].Lost = false;
            var total = new Loss(set.TotalLossHours, set.SizeGb, true);
            Rewinds?.Add(new RewindRecord(d, total, point, log.Clock(now), _data[d].Corrupt ? _data[d].InfectedAt : double.NaN));
            return total;
        }

        double volumeHours = set.ChangeVolume is { } volume ? log.Volume(point.Position, before, now, volume) : 0;
        log.Rewind(now, point.Position);
        foreach (ref var copy in Copies(d))
        {
            if (copy.Present && !copy.Tracking)
            {
                copy.Position = Math.Min(copy.Position, point.Position);
            }
        }

        _data[d].Lost = false;
        double hours = Math.Max(0, before - point.Position);
        _rewound[d] += before - point.Position;
        var loss = new Loss(hours, (set.ChangeVolume is null ? hours : Math.Max(0, volumeHours)) * set.ChangeRateGbPerHour, false);
        Rewinds?.Add(new RewindRecord(d, loss, point, log.Clock(now), _data[d].Corrupt ? _data[d].InfectedAt : double.NaN));
        return loss;
    }

    /// <summary>The primary's copies stop following (the live data moves to the standby); they keep the live data as of now.</summary>
    private void FreezePrimaryMembers(int d, double now)
    {
        var set = _sets[d];
        var copies = Copies(d);
        double live = _logs[d].Live(now);
        double clock = _logs[d].Clock(now);
        for (int i = 0; i < copies.Length; i++)
        {
            if (set.Copies[i].LiveMember && copies[i].Tracking)
            {
                copies[i] = new CopyState { Present = true, Position = live, Clock = clock };
            }
        }
    }

    private Span<CopyState> Copies(int d) => _copies.AsSpan(_copyStart[d], _copyStart[d + 1] - _copyStart[d]);

    private struct DataState
    {
        /// <summary>The copy at the standby that holds the live data; −1 while it lives at the primary.</summary>
        public int StandbyCopy;
        public bool Served;

        /// <summary>Whether backup jobs can read the live data (served at the primary): their failed periods are logged.</summary>
        public bool Readable;

        /// <summary>Whether the jobs of a standby policy can read it (served at the standby).</summary>
        public bool ReadableAtStandby;

        /// <summary>Whether the jobs of a policy that runs anywhere can read it (served).</summary>
        public bool ReadableAnywhere;
        public bool Lost;
        public bool Corrupt;
        public double InfectedAt;
        public double LostAt;
    }
}

/// <summary>A copy a restore chose, noted for checks: the data set, the copy, when, and the incident's start that froze expiry.</summary>
internal readonly record struct CopyChoice(int DataSet, RecoveryPoint Point, double Time, double ExpiryFrozenAt);

/// <summary>A recovery, noted for checks: what it lost, from which copy, the change clock then, and the infection of corrupt data (NaN for clean data).</summary>
internal readonly record struct RewindRecord(int DataSet, Loss Loss, RecoveryPoint Point, double ClockNow, double InfectedAt);

/// <summary>One copy's state: whether it holds data, and whether it follows the live data or stopped at a position.</summary>
internal struct CopyState
{
    /// <summary>Whether it holds data (false: empty, destroyed or never filled).</summary>
    public bool Present;

    /// <summary>Whether it follows the live data (its position is derived); false: stopped at <see cref="Position"/>.</summary>
    public bool Tracking;

    /// <summary>Where it stopped, when not following.</summary>
    public double Position;

    /// <summary>The change clock when its content was current, when not following.</summary>
    public double Clock;

    /// <summary>When it last caught up with the live data and began to follow it (−∞: since before the trial).</summary>
    public double Since;
}
