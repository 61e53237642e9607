using System.Collections.Immutable;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Running degraded at a standby that carries only part of the load (<c>standby.capacity</c> below 1): each hour a service
/// runs there counts 1 − capacity hours of downtime-equivalent. The service runs (no incident is open, the RTO does not
/// judge these hours); its users get a share of the service. The trial's figure counts the hours inside the horizon.
/// </summary>
internal sealed class DegradedHours
{
    private readonly TrialKernel _kernel;
    private readonly double[] _shortfall;
    private readonly double[] _since;
    private readonly double[] _hours;
    private readonly double[] _equivalent;

    public DegradedHours(TrialKernel kernel, ImmutableArray<double> shortfall)
    {
        _kernel = kernel;
        _shortfall = [.. shortfall];
        _since = new double[shortfall.Length];
        _hours = new double[shortfall.Length];
        _equivalent = new double[shortfall.Length];
        Array.Fill(_since, double.NaN);
    }

    /// <summary>Gets each service's downtime-equivalent hours of running degraded inside the horizon, in the current trial.</summary>
    public ReadOnlySpan<double> Hours => _hours;

    /// <summary>Gets each service's unplanned downtime-equivalent inside the horizon, in the current trial: its incidents' unplanned hours plus <see cref="Hours"/>.</summary>
    public ReadOnlySpan<double> DowntimeEquivalent => _equivalent;

    public void Reset()
    {
        Array.Fill(_since, double.NaN);
        Array.Clear(_hours);
        Array.Clear(_equivalent);
    }

    /// <summary>Service <paramref name="s"/> starts running at its standby.</summary>
    public void Enter(int s, double now)
    {
        if (_shortfall[s] > 0)
        {
            _since[s] = now;
            _kernel.Trace(now, TraceKind.RunningDegraded, s, value: _shortfall[s]);
        }
    }

    /// <summary>Service <paramref name="s"/> stops running at its standby (it went down, or home).</summary>
    public void Leave(int s, double now)
    {
        if (!double.IsNaN(_since[s]))
        {
            Accrue(s, now);
            _since[s] = double.NaN;
        }
    }

    /// <summary>The trial ends: services still at their standby count until the horizon; each service's downtime-equivalent adds its incidents' <paramref name="downtime"/>.</summary>
    public void EndTrial(ReadOnlySpan<double> downtime)
    {
        for (int s = 0; s < _since.Length; s++)
        {
            if (!double.IsNaN(_since[s]))
            {
                Accrue(s, _kernel.Horizon);
                _since[s] = double.NaN;
            }

            _equivalent[s] = downtime[s] + _hours[s];
        }
    }

    private void Accrue(int s, double now)
    {
        double horizon = _kernel.Horizon;
        double inHorizon = Math.Max(0, Math.Min(now, horizon) - Math.Min(_since[s], horizon));
        _hours[s] += _shortfall[s] * inHorizon;
    }
}
