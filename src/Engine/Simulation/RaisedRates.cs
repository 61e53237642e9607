namespace DisasterSim.Engine.Simulation;

/// <summary>
/// The failure rates a threat's aftermath raises: when an outage or a rebuild ends, every component it hit (that fails by
/// itself) ages <c>factor</c> times as fast for <c>for</c> hours (restarted or replaced hardware fails more often). Windows
/// of several threats on one component do not multiply: the largest factor of those open applies, and a new arrival of the
/// same threat extends its window.
/// </summary>
/// <remarks>
/// Ageing faster is the accelerated-life reading of "a raised rate": at every moment the hazard is <c>factor</c> times what
/// it would be at the component's age, and the component leaves the window older. For an exponential time to failure
/// (constant hazard) this is exactly the rate times the factor, and by memorylessness it is the same as drawing the time
/// left again at the raised rate; for a Weibull or lognormal wear-out it also keeps the age the component reached. It needs
/// no draw: the failure already drawn moves (see <see cref="FailureProcesses.SetAgeRate"/>), so the draws of every other
/// source stay as they were.
/// </remarks>
internal sealed class RaisedRates
{
    private readonly TrialKernel _kernel;
    private readonly FailureProcesses _failures;
    private readonly CompiledThreat[] _stress;
    private readonly int _components;

    /// <summary>Per (stress index, component): when that threat's window on the component closes; −∞ for none.</summary>
    private readonly double[] _until;

    public RaisedRates(TrialKernel kernel, FailureProcesses failures)
    {
        _kernel = kernel;
        _failures = failures;
        _stress = [.. kernel.Model.StressThreats.Select(t => kernel.Model.Threats[t])];
        _components = kernel.Model.Components.Length;
        _until = new double[_stress.Length * _components];
    }

    /// <summary>Gets whether any threat raises failure rates.</summary>
    public bool Any => _stress.Length > 0;

    public void Reset() => Array.Fill(_until, double.NegativeInfinity);

    /// <summary>An instance of a threat that raises failure rates ended: the components it held start their window.</summary>
    /// <param name="t">The threat.</param>
    /// <param name="mask">Which of its reached sites the instance hit (as <see cref="Threats.Instance.Mask"/>).</param>
    /// <param name="floodSite">The site a flood instance destroyed, or −1.</param>
    /// <param name="now">The time, hours.</param>
    public void OnInstanceEnd(int t, int mask, int floodSite, double now)
    {
        var threat = _kernel.Model.Threats[t];
        double until = now + threat.StressHours;
        _kernel.Trace(now, TraceKind.RatesRaised, t, 1, threat.StressFactor, until);
        for (int i = 0; i < threat.Stressed.Length; i++)
        {
            if (floodSite >= 0)
            {
                if (threat.ReachSites[i] == floodSite)
                {
                    Open(threat, threat.FloodStressed[i].AsSpan(), until, now);
                }
            }
            else if (threat.ScopeKind == Models.ScopeKind.Component || i >= 31 || (mask & (1 << i)) != 0)
            {
                Open(threat, threat.Stressed[i].AsSpan(), until, now);
            }
        }
    }

    /// <summary>The window of stress index <paramref name="k"/> on component <paramref name="c"/> may close.</summary>
    public void OnWindowEnd(int c, int k, double now)
    {
        // A later arrival extended the window: its own closing event follows.
        if (_until[(k * _components) + c] <= now)
        {
            _failures.SetAgeRate(c, RateOf(c, now), now);
        }
    }

    /// <summary>Gets the age rate of component <paramref name="c"/> from the windows open at <paramref name="now"/>: the largest factor, or 1 for none.</summary>
    public double RateOf(int c, double now)
    {
        double rate = double.NaN;
        for (int k = 0; k < _stress.Length; k++)
        {
            if (_until[(k * _components) + c] > now && !(rate >= _stress[k].StressFactor))
            {
                rate = _stress[k].StressFactor;
            }
        }

        return double.IsNaN(rate) ? 1 : rate;
    }

    private void Open(CompiledThreat threat, ReadOnlySpan<int> components, double until, double now)
    {
        int k = threat.StressIndex;
        foreach (int c in components)
        {
            ref double end = ref _until[(k * _components) + c];
            if (until > end)
            {
                end = until;
                _kernel.Queue.Push(until, EventKind.RaisedRateEnds, c, k);
            }

            _failures.SetAgeRate(c, RateOf(c, now), now);
        }
    }
}
