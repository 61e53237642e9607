using DisasterSim.Engine.Randomness;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// People are finite: each member of a crew does one piece of manual work at a time (a manual failover, a restore, a
/// rebuild). Work that needs a person joins one queue, ordered by priority (a service's, or for a rebuild the most urgent
/// of the services its threat reaches), then by arrival; it is handed to the first member free, present and skilled for
/// it, in crew and member order. Every hand-over happens in a grant event at the current time, so work that asks at the
/// same instant is served by priority, not by the order of events. Absent members start nothing; work already started is
/// finished. Exists only when the scenario has crews.
/// </summary>
internal sealed class Crews
{
    private readonly TrialKernel _kernel;
    private readonly CrewPlan _plan;
    private readonly CompiledCrew[] _crews;
    private readonly Job[] _job;
    private readonly int[] _memberOfService;
    private Item[] _queue = new Item[8];
    private int _count;
    private long _sequence;
    private double _grantAt;
    private double _wakeAt;
    private RecoveryActions _recovery = null!;
    private Threats _threats = null!;

    public Crews(TrialKernel kernel, CrewPlan plan)
    {
        _kernel = kernel;
        _plan = plan;
        _crews = [.. plan.Crews];
        _job = new Job[plan.Members];
        _memberOfService = new int[kernel.Model.Services.Length];
    }

    /// <summary>Gets the number of queued pieces of work.</summary>
    public int Queued => _count;

    /// <summary>Connects the mechanisms whose work the crews do.</summary>
    public void Attach(RecoveryActions recovery, Threats threats)
    {
        _recovery = recovery;
        _threats = threats;
    }

    /// <summary>Every member idle, nothing queued.</summary>
    public void Reset()
    {
        Array.Clear(_job);
        Array.Fill(_memberOfService, -1);
        _count = 0;
        _sequence = 0;
        _grantAt = double.NaN;
        _wakeAt = double.PositiveInfinity;
    }

    /// <summary>Gets whether some crew does <paramref name="work"/> (else it needs nobody).</summary>
    public bool Handles(CrewWork work) => _plan.Handles(work);

    /// <summary>Gets whether service <paramref name="s"/> holds a member.</summary>
    public bool Holds(int s) => _memberOfService[s] >= 0;

    /// <summary>Gets the member service <paramref name="s"/> holds, or −1.</summary>
    public int MemberOf(int s) => _memberOfService[s];

    /// <summary>Gets crew <paramref name="c"/>.</summary>
    public CompiledCrew Crew(int c) => _crews[c];

    /// <summary>Gets what member <paramref name="m"/> is doing.</summary>
    public ref readonly Job JobOf(int m) => ref _job[m];

    /// <summary>Gets queued item <paramref name="i"/>, in queue order.</summary>
    public ref readonly Item At(int i) => ref _queue[i];

    /// <summary>Gets whether a grant is due at <paramref name="now"/> (work queued while a member is free waits for it).</summary>
    public bool GrantDue(double now) => _grantAt == now || _wakeAt == now;

    /// <summary>Service <paramref name="s"/> needs a member for <paramref name="work"/>: it joins the queue.</summary>
    public void Request(CrewWork work, int s, double now)
    {
        var service = _kernel.Model.Services[s];
        double hours = work == CrewWork.Failover ? service.ExpectedFailoverHours : _plan.RestoreEstimate[s];
        Enqueue(work, s, service.Priority, hours, now);
    }

    /// <summary>Rebuild instance <paramref name="instance"/> of threat <paramref name="t"/> needs a member for <paramref name="hours"/>.</summary>
    public void RequestRebuild(int instance, int t, double hours, double now) =>
        Enqueue(CrewWork.Rebuild, instance, _kernel.Model.Threats[t].RebuildPriority, hours, now, t);

    /// <summary>Service <paramref name="s"/> no longer needs a member: its queued work, if any, leaves the queue.</summary>
    public void Withdraw(int s)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_queue[i].Work != CrewWork.Rebuild && _queue[i].Subject == s)
            {
                RemoveAt(i);
                return;
            }
        }
    }

    /// <summary>Service <paramref name="s"/> is done with its member, if it holds one.</summary>
    public void Release(int s, double now)
    {
        int m = _memberOfService[s];
        if (m >= 0)
        {
            _memberOfService[s] = -1;
            Free(m, now);
        }
    }

    /// <summary>The rebuild of instance <paramref name="instance"/> is complete: its member is free.</summary>
    public void ReleaseRebuild(int instance, double now)
    {
        for (int m = 0; m < _job.Length; m++)
        {
            if (_job[m].Busy && _job[m].Work == CrewWork.Rebuild && _job[m].Subject == instance)
            {
                Free(m, now);
                return;
            }
        }
    }

    /// <summary>Sets when member <paramref name="m"/>'s work is expected to end (for the estimate policy).</summary>
    public void ExpectEnd(int m, double at) => _job[m].Until = at;

    /// <summary>
    /// A grant falls due: each queued piece of work, in queue order, goes to the first member free, present and skilled for it.
    /// Work whose members are all away waits for the next day one of them may be back.
    /// </summary>
    public void OnGrant(double now)
    {
        if (_grantAt == now)
        {
            _grantAt = double.NaN;
        }

        if (_wakeAt <= now)
        {
            _wakeAt = double.PositiveInfinity;
        }

        while (true)
        {
            int item = -1;
            int member = -1;
            for (int i = 0; i < _count && member < 0; i++)
            {
                member = FreeMember(_queue[i].Work, now);
                item = i;
            }

            if (member < 0)
            {
                break;
            }

            var x = _queue[item];
            RemoveAt(item);
            _job[member] = new Job { Busy = true, Work = x.Work, Subject = x.Subject, Since = now, Until = now + x.Hours };
            int subject = x.Work == CrewWork.Rebuild ? x.Threat : x.Subject;
            _kernel.Trace(now, TraceKind.CrewAssigned, subject, (member << 2) | (int)x.Work, now - x.Arrival);
            if (x.Work == CrewWork.Rebuild)
            {
                _threats.StartRebuild(x.Subject, now);
            }
            else
            {
                _memberOfService[x.Subject] = member;
                _recovery.OnCrewGranted(x.Subject, now);
            }
        }

        // Work left waiting (its turn went to more urgent work, or nobody able is there) says so once.
        for (int i = 0; i < _count; i++)
        {
            Announce(i, now);
        }

        WakeWhenBack(now);
    }

    /// <summary>
    /// How long work of kind <paramref name="work"/> at priority <paramref name="priority"/> would wait for a member if it asked now,
    /// as an operator who knows the crews' work would judge: each skilled member is free when its present work is expected to
    /// end (or when it is back, if away), and the work queued ahead of it takes the first free member for its expected time.
    /// </summary>
    public double ExpectedWait(CrewWork work, int priority, double now)
    {
        Span<double> free = _job.Length <= 64 ? stackalloc double[_job.Length] : new double[_job.Length];
        int n = 0;
        foreach (var crew in _crews)
        {
            if (!crew.Does(work))
            {
                continue;
            }

            for (int m = crew.FirstMember; m < crew.FirstMember + crew.Size; m++)
            {
                free[n++] = _job[m].Busy ? Math.Max(now, _job[m].Until) : Away(m, now) ? NextDay(m, now) : now;
            }
        }

        if (n == 0)
        {
            return 0;
        }

        var members = free[..n];
        for (int i = 0; i < _count && _queue[i].Priority <= priority; i++)
        {
            if (_queue[i].Work == work)
            {
                int first = IndexOfMin(members);
                members[first] += _queue[i].Hours;
            }
        }

        return members[IndexOfMin(members)] - now;
    }

    /// <summary>Gets whether member <paramref name="m"/> is away at trial hour <paramref name="now"/>.</summary>
    public bool Away(int m, double now)
    {
        var crew = _crews[_plan.CrewOfMember[m]];
        if (crew.Absent is not { } absent)
        {
            return false;
        }

        long day = _plan.DayAt(now);
        if (absent.Listed(day))
        {
            return true;
        }

        if (!(absent.Probability > 0))
        {
            return false;
        }

        // A uniform from a hash of the trial, the crew, the member and the block: no stream, no event.
        long block = day / absent.BlockDays;
        ulong hash = _kernel.Hash(absent.Stream, ((ulong)(uint)(m - crew.FirstMember) << 40) ^ (ulong)block);
        return (hash >> 11) * (1.0 / (1UL << 53)) < absent.Probability;
    }

    /// <summary>Gets a member free, present and skilled for <paramref name="work"/>, or −1.</summary>
    public int FreeMember(CrewWork work, double now)
    {
        foreach (var crew in _crews)
        {
            if (!crew.Does(work))
            {
                continue;
            }

            for (int m = crew.FirstMember; m < crew.FirstMember + crew.Size; m++)
            {
                if (!_job[m].Busy && !Away(m, now))
                {
                    return m;
                }
            }
        }

        return -1;
    }

    private void Enqueue(CrewWork work, int subject, int priority, double hours, double now, int threat = -1)
    {
        // Arrivals only grow, so the new item goes after every item of its priority or a more urgent one.
        int at = _count;
        while (at > 0 && _queue[at - 1].Priority > priority)
        {
            at--;
        }

        if (_count == _queue.Length)
        {
            Array.Resize(ref _queue, _count * 2);
        }

        Array.Copy(_queue, at, _queue, at + 1, _count - at);
        _queue[at] = new Item { Work = work, Subject = subject, Threat = threat, Priority = priority, Arrival = now, Hours = hours, Sequence = _sequence++ };
        _count++;
        if (FreeMember(work, now) >= 0)
        {
            Grant(now);
            return;
        }

        Announce(at, now);
        WakeWhenBack(now);
    }

    private void Announce(int i, double now)
    {
        ref var x = ref _queue[i];
        if (!x.Announced)
        {
            x.Announced = true;
            _kernel.Trace(now, TraceKind.CrewQueued, x.Work == CrewWork.Rebuild ? x.Threat : x.Subject, (int)x.Work | (AwayCount(x.Work, now) << 2), x.Priority, i);
        }
    }

    /// <summary>How many members skilled for <paramref name="work"/> are away at <paramref name="now"/> (for the trace).</summary>
    private int AwayCount(CrewWork work, double now)
    {
        int away = 0;
        foreach (var crew in _crews)
        {
            for (int m = crew.FirstMember; crew.Does(work) && m < crew.FirstMember + crew.Size; m++)
            {
                away += Away(m, now) ? 1 : 0;
            }
        }

        return away;
    }

    private void Free(int m, double now)
    {
        var job = _job[m];
        _job[m] = default;
        _kernel.Trace(now, TraceKind.CrewReleased, m, (int)job.Work, now - job.Since, job.Work == CrewWork.Rebuild ? -1 : job.Subject);
        if (_count > 0)
        {
            Grant(now);
        }
    }

    /// <summary>A grant at the current time, once: work that asks at this instant is served by priority.</summary>
    private void Grant(double now)
    {
        if (_grantAt != now)
        {
            _grantAt = now;
            _kernel.Queue.Push(now, EventKind.CrewGrant, 0);
        }
    }

    /// <summary>Queued work while members are away: look again on the next day one of the idle, absent members may be back.</summary>
    private void WakeWhenBack(double now)
    {
        if (_count == 0)
        {
            return;
        }

        double next = double.PositiveInfinity;
        for (int m = 0; m < _job.Length; m++)
        {
            if (!_job[m].Busy && Away(m, now))
            {
                next = Math.Min(next, NextDay(m, now));
            }
        }

        if (next < _wakeAt)
        {
            _wakeAt = next;
            _kernel.Queue.Push(next, EventKind.CrewGrant, 0);
        }
    }

    /// <summary>The start of the next day on which member <paramref name="m"/>'s absence may end: the next day, or the next block.</summary>
    private double NextDay(int m, double now)
    {
        var absent = _crews[_plan.CrewOfMember[m]].Absent!;
        long day = _plan.DayAt(now) + 1;
        if (!absent.Listed(day - 1))
        {
            // Away by the draw: until the next block starts.
            day = ((day - 1) / absent.BlockDays * absent.BlockDays) + absent.BlockDays;
        }

        return _plan.StartOfDay(day);
    }

    private void RemoveAt(int i)
    {
        _count--;
        Array.Copy(_queue, i + 1, _queue, i, _count - i);
    }

    private static int IndexOfMin(Span<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>What a member does.</summary>
    internal struct Job
    {
        public bool Busy;
        public CrewWork Work;

        /// <summary>The service, or for a rebuild the threat instance.</summary>
        public int Subject;
        public double Since;

        /// <summary>When it is expected to end, as planned when it began.</summary>
        public double Until;
    }

    /// <summary>Work waiting for a member.</summary>
    internal struct Item
    {
        public CrewWork Work;

        /// <summary>The service, or for a rebuild the threat instance.</summary>
        public int Subject;

        /// <summary>For a rebuild, the threat; −1 otherwise.</summary>
        public int Threat;
        public int Priority;
        public double Arrival;

        /// <summary>How long it is expected to keep its member.</summary>
        public double Hours;
        public long Sequence;

        /// <summary>Whether the trace said it waits.</summary>
        public bool Announced;
    }
}
