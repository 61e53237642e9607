using System.Runtime.CompilerServices;

namespace DisasterSim.Engine.Simulation;

/// <summary>What a scheduled event does. Target and argument per kind are given on each value.</summary>
internal enum EventKind : byte
{
    /// <summary>A component's own failure. Target: component.</summary>
    ComponentFailure,

    /// <summary>A component's own repair. Target: component.</summary>
    ComponentRepair,

    /// <summary>A threat arrives. Target: threat; argument: a planned window's index.</summary>
    ThreatArrival,

    /// <summary>A threat's outage or rebuild ends. Target: threat; argument: the active instance.</summary>
    ThreatEnd,

    /// <summary>An incident is detected. Target: service; argument: the service's version.</summary>
    Detection,

    /// <summary>A decision falls due (a manual failover's wait, a reassessment, a person's arrival). Target: service; argument: version.</summary>
    DecisionDue,

    /// <summary>A failover or planned switchover completes. Target: service; argument: version.</summary>
    FailoverDone,

    /// <summary>A restore completes. Target: service; argument: version.</summary>
    RestoreDone,

    /// <summary>A UPS or generator runs out. Target: component; argument: its power version.</summary>
    PowerLost,

    /// <summary>A hidden infection detonates. Target: threat; argument: the infection's index.</summary>
    Detonation,

    /// <summary>A failback that waited for its time may start. Target: service; argument: version.</summary>
    FailbackDue,

    /// <summary>A planned failback completes. Target: service; argument: version.</summary>
    FailbackDone,

    /// <summary>The own failure of a component whose age a threat's aftermath can accelerate. Target: component; argument: its failure version.</summary>
    AgedFailure,

    /// <summary>A window of raised failure rates closes on a component. Target: component; argument: the threat's stress index.</summary>
    RaisedRateEnds,

    /// <summary>Queued work may go to a member who is free or back. Target and argument unused.</summary>
    CrewGrant,

    /// <summary>A restore's setup is done: its member is free (restore_work: setup). Target: service; argument: its hands-on epoch.</summary>
    CrewRelease,
    /// <summary>A replica's seeding or catch-up over its link ends. Target: the copy among all data sets' copies; argument: its link's version.</summary>
    ReplicaProgress,

    /// <summary>Places at a standby site are free while services wait in line: they are handed out. Target: site.</summary>
    PlacesFree,
}

/// <summary>A scheduled event. <see cref="Target"/> and <see cref="Arg"/> depend on the kind.</summary>
internal struct SimEvent
{
    public double Time;
    public int Target;
    public int Arg;
    public EventKind Kind;
}

/// <summary>
/// A 4-ary min-heap of events ordered by (time, insertion sequence), so ties resolve in scheduling order
/// and results never depend on heap layout. Reused across trials: no allocation once it has grown to the
/// largest trial's size.
/// </summary>
/// <remarks>
/// <para>
/// The heap is three parallel arrays: the times, the sequence numbers (with the kind in the low byte, which leaves
/// their order unchanged as they are distinct), and the targets and arguments. A sift compares times, eight bytes
/// apart, so the four children of a node are one cache line; sequence numbers are read only for equal times. A
/// 4-ary heap is about half as deep as a binary heap, which is what a queue of a few dozen events spends its time on.
/// </para>
/// <para>
/// Most events schedule the next one as soon as they are popped. So <see cref="Pop"/> leaves the root
/// vacant, and a <see cref="Push"/> that follows fills it and sifts down once, instead of a sift down
/// for the pop and a sift up for the push. The order of pops is the same either way, as the order is total.
/// </para>
/// <para>
/// Events for the current time (a detection after a zero delay, a decision taken at once) skip the heap: they wait
/// in a first-in first-out lane. The lane holds events of one time only, the lane time, which is the time of the last
/// pop whenever the lane is empty; an event joins the lane exactly when its time equals the lane time. The lane is
/// then in (time, sequence) order, being in push order at one time, and a pop takes the smaller of the lane's head and
/// the heap's root by that order: the smallest event of all, as a single heap would. (The root wins only with the
/// lane time and a smaller sequence number, pushed before the lane filled, as nothing is scheduled in the past.)
/// </para>
/// </remarks>
internal sealed class EventQueue
{
    private const int KindBits = 8;

    private double[] _times = new double[64];
    private ulong[] _orders = new ulong[64];
    private ulong[] _payloads = new ulong[64];
    private ulong _sequence;

    /// <summary>Slots of the heap in use, the vacant root included.</summary>
    private int _size;

    /// <summary>Whether the root was popped and not refilled yet.</summary>
    private bool _rootVacant;

    /// <summary>The lane's events in push order, from <see cref="_laneHead"/> to <see cref="_laneEnd"/>: sequence numbers and payloads.</summary>
    private ulong[] _laneOrders = new ulong[8];
    private ulong[] _lanePayloads = new ulong[8];
    private int _laneHead;
    private int _laneEnd;

    /// <summary>The time of the lane's events; NaN, which equals no time, until the first pop of a trial.</summary>
    private double _laneTime = double.NaN;

    public int Count => (_rootVacant ? _size - 1 : _size) + (_laneEnd - _laneHead);

    public void Clear()
    {
        _size = 0;
        _rootVacant = false;
        _sequence = 0;
        _laneHead = 0;
        _laneEnd = 0;
        _laneTime = double.NaN;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double time, EventKind kind, int target, int arg = 0)
    {
        ulong order = (_sequence++ << KindBits) | (byte)kind;
        ulong payload = ((ulong)(uint)arg << 32) | (uint)target;
        if (time == _laneTime)
        {
            if (_laneEnd == _laneOrders.Length)
            {
                Array.Resize(ref _laneOrders, _laneEnd * 2);
                Array.Resize(ref _lanePayloads, _laneEnd * 2);
            }

            _laneOrders[_laneEnd] = order;
            _lanePayloads[_laneEnd++] = payload;
            return;
        }

        if (_rootVacant)
        {
            _rootVacant = false;
            SiftDown(time, order, payload);
            return;
        }

        if (_size == _times.Length)
        {
            Array.Resize(ref _times, _size * 2);
            Array.Resize(ref _orders, _size * 2);
            Array.Resize(ref _payloads, _size * 2);
        }

        var times = _times;
        var orders = _orders;
        var payloads = _payloads;
        int i = _size++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Less(time, order, times[parent], orders[parent]))
            {
                break;
            }

            times[i] = times[parent];
            orders[i] = orders[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }

        times[i] = time;
        orders[i] = order;
        payloads[i] = payload;
    }

    /// <summary>Removes and returns the first event; the queue must not be empty.</summary>
    public SimEvent Pop() => TryPop(out var e) ? e : throw new InvalidOperationException("The event queue is empty.");

    /// <summary>Removes the first event into <paramref name="e"/>, or returns false when the queue is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPop(out SimEvent e)
    {
        if (!_rootVacant && _laneHead == _laneEnd && _size > 0)
        {
            // The common case, inlined: the last event's successor filled the root, and the lane is empty.
            _rootVacant = true;
            _laneTime = _times[0];
            e = Event(_times[0], _orders[0], _payloads[0]);
            return true;
        }

        return TryPopOther(out e);
    }

    private bool TryPopOther(out SimEvent e)
    {
        if (Count == 0)
        {
            e = default;
            return false;
        }

        e = PopAny();
        return true;
    }

    private SimEvent PopAny()
    {
        if (_rootVacant)
        {
            // Two pops in a row: fill the root with the last event first, as a plain heap would have.
            _rootVacant = false;
            int last = --_size;
            if (_size > 0)
            {
                SiftDown(_times[last], _orders[last], _payloads[last]);
            }
        }

        if (_laneHead < _laneEnd && (_size == 0 || Less(_laneTime, _laneOrders[_laneHead], _times[0], _orders[0])))
        {
            int first = _laneHead++;
            if (_laneHead == _laneEnd)
            {
                // Empty again; the lane time stays, as the time of this pop.
                _laneHead = 0;
                _laneEnd = 0;
            }

            return Event(_laneTime, _laneOrders[first], _lanePayloads[first]);
        }

        _rootVacant = true;
        if (_laneHead == _laneEnd)
        {
            _laneTime = _times[0];
        }

        return Event(_times[0], _orders[0], _payloads[0]);
    }

    private static SimEvent Event(double time, ulong order, ulong payload) =>
        new() { Time = time, Kind = (EventKind)(byte)order, Target = (int)(uint)payload, Arg = (int)(payload >> 32) };

    /// <summary>Puts an event at the (vacant) root and moves it down to its place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SiftDown(double time, ulong order, ulong payload)
    {
        var times = _times;
        var orders = _orders;
        var payloads = _payloads;
        int size = Math.Min(_size, times.Length);
        int i = 0;
        while (true)
        {
            int first = (i << 2) + 1;
            if (first >= size)
            {
                break;
            }

            int best = first;
            double bestTime = times[first];
            int end = Math.Min(first + 4, size);
            for (int child = first + 1; child < end; child++)
            {
                double t = times[child];
                if (t <= bestTime && (t < bestTime || orders[child] < orders[best]))
                {
                    best = child;
                    bestTime = t;
                }
            }

            if (!Less(bestTime, orders[best], time, order))
            {
                break;
            }

            times[i] = bestTime;
            orders[i] = orders[best];
            payloads[i] = payloads[best];
            i = best;
        }

        times[i] = time;
        orders[i] = order;
        payloads[i] = payload;
    }

    /// <summary>Whether (<paramref name="time"/>, <paramref name="order"/>) comes before (<paramref name="otherTime"/>, <paramref name="otherOrder"/>).</summary>
    /// <remarks>Most pairs differ in time: one comparison settles them, and the sequence numbers are read only for a tie.</remarks>
    private static bool Less(double time, ulong order, double otherTime, ulong otherOrder) =>
        time <= otherTime && (time < otherTime || order < otherOrder);
}
