namespace DisasterSim.Engine.Simulation;

/// <summary>What a scheduled event does.</summary>
internal enum EventKind : byte
{
    ComponentFailure,
    ComponentRepair,
    ThreatArrival,
    ThreatEnd,
    Detection,
    FailoverDecision,
    FailoverDone,
    RestoreDone,
    PowerLost,
    Detonation,
    SiteRebuilt,
    FailbackStart,
}

/// <summary>A scheduled event. <see cref="Target"/> and <see cref="Arg"/> depend on the kind.</summary>
internal struct SimEvent
{
    public double Time;
    public long Sequence;
    public EventKind Kind;
    public int Target;
    public int Arg;
    public double Value;
}

/// <summary>
/// A binary min-heap of struct events ordered by (time, insertion sequence), so ties resolve in
/// scheduling order and results never depend on heap layout. Reused across trials: no allocation
/// once it has grown to the largest trial's size.
/// </summary>
internal sealed class EventQueue
{
    private SimEvent[] _heap = new SimEvent[64];
    private long _sequence;

    public int Count { get; private set; }

    public void Clear()
    {
        Count = 0;
        _sequence = 0;
    }

    public void Push(double time, EventKind kind, int target, int arg = 0, double value = 0)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var e = new SimEvent { Time = time, Sequence = _sequence++, Kind = kind, Target = target, Arg = arg, Value = value };
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(in e, in _heap[parent]))
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = e;
    }

    public SimEvent Pop()
    {
        var top = _heap[0];
        var last = _heap[--Count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Less(in _heap[child + 1], in _heap[child]))
            {
                child++;
            }

            if (!Less(in _heap[child], in last))
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        if (Count > 0)
        {
            _heap[i] = last;
        }

        return top;
    }

    private static bool Less(in SimEvent a, in SimEvent b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);
}
