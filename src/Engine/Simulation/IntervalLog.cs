namespace DisasterSim.Engine.Simulation;

/// <summary>
/// The periods during which one component was down in the current trial, oldest first; the last one
/// may still be open (end = +∞). Reused across trials.
/// </summary>
internal sealed class IntervalLog
{
    private double[] _start = new double[8];
    private double[] _end = new double[8];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Open(double time)
    {
        if (Count == _start.Length)
        {
            Array.Resize(ref _start, Count * 2);
            Array.Resize(ref _end, Count * 2);
        }

        _start[Count] = time;
        _end[Count] = double.PositiveInfinity;
        Count++;
    }

    public void Close(double time)
    {
        if (Count > 0)
        {
            _end[Count - 1] = time;
        }
    }

    /// <summary>
    /// Returns the start of the newest down period that overlaps [from, to], or NaN when none does.
    /// </summary>
    public double LatestOverlapStart(double from, double to)
    {
        for (int i = Count - 1; i >= 0; i--)
        {
            if (_end[i] < from)
            {
                // Periods are ordered and disjoint: every older one ends earlier still.
                return double.NaN;
            }

            if (_start[i] <= to)
            {
                return _start[i];
            }
        }

        return double.NaN;
    }
}
