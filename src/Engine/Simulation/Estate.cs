using System.Runtime.CompilerServices;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// The state of the estate in the current trial: what holds each component and site down, whether each component works
/// (its own state, its site, its power and its requirements), and the down periods of the places that hold data.
/// Mechanisms change the holds; <see cref="UpdateAll"/> and <see cref="UpdateAfterOwnChange"/> recompute who works.
/// </summary>
internal sealed class Estate
{
    private readonly TrialKernel _kernel;
    private readonly SimulationModel _model;
    private readonly ComponentInfo[] _info;
    private readonly ComponentState[] _components;
    private readonly SiteState[] _sites;
    private readonly int[] _regionActive;
    private readonly int[] _order;

    /// <summary>
    /// <see cref="SimulationModel.Downstream"/> in one array: component c's list is the <see cref="ComponentInfo.DownstreamCount"/>
    /// entries from <see cref="ComponentInfo.DownstreamStart"/>.
    /// </summary>
    private readonly int[] _downstream;
    private readonly RequirementState _requirements;

    /// <summary>Per data location, its down periods in the current trial.</summary>
    private readonly IntervalLog[] _locationLog;

    /// <summary>
    /// Per component and per site, the times destructions struck in the current trial, kept only when a vault needs them
    /// (a courier asks whether the staging copy was still there at a past pickup); null otherwise.
    /// </summary>
    private readonly List<double>[]? _componentDestructions;
    private readonly List<double>[]? _siteDestructions;

    public Estate(TrialKernel kernel)
    {
        _kernel = kernel;
        _model = kernel.Model;
        var model = kernel.Model;
        int components = model.Components.Length;
        _requirements = new RequirementState(
            model.Requirements,
            model.Services.SelectMany(s => s.ActiveSites.Select(a => a.Requires).Append(s.Requires).Append(s.StandbyRequires)));
        _components = new ComponentState[components];
        for (int c = 0; c < components; c++)
        {
            _components[c].SideRng = new LazyStream(model.Components[c].SideStream);
        }

        _order = [.. model.ComponentOrder];
        _downstream = [.. model.Downstream.SelectMany(d => d)];
        _info = new ComponentInfo[components];
        for (int c = 0, start = 0; c < components; start += model.Downstream[c].Length, c++)
        {
            _info[c] = new ComponentInfo(model.Components[c], start, model.Downstream[c].Length);
        }

        _sites = new SiteState[model.SiteRegion.Length];
        _regionActive = new int[model.Scenario.Regions.Length];
        _locationLog = [.. Enumerable.Range(0, model.DataLocationCount).Select(_ => new IntervalLog())];
        if (model.HasVaults)
        {
            _componentDestructions = [.. model.Components.Select(_ => new List<double>())];
            _siteDestructions = [.. _sites.Select(_ => new List<double>())];
        }
    }

    /// <summary>
    /// Gets or sets whether a place that holds data went up or down, or a destruction struck, since the data copies last
    /// caught up (see <see cref="DataCopies.Refresh(double)"/>).
    /// </summary>
    public bool DataChanged { get; set; }

    /// <summary>Gets the requirement state (whether each requirement node holds now).</summary>
    public RequirementState Requirements => _requirements;

    /// <summary>Back to every component and site up, nothing destroyed, as at the start of a trial.</summary>
    public void Reset()
    {
        DataChanged = false;
        _requirements.Reset();
        var components = _components;
        for (int c = 0; c < components.Length; c++)
        {
            // The side stream keeps its key: a stream seeded in an earlier trial is seeded again at its first draw.
            ref var state = ref components[c];
            state.Up = true;
            state.OwnDown = false;
            state.OwnSilent = false;
            state.PowerLost = false;
            state.Outage = 0;
            state.SilentOutage = 0;
            state.Destroyed = 0;
            state.DestroyedAt = double.NegativeInfinity;
        }

        for (int s = 0; s < _sites.Length; s++)
        {
            _sites[s] = new SiteState { DestroyedAt = double.NegativeInfinity };
        }

        Array.Clear(_regionActive);
        foreach (var log in _locationLog)
        {
            log.Clear();
        }

        foreach (var times in _componentDestructions ?? [])
        {
            times.Clear();
        }

        foreach (var times in _siteDestructions ?? [])
        {
            times.Clear();
        }
    }

    /// <summary>Gets component <paramref name="c"/>'s state.</summary>
    public ref ComponentState Component(int c) => ref _components[c];

    /// <summary>Gets every component's state, for the mechanisms that change them on most events.</summary>
    internal ComponentState[] Components => _components;

    /// <summary>Gets component <paramref name="c"/>'s site.</summary>
    public int SiteOf(int c) => _info[c].Site;

    /// <summary>Gets whether component <paramref name="c"/> works now.</summary>
    public bool IsUp(int c) => _components[c].Up;

    /// <summary>Gets whether site <paramref name="site"/> is up: no outage and no destruction holds it.</summary>
    public bool SiteUp(int site)
    {
        ref readonly var state = ref _sites[site];
        return state.Outage == 0 && state.Destroyed == 0;
    }

    /// <summary>Gets whether site <paramref name="site"/> is destroyed now.</summary>
    public bool SiteDestroyed(int site) => _sites[site].Destroyed > 0;

    /// <summary>Gets whether requirement node <paramref name="node"/> holds now (−1: nothing required).</summary>
    public bool Satisfied(int node) => _requirements.IsSatisfied(node);

    /// <summary>Gets how many region-scope outages are active in <paramref name="region"/>.</summary>
    public int RegionActive(int region) => _regionActive[region];

    /// <summary>Gets whether component <paramref name="c"/> is destroyed now, itself or with its site.</summary>
    public bool Destroyed(int c) => _components[c].Destroyed > 0 || _sites[_info[c].Site].Destroyed > 0;

    /// <summary>
    /// Whether a liveness check sees the component as failed: it failed itself, not silently. A component that is
    /// alive but not working (a gray failure, or waiting on something it depends on) passes liveness checks.
    /// </summary>
    public bool VisiblyFailed(int c)
    {
        ref readonly var state = ref _components[c];
        return (state.OwnDown && !state.OwnSilent) || state.Outage > state.SilentOutage || state.Destroyed > 0 || state.PowerLost
            || !SiteUp(_info[c].Site);
    }

    /// <summary>Gets whether a place that holds copies can be read now (offsite always can).</summary>
    public bool LocationUp(in CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => true,
        LocationKind.Site => SiteUp(location.Index),
        LocationKind.Component => _components[location.Index].Up,
    };

    /// <summary>Gets whether a place that holds copies is destroyed now (its copies are gone).</summary>
    public bool LocationDestroyed(in CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => false,
        LocationKind.Site => SiteDestroyed(location.Index),
        LocationKind.Component => Destroyed(location.Index),
    };

    /// <summary>Gets when a destruction last struck the place (copies it held then are gone); −∞ for never.</summary>
    public double LocationDestroyedAt(in CompiledLocation location) => location.Kind switch
    {
        LocationKind.Offsite => double.NegativeInfinity,
        LocationKind.Site => _sites[location.Index].DestroyedAt,
        LocationKind.Component => Math.Max(_components[location.Index].DestroyedAt, _sites[_info[location.Index].Site].DestroyedAt),
    };

    /// <summary>Gets when the last destruction at or before <paramref name="time"/> struck the place; −∞ for none (only with vaults).</summary>
    public double LastDestroyedBy(in CompiledLocation location, double time) => location.Kind switch
    {
        LocationKind.Offsite => double.NegativeInfinity,
        LocationKind.Site => LastBy(_siteDestructions![location.Index], time),
        LocationKind.Component => Math.Max(LastBy(_componentDestructions![location.Index], time), LastBy(_siteDestructions![_info[location.Index].Site], time)),
    };

    /// <summary>Gets the start of the newest down period of the place that overlaps [from, to], or NaN when none does.</summary>
    public double LocationDownDuring(in CompiledLocation location, double from, double to) =>
        location.Log < 0 ? double.NaN : _locationLog[location.Log].LatestOverlapStart(from, to);

    private static double LastBy(List<double> times, double time)
    {
        for (int i = times.Count - 1; i >= 0; i--)
        {
            if (times[i] <= time)
            {
                return times[i];
            }
        }

        return double.NegativeInfinity;
    }

    /// <summary>A threat's outage starts (+1) or ends (−1) on component <paramref name="c"/>.</summary>
    public void AddOutage(int c, int delta, bool silent)
    {
        ref var state = ref _components[c];
        state.Outage += delta;
        if (silent)
        {
            state.SilentOutage += delta;
        }
    }

    /// <summary>A destruction strikes (+1) or its rebuild completes (−1) on component <paramref name="c"/>.</summary>
    public void AddDestroyed(int c, int delta, double now)
    {
        ref var state = ref _components[c];
        if (delta > 0 && state.Destroyed == 0)
        {
            state.DestroyedAt = now;
            _componentDestructions?[c].Add(now);
        }

        state.Destroyed += delta;
        DataChanged = true;
    }

    /// <summary>An outage (or a destruction) of site <paramref name="site"/> starts (+1) or ends (−1).</summary>
    public void AddSite(int site, bool destroy, int delta, double now)
    {
        ref var state = ref _sites[site];
        bool wasUp = SiteUp(site);
        if (destroy)
        {
            if (delta > 0 && state.Destroyed == 0)
            {
                state.DestroyedAt = now;
                _siteDestructions?[site].Add(now);
            }

            state.Destroyed += delta;
            DataChanged = true;
        }
        else
        {
            state.Outage += delta;
        }

        bool up = SiteUp(site);
        int log = _model.SiteDataLocation[site];
        if (log >= 0 && up != wasUp)
        {
            DataChanged = true;
            if (up)
            {
                _locationLog[log].Close(now);
            }
            else
            {
                _locationLog[log].Open(now);
            }
        }
    }

    /// <summary>A region-scope outage starts (+1) or ends (−1) in <paramref name="region"/>.</summary>
    public void AddRegion(int region, int delta) => _regionActive[region] += delta;

    /// <summary>Recomputes every component in dependency order.</summary>
    /// <returns>Whether a requirement of some service changed its truth.</returns>
    public bool UpdateAll(double now) => Update(now, _order);

    /// <summary>
    /// After component <paramref name="c"/>'s own state changed: recomputes it and what requires it. The result is the same
    /// as recomputing everything: no other component's inputs changed.
    /// </summary>
    /// <returns>Whether a requirement of some service changed its truth, or something that holds data changed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool UpdateAfterOwnChange(int c, double now)
    {
        ref readonly var info = ref _info[c];

        // A component that nothing requires changes alone: no list to walk.
        bool changed = info.DownstreamCount == 1
            ? Update(c, in info, now)
            : Update(now, _downstream.AsSpan(info.DownstreamStart, info.DownstreamCount));
        return changed || DataChanged;
    }

    private bool Update(double now, ReadOnlySpan<int> affected)
    {
        bool changed = false;
        foreach (int c in affected)
        {
            changed |= Update(c, in _info[c], now);
        }

        return changed;
    }

    /// <summary>Recomputes whether component <paramref name="c"/> works, from its own state, its site and its requirements.</summary>
    /// <returns>Whether a requirement of some service changed its truth.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Update(int c, in ComponentInfo info, double now)
    {
        ref var state = ref _components[c];
        bool up = !state.OwnDown && state.Outage == 0 && state.Destroyed == 0 && !state.PowerLost && SiteUp(info.Site)
            && _requirements.IsSatisfied(info.Requires);
        if (up == state.Up)
        {
            return false;
        }

        state.Up = up;
        if (info.DataLocation >= 0)
        {
            DataChanged = true;
            if (up)
            {
                _locationLog[info.DataLocation].Close(now);
            }
            else
            {
                _locationLog[info.DataLocation].Open(now);
            }
        }

        _kernel.Trace(now, up ? TraceKind.ComponentUp : TraceKind.ComponentDown, c);
        return _requirements.Set(c, up);
    }

    /// <summary>Whether component <paramref name="c"/> would work given its holds and requirements, recomputed from scratch (for checks).</summary>
    internal bool UpFromScratch(int c, ReadOnlySpan<bool> up)
    {
        ref readonly var state = ref _components[c];
        return !state.OwnDown && state.Outage == 0 && state.Destroyed == 0 && !state.PowerLost && SiteUp(_info[c].Site)
            && _model.Requirements.IsSatisfied(_info[c].Requires, up);
    }

    /// <summary>A component's data that no trial changes, gathered from the model into one place.</summary>
    private readonly struct ComponentInfo(CompiledComponent component, int downstreamStart, int downstreamCount)
    {
        public readonly int Site = component.Site;
        public readonly int Requires = component.Requires;
        public readonly int DownstreamStart = downstreamStart;
        public readonly int DownstreamCount = downstreamCount;
        public readonly int DataLocation = component.DataLocation;
        public readonly ulong SideStream = component.SideStream;
    }

    private struct SiteState
    {
        public int Outage;
        public int Destroyed;
        public double DestroyedAt;
    }
}

/// <summary>A component's state in the current trial: what holds it down and whether it works.</summary>
internal struct ComponentState
{
    /// <summary>Whether it works: not down itself or by a threat, powered, its site up and its requirements satisfied.</summary>
    public bool Up;

    /// <summary>Whether its own failure process has it down.</summary>
    public bool OwnDown;

    /// <summary>Whether its own current failure is silent (a gray failure).</summary>
    public bool OwnSilent;

    /// <summary>Whether its UPS and generator ran out while the utility feed was out.</summary>
    public bool PowerLost;

    /// <summary>How many threat outages hold it down.</summary>
    public int Outage;

    /// <summary>How many of those are silent.</summary>
    public int SilentOutage;

    /// <summary>How many destructions hold it down (its own, or threats').</summary>
    public int Destroyed;

    /// <summary>When its own current failure is repaired.</summary>
    public double OwnEndsAt;

    /// <summary>When a destruction last struck it; −∞ for never.</summary>
    public double DestroyedAt;

    /// <summary>The stream for its secondary draws (silent failures, generator starts).</summary>
    public LazyStream SideRng;
}
