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
/// <remarks>
/// Most events schedule the next one as soon as they are popped. So <see cref="Pop"/> leaves the root
/// vacant, and a <see cref="Push"/> that follows fills it and sifts down once, instead of a sift down
/// for the pop and a sift up for the push. The order of pops is the same either way, as the order is total.
/// </remarks>
internal sealed class EventQueue
{
    private SimEvent[] _heap = new SimEvent[64];
    private long _sequence;

    /// <summary>Slots in use, the vacant root included.</summary>
    private int _size;

    /// <summary>Whether the root was popped and not refilled yet.</summary>
    private bool _rootVacant;

    public int Count => _rootVacant ? _size - 1 : _size;

    public void Clear()
    {
        _size = 0;
        _rootVacant = false;
        _sequence = 0;
    }

    public void Push(double time, EventKind kind, int target, int arg = 0, double value = 0)
    {
        var e = new SimEvent { Time = time, Sequence = _sequence++, Kind = kind, Target = target, Arg = arg, Value = value };
        if (_rootVacant)
        {
            _rootVacant = false;
            SiftDown(e);
            return;
        }

        if (_size == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        int i = _size++;
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
        if (_rootVacant)
        {
            // Two pops in a row: fill the root with the last event first, as a plain heap would have.
            _rootVacant = false;
            var last = _heap[--_size];
            if (_size > 0)
            {
                SiftDown(last);
            }
        }

        _rootVacant = true;
        return _heap[0];
    }

    /// <summary>Puts <paramref name="e"/> at the (vacant) root and moves it down to its place.</summary>
    private void SiftDown(in SimEvent e)
    {
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= _size)
            {
                break;
            }

            if (child + 1 < _size && Less(in _heap[child + 1], in _heap[child]))
            {
                child++;
            }

            if (!Less(in _heap[child], in e))
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        _heap[i] = e;
    }

    private static bool Less(in SimEvent a, in SimEvent b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);
}
