namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Asynchronous replicas shipped over a link with a bandwidth B (GB an hour): what a replica holds is every change up to a
/// point of the change clock (its <b>content</b>), and the link carries B / r hours of changes an hour for a change rate r.
/// </summary>
/// <remarks>
/// <para>
/// A replica that could not receive (it, its link or its source was down) has a backlog when it can again: its content
/// advances at B / r while the change clock advances at 1 while the service writes and 0 while it does not, so the backlog
/// drains at B − r GB an hour while the service writes and at B while it does not. When the content reaches the clock the
/// replica is in sync and follows the live data with its lag as any replica does; the moment is an event, computed again
/// whenever the service starts or stops writing. With r &gt; B an in-sync replica falls behind as soon as the service writes.
/// </para>
/// <para>
/// An empty replica (its target destroyed and rebuilt, or the data set rebuilt from nothing) is first <b>seeded</b>: the
/// data set's size at B, during which it holds nothing; the seed is the live data as of the seeding's start, and the changes
/// since are then a backlog like any other. Seeding pauses while the replica cannot receive, and starts over when its
/// target is destroyed again.
/// </para>
/// <para>
/// The backlog is counted on the change clock, so rewinds need no special case: a replica's position is the live data's as
/// of the latest time its content clock had been reached (<see cref="PositionLog.TimeAtClock"/>), capped by every rewind
/// since. A varying change rate would replace <see cref="Meta.ClockPerHour"/> by the clock hours that B GB cover.
/// </para>
/// </remarks>
internal sealed class ReplicaLinks
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly Meta[] _meta;
    private readonly State[] _state;
    private readonly int[] _first;

    /// <summary>Creates the links of every copy; <paramref name="copyStart"/> gives each data set's first copy among all.</summary>
    public ReplicaLinks(TrialKernel kernel, Estate estate, int[] copyStart)
    {
        _kernel = kernel;
        _estate = estate;
        var sets = kernel.Model.DataSets;
        _meta = new Meta[copyStart[^1]];
        _state = new State[_meta.Length];
        _first = copyStart;
        for (int d = 0; d < sets.Length; d++)
        {
            var set = sets[d];
            for (int i = 0; i < set.Copies.Length; i++)
            {
                var copy = set.Copies[i];
                var replica = copy.Role == CopyRole.Replica ? set.Replicas[copy.Replica] : null;
                double bandwidth = replica?.LinkBandwidthGbPerHour ?? 0;
                _meta[copyStart[d] + i] = new Meta(
                    d, i, copy.Replica, copy.Location, bandwidth, replica?.LinkVia ?? -1,
                    set.ChangeRateGbPerHour > 0 ? bandwidth / set.ChangeRateGbPerHour : double.PositiveInfinity,
                    set.SizeGb);
            }
        }
    }

    /// <summary>Gets the index among all data sets' copies of copy <paramref name="i"/> of data set <paramref name="d"/>.</summary>
    public int Global(int d, int i) => _first[d] + i;

    /// <summary>Gets whether copy <paramref name="g"/> (among all data sets' copies) is a replica behind a link.</summary>
    public bool Linked(int g) => _meta[g].Bandwidth > 0;

    /// <summary>Gets the data set of copy <paramref name="g"/>.</summary>
    public int DataSetOf(int g) => _meta[g].DataSet;

    /// <summary>Gets the copy's index within its data set.</summary>
    public int CopyOf(int g) => _meta[g].Copy;

    /// <summary>Gets whether the link of copy <paramref name="g"/> works (a link with no component always does).</summary>
    public bool ViaUp(int g) => _meta[g].Via < 0 || _estate.IsUp(_meta[g].Via);

    /// <summary>Gets whether copy <paramref name="g"/> is being seeded (it holds nothing yet).</summary>
    public bool Seeding(int g) => _state[g].Phase == Phase.Seeding;

    /// <summary>Gets whether copy <paramref name="g"/> is being seeded now (not paused).</summary>
    public bool SeedingNow(int g) => _state[g].Phase == Phase.Seeding && _state[g].Running;

    /// <summary>Gets whether copy <paramref name="g"/> is catching up with a backlog over its link.</summary>
    public bool CatchingUp(int g) => _state[g].Phase == Phase.CatchingUp;

    /// <summary>
    /// A trial starts in steady state: every replica in sync, except one whose link is slower than the change rate, which has
    /// no steady state: it is in sync at hour 0 and falls behind from there.
    /// </summary>
    public void Reset(int g, ref CopyState copy)
    {
        ref var st = ref _state[g];
        st = default;
        if (_meta[g].Bandwidth > 0 && _meta[g].ClockPerHour < 1)
        {
            copy = new CopyState { Present = true, Position = 0, Clock = 0 };
            st = new State { Phase = Phase.CatchingUp, Since = 0, Content = 0 };
        }
    }

    /// <summary>
    /// The estate or the live data changed: a replica behind a link that is not in sync starts, goes on with, or stops its
    /// seeding or catch-up. <paramref name="transfer"/> says whether it can receive now (it, its link and its source are up).
    /// </summary>
    public void Update(int g, ref CopyState copy, PositionLog log, bool transfer, double now)
    {
        ref var st = ref _state[g];
        if (_estate.LocationDestroyed(_meta[g].Location))
        {
            // Its content went with its target (emptied already); a seeding starts over once it is rebuilt.
            if (st.Phase != Phase.Idle)
            {
                st = new State { Version = st.Version + 1 };
            }

            return;
        }

        switch (st.Phase)
        {
            case Phase.Idle when transfer && !copy.Present:
                st.Phase = Phase.Seeding;
                st.SeedLeftGb = _meta[g].SizeGb;
                st.SeedOf = now;
                Resume(g, now);
                break;
            case Phase.Idle when transfer:
                StartCatchUp(g, ref copy, log, copy.Clock, now);
                break;
            case Phase.CatchingUp when !transfer:
                SetContent(ref copy, log, Content(g, log, now), now);
                st = new State { Version = st.Version + 1 };
                break;
            case Phase.Seeding when transfer && !st.Running:
                Resume(g, now);
                break;
            case Phase.Seeding when !transfer && st.Running:
                st.SeedLeftGb = Math.Max(0, st.SeedLeftGb - (_meta[g].Bandwidth * (now - st.Since)));
                st.Running = false;
                st.Version++;
                break;
            case Phase.Idle or Phase.CatchingUp or Phase.Seeding:
                break;
        }
    }

    /// <summary>
    /// The service of the copy's data set started or stopped writing: a catch-up goes on at the new pace (its end moves), and
    /// a replica in sync behind a link slower than the change rate falls behind as writing starts.
    /// </summary>
    public void OnWriting(int g, ref CopyState copy, PositionLog log, double now)
    {
        ref var st = ref _state[g];
        if (st.Phase == Phase.CatchingUp)
        {
            st.Content = Content(g, log, now);
            st.Since = now;
            Schedule(g, log, now);
        }
        else if (st.Phase == Phase.Idle && copy.Tracking && log.Writing && _meta[g].ClockPerHour < 1)
        {
            StartCatchUp(g, ref copy, log, log.Clock(now), now);
        }
    }

    /// <summary>Brings a catching-up copy's stated position up to now (before it is promoted).</summary>
    public void Settle(int g, ref CopyState copy, PositionLog log, double now)
    {
        if (_state[g].Phase == Phase.CatchingUp)
        {
            SetContent(ref copy, log, Content(g, log, now), now);
        }
    }

    /// <summary>The copy now holds the live data (a failover or switchover onto it), or was emptied: its link has nothing left to do.</summary>
    public void Clear(int g)
    {
        ref var st = ref _state[g];
        st = new State { Version = st.Version + 1 };
    }

    /// <summary>
    /// A seeding or a catch-up reaches its end. A seeded replica holds the live data as of the seeding's start and catches
    /// up from there; a replica whose backlog drained is in sync.
    /// </summary>
    public void OnProgress(int g, int version, ref CopyState copy, PositionLog log, double now)
    {
        ref var st = ref _state[g];
        if (st.Version != version)
        {
            return;
        }

        var meta = _meta[g];
        if (st.Phase == Phase.Seeding)
        {
            _kernel.Trace(now, TraceKind.ReplicaSeeded, meta.DataSet, meta.Replica, meta.SizeGb);
            double seeded = log.ClockAt(st.SeedOf);
            SetContent(ref copy, log, seeded, now);
            copy.Present = true;
            st = new State { Version = st.Version + 1 };
            StartCatchUp(g, ref copy, log, seeded, now);
            return;
        }

        copy = new CopyState { Present = true, Tracking = true, Since = now };
        st = new State { Version = st.Version + 1 };
        _kernel.Trace(now, TraceKind.ReplicaCaughtUp, meta.DataSet, meta.Replica);
    }

    /// <summary>
    /// How long a graceful switchover onto copy <paramref name="g"/> waits for it, the service having stopped writing: the
    /// rest of its seeding, and its backlog at the full bandwidth.
    /// </summary>
    public double CatchUpHours(int g, in CopyState copy, PositionLog log, double now)
    {
        ref readonly var st = ref _state[g];
        var meta = _meta[g];
        double clock = log.Clock(now);
        return st.Phase switch
        {
            Phase.Seeding => SeedLeft(g, now) / meta.Bandwidth + ((clock - log.ClockAt(st.SeedOf)) / meta.ClockPerHour),
            Phase.CatchingUp => (clock - Content(g, log, now)) / meta.ClockPerHour,
            Phase.Idle when !copy.Present => meta.SizeGb / meta.Bandwidth,
            Phase.Idle => copy.Tracking ? 0 : Math.Max(0, clock - copy.Clock) / meta.ClockPerHour,
        };
    }

    /// <summary>For checks: the change clock copy <paramref name="g"/>'s content reaches now (meaningful while catching up).</summary>
    internal double Content(int g, PositionLog log, double now)
    {
        ref readonly var st = ref _state[g];
        return Math.Min(st.Content + (_meta[g].ClockPerHour * (now - st.Since)), log.Clock(now));
    }

    private double SeedLeft(int g, double now)
    {
        ref readonly var st = ref _state[g];
        return st.Running ? Math.Max(0, st.SeedLeftGb - (_meta[g].Bandwidth * (now - st.Since))) : st.SeedLeftGb;
    }

    /// <summary>The copy can receive again with its content at <paramref name="content"/>: in sync at once, or a catch-up.</summary>
    private void StartCatchUp(int g, ref CopyState copy, PositionLog log, double content, double now)
    {
        ref var st = ref _state[g];
        var meta = _meta[g];
        double clock = log.Clock(now);
        if (double.IsPositiveInfinity(meta.ClockPerHour) || (content >= clock && (meta.ClockPerHour >= 1 || !log.Writing)))
        {
            copy = new CopyState { Present = true, Tracking = true, Since = now };
            return;
        }

        st = new State { Phase = Phase.CatchingUp, Since = now, Content = Math.Min(content, clock), Version = st.Version };
        SetContent(ref copy, log, st.Content, now);
        double hours = Schedule(g, log, now);
        _kernel.Trace(now, TraceKind.ReplicaBehind, meta.DataSet, meta.Replica, (clock - st.Content) * meta.Bandwidth / meta.ClockPerHour, hours);
    }

    /// <summary>Seeding goes on from where it stopped: its end is an event.</summary>
    private void Resume(int g, double now)
    {
        ref var st = ref _state[g];
        var meta = _meta[g];
        st.Running = true;
        st.Since = now;
        st.Version++;
        double hours = st.SeedLeftGb / meta.Bandwidth;
        _kernel.Queue.Push(now + hours, EventKind.ReplicaProgress, g, st.Version);
        _kernel.Trace(now, TraceKind.ReplicaSeeding, meta.DataSet, meta.Replica, st.SeedLeftGb, hours);
    }

    /// <summary>Schedules the end of a catch-up anchored now: when the content, at B / r, meets the change clock.</summary>
    /// <returns>The hours until then; +∞ when it never comes while the service writes as it does now.</returns>
    private double Schedule(int g, PositionLog log, double now)
    {
        ref var st = ref _state[g];
        st.Version++;
        double pace = _meta[g].ClockPerHour - (log.Writing ? 1 : 0);
        double hours = pace > 0 ? (log.Clock(now) - st.Content) / pace : double.PositiveInfinity;
        if (double.IsFinite(hours))
        {
            _kernel.Queue.Push(now + hours, EventKind.ReplicaProgress, g, st.Version);
        }

        return hours;
    }

    /// <summary>A stopped copy's content: every change up to change clock <paramref name="content"/>.</summary>
    private static void SetContent(ref CopyState copy, PositionLog log, double content, double now)
    {
        copy.Tracking = false;
        copy.Position = log.PositionAt(log.TimeAtClock(content, now));
        copy.Clock = content;
    }

    private enum Phase : byte
    {
        /// <summary>Nothing to do: in sync (following), or stopped where it was, or empty and unable to receive.</summary>
        Idle,

        /// <summary>Receiving its backlog: its content advances at B / r from <see cref="State.Content"/> at <see cref="State.Since"/>.</summary>
        CatchingUp,

        /// <summary>Empty, being filled with the whole data set (running or paused).</summary>
        Seeding,
    }

    /// <summary>What no trial changes about a copy's link.</summary>
    /// <param name="ClockPerHour">The change-clock hours the link carries an hour: bandwidth over change rate (+∞ for no changes).</param>
    private readonly record struct Meta(int DataSet, int Copy, int Replica, CompiledLocation Location, double Bandwidth, int Via, double ClockPerHour, double SizeGb);

    private struct State
    {
        public Phase Phase;
        public bool Running;
        public int Version;

        /// <summary>When the catch-up or the seeding was last anchored (or resumed).</summary>
        public double Since;

        /// <summary>Catching up: the change clock its content reached at <see cref="Since"/>.</summary>
        public double Content;

        /// <summary>Seeding: the GB still to copy at <see cref="Since"/>.</summary>
        public double SeedLeftGb;

        /// <summary>Seeding: when the live data it copies was taken.</summary>
        public double SeedOf;
    }
}
