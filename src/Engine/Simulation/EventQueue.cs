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
/// A heap entry is the whole event in 24 bytes: the time, the sequence number with the kind in its low byte (which
/// leaves the order of the sequence numbers unchanged, as they are distinct), the target and the argument. A 4-ary
/// heap is about half as deep as a binary heap, which is what a queue of a few dozen events spends its time on.
/// </para>
/// <para>
/// Most events schedule the next one as soon as they are popped. So <see cref="Pop"/> leaves the root
/// vacant, and a <see cref="Push"/> that follows fills it and sifts down once, instead of a sift down
/// for the pop and a sift up for the push. The order of pops is the same either way, as the order is total.
/// </para>
/// </remarks>
internal sealed class EventQueue
{
    private const int KindBits = 8;

    private Node[] _heap = new Node[64];
    private ulong _sequence;

    /// <summary>Slots of the heap in use, the vacant root included.</summary>
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

    public void Push(double time, EventKind kind, int target, int arg = 0)
    {
        var node = new Node(time, (_sequence++ << KindBits) | (byte)kind, target, arg);
        if (_rootVacant)
        {
            _rootVacant = false;
            SiftDown(node);
            return;
        }

        if (_size == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var heap = _heap;
        int i = _size++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Less(node, heap[parent]))
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = node;
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
        ref readonly var root = ref _heap[0];
        return new SimEvent { Time = root.Time, Kind = (EventKind)(byte)root.Order, Target = root.Target, Arg = root.Arg };
    }

    /// <summary>Puts <paramref name="node"/> at the (vacant) root and moves it down to its place.</summary>
    private void SiftDown(in Node node)
    {
        var heap = _heap;
        int size = _size;
        int i = 0;
        while (true)
        {
            int first = (i << 2) + 1;
            if (first >= size)
            {
                break;
            }

            int best = first;
            int end = Math.Min(first + 4, size);
            for (int child = first + 1; child < end; child++)
            {
                if (Less(heap[child], heap[best]))
                {
                    best = child;
                }
            }

            if (!Less(heap[best], node))
            {
                break;
            }

            heap[i] = heap[best];
            i = best;
        }

        heap[i] = node;
    }

    private static bool Less(in Node a, in Node b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Order < b.Order);

    /// <summary>A heap entry: the event's time, its sequence number (high bits) and kind (low byte), target and argument.</summary>
    private readonly record struct Node(double Time, ulong Order, int Target, int Arg);
}
