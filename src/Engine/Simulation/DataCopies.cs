using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Every data set's copies on its change clock (see <see cref="PositionLog"/>): the live data, synchronous mirrors,
/// asynchronous replicas, the standby working copy, and the backup jobs. Copies follow the live data while they and their
/// source are up, stop where they were when either goes down, catch up when both are back, and are empty once destroyed
/// until a live source fills them again. Recoveries rewind the live position to the copy used; the distance rewound is
/// the data lost.
/// </summary>
internal sealed partial class DataCopies
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
