namespace DisasterSim.Engine.Simulation;

/// <summary>
/// One data set's change clock and live position over the current trial.
/// </summary>
/// <remarks>
/// <para>
/// The <b>change clock</b> counts the hours during which the data set's service accepted writes: it runs while the service
/// runs and stands still while it is down. A <b>position</b> is a point on that clock: the live data reaches the
/// <b>live position</b>, and every copy holds the position its content reaches. The live position follows the clock, except
/// that a restore (or a failover onto a replica) rewinds it to the copy's position: the distance rewound is the data lost.
/// </para>
/// <para>
/// After a rewind the live data's history diverges from what was written before: a copy taken before the rewind shares
/// only the rewound-to prefix with it, so its position is capped by every later rewind (<see cref="PositionAt"/>).
/// A trial starts in steady state: before hour 0 the service was running, so the clock and the live position at a
/// negative time t are both t.
/// </para>
/// </remarks>
internal sealed class PositionLog
{
    private double[] _time = new double[8];
    private double[] _position = new double[8];
    private double[] _clock = new double[8];
    private bool[] _writing = new bool[8];
    private double[] _cap = new double[8];
    private int _count;

    /// <summary>Gets whether the service is accepting writes now.</summary>
    public bool Writing => _writing[_count - 1];

    /// <summary>Back to the start of a trial: the service running, clock and position 0 at hour 0.</summary>
    public void Reset()
    {
        _count = 0;
        Append(0, 0, 0, writing: true, cap: double.PositiveInfinity);
    }

    /// <summary>Gets the live position at <paramref name="now"/> (no earlier than the last change).</summary>
    public double Live(double now)
    {
        int i = _count - 1;
        return _writing[i] ? _position[i] + (now - _time[i]) : _position[i];
    }

    /// <summary>Gets the change clock at <paramref name="now"/> (no earlier than the last change).</summary>
    public double Clock(double now)
    {
        int i = _count - 1;
        return _writing[i] ? _clock[i] + (now - _time[i]) : _clock[i];
    }

    /// <summary>The service starts (or stops) accepting writes at <paramref name="now"/>.</summary>
    public void SetWriting(double now, bool writing)
    {
        if (Writing != writing)
        {
            Append(now, Live(now), Clock(now), writing, cap: double.PositiveInfinity);
        }
    }

    /// <summary>A restore (or promotion) sets the live position to <paramref name="position"/> at <paramref name="now"/>.</summary>
    public void Rewind(double now, double position) => Append(now, position, Clock(now), Writing, cap: position);

    /// <summary>
    /// The data set is rebuilt empty at <paramref name="now"/>: a new history starts where the live position stood, and every
    /// copy of the old one is worthless.
    /// </summary>
    public void StartOver(double now) => Append(now, Live(now), Clock(now), Writing, cap: double.NegativeInfinity);

    /// <summary>
    /// Gets the position, in today's history, of a copy of the live data taken at <paramref name="time"/>: the live position
    /// then, capped by every rewind since (only the prefix up to a rewind survives it). −∞ when a rebuild from nothing came after.
    /// </summary>
    public double PositionAt(double time)
    {
        double cap = double.PositiveInfinity;
        for (int i = _count - 1; i >= 0; i--)
        {
            if (_time[i] <= time)
            {
                double then = _writing[i] ? _position[i] + (time - _time[i]) : _position[i];
                return Math.Min(then, cap);
            }

            cap = Math.Min(cap, _cap[i]);
        }

        // Before hour 0 the service ran without a break (warm start).
        return Math.Min(time, cap);
    }

    /// <summary>Gets the change clock at <paramref name="time"/>.</summary>
    public double ClockAt(double time)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            if (_time[i] <= time)
            {
                return _writing[i] ? _clock[i] + (time - _time[i]) : _clock[i];
            }
        }

        return time;
    }

    /// <summary>
    /// Gets the latest time, no later than <paramref name="now"/>, at which the change clock had not passed
    /// <paramref name="clock"/>: a copy that holds every change up to that clock holds the live data as of then.
    /// </summary>
    public double TimeAtClock(double clock, double now)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            if (_clock[i] <= clock)
            {
                double end = i == _count - 1 ? now : _time[i + 1];
                return _writing[i] ? Math.Min(_time[i] + (clock - _clock[i]), end) : end;
            }
        }

        // Before hour 0 the service ran without a break: the clock at a negative time t is t.
        return clock;
    }

    private void Append(double time, double position, double clock, bool writing, double cap)
    {
        if (_count == _time.Length)
        {
            int size = _count * 2;
            Array.Resize(ref _time, size);
            Array.Resize(ref _position, size);
            Array.Resize(ref _clock, size);
            Array.Resize(ref _writing, size);
            Array.Resize(ref _cap, size);
        }

        _time[_count] = time;
        _position[_count] = position;
        _clock[_count] = clock;
        _writing[_count] = writing;
        _cap[_count] = cap;
        _count++;
    }
}
