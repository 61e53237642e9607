using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// The UPS and generator behind a power component: when its utility feed goes out, the UPS carries it for its runtime and
/// the generator (if it starts) for as long as it has fuel and does not fail while running; the component loses power only
/// when both are exhausted while the feed is still out.
/// </summary>
internal sealed class PowerChain
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly BackupPower?[] _backup;
    private readonly State[] _state;
    private readonly Sampler?[] _running;
    private readonly LazyStream[] _runningRng;
    private readonly bool _any;

    public PowerChain(TrialKernel kernel, Estate estate)
    {
        _kernel = kernel;
        _estate = estate;
        _backup = [.. kernel.Model.Components.Select(c => c.BackupPower)];
        _state = new State[_backup.Length];
        _running = [.. kernel.Model.Components.Select(c => c.GeneratorTimeToFailure)];
        _runningRng = [.. kernel.Model.Components.Select(c => new LazyStream(c.GeneratorRunStream))];
        _any = _backup.Any(b => b is not null);
    }

    /// <summary>Gets whether component <paramref name="c"/> has a UPS and generator.</summary>
    public bool HasBackup(int c) => _backup[c] is not null;

    /// <summary>Gets when the utility feed of <paramref name="c"/> comes back (the latest end of the outages cutting it).</summary>
    public double UtilityEnds(int c) => _state[c].UtilityEnds;

    public void Reset()
    {
        if (_any)
        {
            Array.Clear(_state);
        }
    }

    /// <summary>The utility feed of component <paramref name="c"/> went out (+1) or came back (−1).</summary>
    /// <param name="c">A component with backup power.</param>
    /// <param name="delta">+1 when an outage starts, −1 when one ends.</param>
    /// <param name="now">The time, hours.</param>
    /// <param name="end">When the outage is expected to end.</param>
    /// <param name="cause">What cut the feed: the cause of an incident if the batteries run dry.</param>
    public void UtilityChange(int c, int delta, double now, double end, in Cause cause)
    {
        var backup = _backup[c]!;
        ref var state = ref _state[c];
        state.UtilityOut += delta;
        if (delta < 0)
        {
            if (state.UtilityOut == 0)
            {
                state.Version++;
                state.UtilityEnds = now;
                _estate.Component(c).PowerLost = false;
            }

            return;
        }

        state.UtilityEnds = Math.Max(state.UtilityEnds, end);
        if (state.UtilityOut > 1)
        {
            return;
        }

        state.Cause = cause;
        bool starts = _kernel.Draw(ref _estate.Component(c).SideRng).NextDouble() >= backup.GeneratorStartFailureProbability;
        bool refuelled = backup.Refuel switch
        {
            RefuelPolicy.Always => true,
            RefuelPolicy.Never => false,
            RefuelPolicy.NotDuringRegionalEvents => _estate.RegionActive(_kernel.Model.SiteRegion[_estate.SiteOf(c)]) == 0,
        };
        double runs = refuelled ? double.PositiveInfinity : backup.FuelRuntimeHours;

        // A generator that fails while running stops for the rest of this outage: the UPS is spent, the component goes dark.
        double failsAfter = starts && _running[c] is { } running ? _kernel.Sample(running, ref _runningRng[c]) : double.PositiveInfinity;
        bool failsRunning = failsAfter < runs;
        double lostAt = !starts ? now + backup.UpsRuntimeHours : now + backup.UpsRuntimeHours + Math.Min(runs, failsAfter);
        _kernel.Trace(now, TraceKind.BackupPower, c, !starts ? 0 : failsRunning ? 2 : 1, lostAt - now, failsRunning ? failsAfter : 0);
        if (double.IsFinite(lostAt))
        {
            state.Version++;
            _kernel.Queue.Push(lostAt, EventKind.PowerLost, c, state.Version);
        }
    }

    /// <summary>The UPS (or the generator's fuel) of component <paramref name="c"/> ran out.</summary>
    /// <returns>Whether it lost power (false when the feed came back first); then <paramref name="cause"/> is what cut the feed.</returns>
    public bool OnPowerLost(int c, int version, out Cause cause)
    {
        ref var state = ref _state[c];
        cause = state.Cause;
        if (state.Version != version || state.UtilityOut == 0)
        {
            return false;
        }

        _estate.Component(c).PowerLost = true;
        return true;
    }

    private struct State
    {
        /// <summary>How many threats cut the utility feed.</summary>
        public int UtilityOut;
        public int Version;
        public double UtilityEnds;
        public Cause Cause;
    }
}
