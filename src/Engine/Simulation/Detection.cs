using System.Collections.Immutable;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// How long until somebody knows: the earliest of the manual-discovery delay (users complain) and the delays of the monitors
/// that can see the outage; and, with a calendar, how long until a person acts on it.
/// </summary>
internal sealed class Detection
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly SimulationModel _model;
    private readonly LazyStream[] _detectionRng;
    private readonly LazyStream[] _monitorRng;
    private readonly LazyStream[] _peopleRng;
    private readonly Sampler[] _manual;
    private readonly ImmutableArray<bool>[] _primaryWatch;
    private readonly ImmutableArray<bool>[] _standbyWatch;
    private readonly Incidents _incidents;

    /// <summary>Per service, which services it requires directly or not; default when no service requires another.</summary>
    private readonly ImmutableArray<ImmutableArray<bool>> _requiresClosure;
    private readonly ImmutableArray<ImmutableArray<int>> _monitorRequires;

    public Detection(TrialKernel kernel, Estate estate, Incidents incidents)
    {
        _kernel = kernel;
        _estate = estate;
        _incidents = incidents;
        _model = kernel.Model;
        _detectionRng = [.. _model.Services.Select(s => new LazyStream(s.DetectionStream))];
        _peopleRng = [.. _model.Services.Select(s => new LazyStream(s.PeopleStream))];
        _monitorRng = [.. _model.Monitors.Select(m => new LazyStream(m.DelayStream))];
        _manual = [.. _model.Services.Select(s => s.Detection)];
        _primaryWatch = [.. _model.PrimaryWatch];
        _standbyWatch = [.. _model.StandbyWatch];
        var graph = _model.Graph;
        _monitorRequires = graph.MonitorRequires;
        if (graph.HasRequirements)
        {
            // A check of what a required service needs sees the outages it causes, wherever that service runs.
            _requiresClosure = graph.RequiresClosure;
            for (int s = 0; s < _primaryWatch.Length; s++)
            {
                var primary = _primaryWatch[s].ToArray();
                var standby = _standbyWatch[s].ToArray();
                for (int r = 0; r < _primaryWatch.Length; r++)
                {
                    if (graph.RequiresClosure[s][r])
                    {
                        for (int c = 0; c < primary.Length; c++)
                        {
                            bool needed = _model.PrimaryWatch[r][c] || _model.StandbyWatch[r][c];
                            primary[c] |= needed;
                            standby[c] |= needed;
                        }
                    }
                }

                _primaryWatch[s] = [.. primary];
                _standbyWatch[s] = [.. standby];
            }
        }
    }

    /// <summary>
    /// The delay until service <paramref name="s"/>'s outage is detected, and by which monitor (−1: by people). A monitor sees
    /// it only while it works itself and one of its checks covers what failed.
    /// </summary>
    /// <param name="s">The service.</param>
    /// <param name="atStandby">Whether the service was running at its standby.</param>
    public (double Delay, int By) Delay(int s, bool atStandby)
    {
        double best = _kernel.Sample(_manual[s], ref _detectionRng[s]);
        int by = -1;
        var monitors = _model.Monitors;
        if (monitors.IsEmpty)
        {
            return (best, by);
        }

        var watched = atStandby ? _standbyWatch[s] : _primaryWatch[s];
        for (int m = 0; m < monitors.Length; m++)
        {
            var monitor = monitors[m];
            if (!_estate.SiteUp(monitor.Site) || !_estate.Satisfied(monitor.Requires) || !RequiredServicesRun(m) || !Sees(monitor, s, watched))
            {
                continue;
            }

            double delay = _kernel.Sample(monitor.Delay, ref _monitorRng[m]);
            if (delay < best)
            {
                best = delay;
                by = m;
            }
        }

        return (best, by);
    }

    /// <summary>
    /// How long until a person starts on it, by the calendar period at <paramref name="now"/> (0 without a calendar). When the
    /// day shift takes over, a night or weekend response longer than the time to the next business-hours start ends there,
    /// plus a business-hours response; <paramref name="drawn"/> is then the off-hours response it cut short (else 0).
    /// </summary>
    public double Response(int s, double now, out double drawn)
    {
        drawn = 0;
        if (_model.Calendar is not { } calendar)
        {
            return 0;
        }

        var at = _model.CalendarTime(now);
        int period = calendar.PeriodAt(at);
        double response = _kernel.Sample(_model.Response[period], ref _peopleRng[s]);
        if (period != 0 && calendar.BusinessHoursTakeOver && calendar.NextBusinessStart(at) is { } start)
        {
            double until = Math.Max(0, (start - _model.Scenario.Simulation.Start).TotalHours - now);
            if (response > until)
            {
                double takeOver = until + _kernel.Sample(_model.Response[0], ref _peopleRng[s]);
                if (takeOver < response)
                {
                    drawn = response;
                    response = takeOver;
                }
            }
        }

        return response;
    }

    /// <summary>Whether every service monitor <paramref name="m"/> needs (to resolve, to report) runs.</summary>
    private bool RequiredServicesRun(int m)
    {
        foreach (int r in _monitorRequires[m])
        {
            if (_incidents.IsDown(r))
            {
                return false;
            }
        }

        return true;
    }

    private bool Sees(CompiledMonitor monitor, int s, ImmutableArray<bool> watched)
    {
        foreach (var check in monitor.Checks)
        {
            bool sees = check.Target switch
            {
                CheckTarget.Service => check.Index == s || (!_requiresClosure.IsDefault && _requiresClosure[s][check.Index] && _incidents.IsDown(check.Index)),
                CheckTarget.Component => watched[check.Index] && check.Type switch
                {
                    CheckType.Functional => !_estate.IsUp(check.Index),
                    CheckType.Liveness => _estate.VisiblyFailed(check.Index),
                },
            };
            if (sees)
            {
                return true;
            }
        }

        return false;
    }
}
