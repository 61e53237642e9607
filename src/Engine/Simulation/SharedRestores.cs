namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Restores that read from a place with a shared restore throughput (a NAS, a site's link, a cloud bucket) share it by
/// processor sharing: the n restores transferring from it at once split its throughput evenly, none getting more than its
/// own throughput (what one cannot use is split among the others: max-min fairness). Their setup is not shared.
/// </summary>
/// <remarks>
/// <para>
/// A service's restore is one <b>flow</b> per data set it restores: a setup, then the data set's size to transfer. A flow
/// from a place without a shared throughput (a backup there, or a copy kept in place) is a fixed time, as an unshared
/// restore is. A service's flows run while its restore's clock runs (its target and every copy it reads are up,
/// <see cref="RecoveryActions"/>); a paused, finished or abandoned restore leaves its places, and the flows still there
/// are re-rated at once. Each restore's next milestone (a setup's end, a transfer's end at its current rate) is its
/// <see cref="EventKind.RestoreDone"/> event, scheduled again whenever its rates change; the restore is done when every
/// flow is.
/// </para>
/// <para>
/// A restore from a place whose throughput is not shared costs nothing here: a service none of whose flows reads a shared
/// place never comes in (<see cref="Begin"/> says so), and a scenario with no shared place has no instance of this class.
/// </para>
/// </remarks>
internal sealed class SharedRestores
{
    private readonly TrialKernel _kernel;
    private readonly SimulationModel _model;
    private readonly ServiceLifecycle _lifecycle;
    private readonly Flow[] _flows;
    private readonly int[][] _members;
    private readonly int[] _sharing;
    private readonly double[] _rates;
    private readonly bool[] _touched;
    private readonly bool[] _reschedule;

    public SharedRestores(TrialKernel kernel, ServiceLifecycle lifecycle)
    {
        _kernel = kernel;
        _model = kernel.Model;
        _lifecycle = lifecycle;
        _flows = new Flow[_model.DataSets.Length];
        var pools = _model.RestorePools;

        // Per place, the data sets that can read from it (any of their backups is kept there), in data set order.
        _members = [.. pools.Select((_, p) => _model.DataSets.Select((d, i) => (d, i)).Where(x => x.d.Backups.Any(b => b.Pool == p)).Select(x => x.i).ToArray())];
        _sharing = new int[_model.DataSets.Length];
        _rates = new double[_model.DataSets.Length];
        _touched = new bool[pools.Length];
        _reschedule = new bool[_model.Services.Length];
    }

    /// <summary>Back to the start of a trial: no restore anywhere.</summary>
    public void Reset() => Array.Clear(_flows);

    /// <summary>
    /// A restore of service <paramref name="s"/> is planned: one flow per data set in <paramref name="inPlan"/>, from the copy
    /// in <paramref name="plan"/>. Nothing runs yet.
    /// </summary>
    /// <returns>Whether some flow reads from a shared place: if not, the restore is an unshared one and nothing is kept here.</returns>
    /// <param name="setups">Per data set, the setup of its attempt, hours (drawn when it varies).</param>
    /// <param name="caps">Per data set, the attempt's own throughput, GB an hour (drawn when it varies).</param>
    public bool Begin(int s, bool[] inPlan, RecoveryPoint[] plan, double[] setups, double[] caps)
    {
        bool shared = false;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            shared |= inPlan[d] && plan[d].Source == RecoverySource.Backup && _model.DataSets[d].Backups[plan[d].Index].Pool >= 0;
        }

        if (!shared)
        {
            return false;
        }

        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            ref var flow = ref _flows[d];
            flow = default;
            if (!inPlan[d])
            {
                continue;
            }

            var point = plan[d];
            var backup = point.Source == RecoverySource.Backup ? _model.DataSets[d].Backups[point.Index] : null;
            flow = backup is { Pool: >= 0 }
                ? new Flow { InRestore = true, Pool = backup.Pool, SetupLeft = setups[d], GbLeft = _model.DataSets[d].SizeGb, Cap = caps[d] }
                : new Flow { InRestore = true, Pool = -1, SetupLeft = point.RestoreHours };
        }

        return true;
    }

    /// <summary>The restore's clock starts or resumes: its flows go on, those past their setup reading from their places.</summary>
    public void Run(int s, double now)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            ref var flow = ref _flows[d];
            if (!flow.InRestore || flow.Running)
            {
                continue;
            }

            flow.Running = true;
            flow.Since = now;
            if (flow.SetupLeft > 0)
            {
                flow.EndsAt = now + flow.SetupLeft;
            }
            else
            {
                Join(ref flow, now);
            }
        }

        _reschedule[s] = true;
        Rerate(now);
    }

    /// <summary>The restore's clock stops: its flows keep what they did, and leave their places to the others.</summary>
    public void Pause(int s, double now)
    {
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            ref var flow = ref _flows[d];
            if (!flow.Running)
            {
                continue;
            }

            if (flow.SetupLeft > 0)
            {
                flow.SetupLeft = Math.Max(0, flow.EndsAt - now);
            }
            else if (flow.Transferring)
            {
                flow.GbLeft = Left(in flow, now);
                flow.Rate = 0;
                _touched[flow.Pool] = true;
            }

            flow.Running = false;
        }

        Rerate(now);
    }

    /// <summary>The restore ends (done, abandoned, or to start over): its flows leave their places.</summary>
    public void Stop(int s, double now)
    {
        Pause(s, now);
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            _flows[d] = default;
        }
    }

    /// <summary>
    /// The restore of service <paramref name="s"/> reached a milestone: setups that end now start reading from their places,
    /// transfers that end now leave them, and the others sharing those places are re-rated.
    /// </summary>
    /// <returns>Whether every flow of the restore is done.</returns>
    public bool Step(int s, double now)
    {
        bool done = true;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            ref var flow = ref _flows[d];
            if (flow.Running && flow.EndsAt <= now)
            {
                if (flow.SetupLeft > 0)
                {
                    flow.SetupLeft = 0;
                    flow.Since = now;
                    Join(ref flow, now);
                }
                else if (flow.Transferring)
                {
                    flow.GbLeft = 0;
                    flow.Rate = 0;
                    _touched[flow.Pool] = true;
                }
            }

            done &= !flow.Pending;
        }

        _reschedule[s] = !done;
        Rerate(now);
        return done;
    }

    /// <summary>Gets the hours the restore of service <paramref name="s"/> still needs at the rates it has now (for the trace).</summary>
    public double HoursLeft(int s, double now)
    {
        double hours = 0;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            ref readonly var flow = ref _flows[d];
            if (flow.InRestore)
            {
                // A paused transfer is shown at what it would get alone.
                double rate = flow.Rate > 0 ? flow.Rate : flow.Pool >= 0 ? Math.Min(flow.Cap, _model.RestorePools[flow.Pool].CapacityGbPerHour) : 1;
                double transfer = flow.Transferring ? (flow.Running ? Left(in flow, now) : flow.GbLeft) / rate : 0;
                double setup = flow.Running && flow.SetupLeft > 0 ? flow.EndsAt - now : flow.SetupLeft;
                hours = Math.Max(hours, setup + transfer);
            }
        }

        return hours;
    }

    /// <summary>
    /// For checks: the throughput the restores reading from place <paramref name="pool"/> get now, their count, whether each
    /// gets more than nothing and no more than its own, and the sum of their own.
    /// </summary>
    internal (double Total, int Count, bool WithinOwn, double Wanted) Usage(int pool)
    {
        double total = 0;
        double wanted = 0;
        int count = 0;
        bool withinOwn = true;
        foreach (int d in _members[pool])
        {
            ref readonly var flow = ref _flows[d];
            if (flow.Running && flow.Transferring && flow.Pool == pool)
            {
                total += flow.Rate;
                wanted += flow.Cap;
                count++;
                withinOwn &= flow.Rate > 0 && flow.Rate <= flow.Cap * (1 + 1e-12);
            }
        }

        return (total, count, withinOwn, wanted);
    }

    /// <summary>A flow past its setup starts reading from its place (rated with the others there), or is done if it reads nothing.</summary>
    private void Join(ref Flow flow, double now)
    {
        flow.Since = now;
        flow.Rate = 0;
        if (flow.Transferring)
        {
            flow.EndsAt = double.PositiveInfinity;
            _touched[flow.Pool] = true;
        }
        else
        {
            flow.GbLeft = 0;
            flow.EndsAt = now;
        }
    }

    /// <summary>
    /// Shares each touched place's throughput among the flows reading from it now: in order of their own throughput, each
    /// gets the lesser of it and an even share of what is left. The restores whose rates changed, and those marked, are
    /// scheduled again.
    /// </summary>
    private void Rerate(double now)
    {
        for (int p = 0; p < _touched.Length; p++)
        {
            if (_touched[p])
            {
                _touched[p] = false;
                Share(p, now);
            }
        }

        for (int s = 0; s < _reschedule.Length; s++)
        {
            if (_reschedule[s])
            {
                _reschedule[s] = false;
                Reschedule(s, now);
            }
        }
    }

    private void Share(int p, double now)
    {
        int n = 0;
        foreach (int d in _members[p])
        {
            ref var flow = ref _flows[d];
            if (flow.Running && flow.Transferring && flow.Pool == p)
            {
                // What it read so far at its rate; one whose transfer ends now is done and takes no share (its milestone is due).
                flow.GbLeft = Left(in flow, now);
                flow.Since = now;
                if (flow.GbLeft <= 0)
                {
                    continue;
                }

                // Insertion by own throughput (ties in data set order): the slowest are served first.
                int at = n++;
                while (at > 0 && _flows[_sharing[at - 1]].Cap > flow.Cap)
                {
                    _sharing[at] = _sharing[at - 1];
                    at--;
                }

                _sharing[at] = d;
            }
        }

        double left = _model.RestorePools[p].CapacityGbPerHour;
        for (int j = 0; j < n; j++)
        {
            _rates[j] = Math.Min(_flows[_sharing[j]].Cap, left / (n - j));
            left -= _rates[j];
        }

        for (int j = 0; j < n; j++)
        {
            int d = _sharing[j];
            ref var flow = ref _flows[d];
            if (_rates[j] == flow.Rate)
            {
                continue;
            }

            flow.Rate = _rates[j];
            flow.EndsAt = now + (flow.GbLeft / flow.Rate);
            _reschedule[_model.DataSets[d].Service] = true;
            _kernel.Trace(now, TraceKind.RestoreShared, d, n, flow.Rate, flow.GbLeft / flow.Rate);
        }
    }

    /// <summary>
    /// Schedules the restore's next milestone: the earliest end of a setup or a transfer among its running flows; now when
    /// every flow is done.
    /// </summary>
    private void Reschedule(int s, double now)
    {
        double next = double.PositiveInfinity;
        bool running = false;
        foreach (int d in _lifecycle.DataSetsOf(s))
        {
            ref readonly var flow = ref _flows[d];
            running |= flow.Running;
            if (flow.Running && flow.Pending)
            {
                next = Math.Min(next, flow.EndsAt);
            }
        }

        if (running)
        {
            ref var st = ref _lifecycle.State(s);
            st.Version++;
            _kernel.Queue.Push(double.IsFinite(next) ? Math.Max(now, next) : now, EventKind.RestoreDone, s, st.Version);
        }
    }

    /// <summary>The GB a transferring flow still has to read at <paramref name="now"/> (none once its scheduled end has come).</summary>
    private static double Left(in Flow flow, double now) =>
        flow.EndsAt <= now ? 0 : Math.Max(0, flow.GbLeft - (flow.Rate * (now - flow.Since)));

    /// <summary>One data set's part of a restore.</summary>
    private struct Flow
    {
        /// <summary>Whether it is part of the restore under way.</summary>
        public bool InRestore;

        /// <summary>Whether the restore's clock runs.</summary>
        public bool Running;

        /// <summary>The place it reads from; −1 when unshared (a fixed time, held as its setup).</summary>
        public int Pool;

        /// <summary>Setup hours left (while running: until <see cref="EndsAt"/>).</summary>
        public double SetupLeft;

        /// <summary>GB left to read as of <see cref="Since"/>.</summary>
        public double GbLeft;

        /// <summary>Its own throughput: the most it gets.</summary>
        public double Cap;

        /// <summary>What it gets now, GB an hour (0 until rated).</summary>
        public double Rate;

        /// <summary>When <see cref="GbLeft"/> was last brought up to date.</summary>
        public double Since;

        /// <summary>While running: when its setup, or its transfer at the current rate, ends.</summary>
        public double EndsAt;

        public readonly bool Transferring => InRestore && SetupLeft <= 0 && GbLeft > 0 && Pool >= 0;

        /// <summary>Gets whether it still has a setup or a transfer to do.</summary>
        public readonly bool Pending => InRestore && (SetupLeft > 0 || Transferring);
    }
}
