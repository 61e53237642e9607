using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Threats: their arrivals (a Poisson process, thinned to its active months, or the windows of a maintenance schedule),
/// the scope each arrival hits (a component, a site, or the sites of a region, each hit with its probability, optionally
/// only components of one kind), floods, and the end of each outage or rebuild. Every arrival that holds something down
/// is an active instance until it ends; ransomware is an infection that detonates after its dwell time. When a crew does
/// rebuilds, a destruction's rebuild starts only when a member takes it (<see cref="Crews"/>).
/// </summary>
internal sealed class Threats
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly PowerChain _power;
    private readonly Crews? _crews;
    private readonly CompiledThreat[] _threats;
    private readonly LazyStream[] _arrivalRng;
    private readonly LazyStream[] _lengthRng;
    private readonly LazyStream[] _sideRng;
    private readonly double[] _windowStart;
    private readonly double[] _windowEnd;
    private Instance[] _instances = new Instance[8];
    private int _instanceCount;
    private int _freeInstance = -1;
    private double[] _infections = new double[8];
    private int _infectionCount;

    public Threats(TrialKernel kernel, Estate estate, PowerChain power, Crews? crews = null)
    {
        _kernel = kernel;
        _estate = estate;
        _power = power;
        _crews = crews?.Handles(CrewWork.Rebuild) == true ? crews : null;
        _threats = [.. kernel.Model.Threats];
        _arrivalRng = [.. _threats.Select(t => new LazyStream(t.ArrivalStream))];
        _lengthRng = [.. _threats.Select(t => new LazyStream(t.LengthStream))];
        _sideRng = [.. _threats.Select(t => new LazyStream(t.SideStream))];
        _windowStart = new double[_threats.Length];
        _windowEnd = new double[_threats.Length];
    }

    /// <summary>Gets the active instances' slots (inactive slots have <see cref="Instance.Active"/> false).</summary>
    public ReadOnlySpan<Instance> Instances => _instances.AsSpan(0, _instanceCount);

    /// <summary>Gets the infection time of detonation <paramref name="index"/>.</summary>
    public double InfectedAt(int index) => _infections[index];

    /// <summary>Schedules each threat's first arrival; infections of the dwell window before hour 0 are drawn now (warm start).</summary>
    public void Reset()
    {
        _instanceCount = 0;
        _freeInstance = -1;
        _infectionCount = 0;
        if (_threats.Length == 0)
        {
            return;
        }

        Array.Fill(_windowStart, double.NegativeInfinity);
        Array.Fill(_windowEnd, double.NegativeInfinity);
        for (int t = 0; t < _threats.Length; t++)
        {
            var threat = _threats[t];
            if (threat.HiddenAtStart > 0)
            {
                Hidden(t, threat);
            }

            if (threat.WarmUpHours > 0 && double.IsFinite(threat.MeanInterarrivalHours))
            {
                WarmUp(t, threat);
            }
            else
            {
                ScheduleArrival(t, 0);
            }
        }
    }

    /// <summary>Gets whether a window of maintenance threat <paramref name="t"/> is open at <paramref name="now"/> (its end included).</summary>
    public bool WindowOpen(int t, double now) => _windowStart[t] <= now && now <= _windowEnd[t];

    /// <summary>Threat <paramref name="t"/> arrives.</summary>
    /// <returns>The instance it started (−1 for an infection, which does nothing until it detonates).</returns>
    public int OnArrival(int t, int windowIndex, double now)
    {
        var threat = _threats[t];
        ScheduleArrival(t, now, windowIndex);
        return threat.Effect switch
        {
            Effect.Corruption => Infect(t, threat, now),
            Effect.Outage or Effect.Destroyed => Strike(t, threat, now),
        };
    }

    /// <summary>Instance <paramref name="instance"/> ends: its outage is over, or its rebuild complete.</summary>
    public void OnEnd(int instance, double now)
    {
        ref var x = ref _instances[instance];
        var threat = _threats[x.Threat];
        if (x.Rebuilt)
        {
            _crews!.ReleaseRebuild(instance, now);
        }

        if (x.FloodSite >= 0)
        {
            _estate.AddSite(x.FloodSite, destroy: true, -1, now);
        }
        else
        {
            Apply(threat, x.Threat, -1, now, x.Mask, now);
            _kernel.Trace(now, TraceKind.ThreatEnded, x.Threat);
        }

        x.Active = false;
        x.Next = _freeInstance;
        _freeInstance = instance;
    }

    /// <summary>An outage that lasts until detected: the first detection of an incident it caused starts the fix.</summary>
    public void StartFix(int t, double now)
    {
        for (int i = 0; i < _instanceCount; i++)
        {
            ref var x = ref _instances[i];
            if (x.Active && x.Threat == t && x.AwaitingFix)
            {
                x.AwaitingFix = false;
                x.EndsAt = now + x.Length;
                _kernel.Queue.Push(x.EndsAt, EventKind.ThreatEnd, t, i);
                return;
            }
        }
    }

    /// <summary>A crew member takes the rebuild of instance <paramref name="instance"/>: it ends after its lead time from now.</summary>
    public void StartRebuild(int instance, double now)
    {
        ref var x = ref _instances[instance];
        x.Rebuilt = true;
        x.EndsAt = now + x.Length;
        _kernel.Queue.Push(x.EndsAt, EventKind.ThreatEnd, x.Threat, instance);
    }

    /// <summary>
    /// Instance <paramref name="instance"/> of a threat that ends only after detection caused no incident: it lasts its
    /// duration from its start.
    /// </summary>
    public void EndWithoutDetection(int instance)
    {
        ref var x = ref _instances[instance];
        x.AwaitingFix = false;
        x.EndsAt = x.Start + x.Length;
        _kernel.Queue.Push(x.EndsAt, EventKind.ThreatEnd, x.Threat, instance);
    }

    /// <summary>Gets whether threat <paramref name="t"/>'s scope contains component <paramref name="c"/> at site <paramref name="site"/>.</summary>
    public bool InScope(int t, int site, int c)
    {
        var threat = _threats[t];
        return threat.ScopeKind switch
        {
            ScopeKind.Component => threat.ScopeIndex == c,
            ScopeKind.Site => threat.ScopeIndex == site,
            ScopeKind.Region => _kernel.Model.SiteRegion[site] == threat.ScopeIndex,
        };
    }

    /// <summary>Gets whether instance <paramref name="x"/> holds site <paramref name="site"/> as a whole.</summary>
    public bool HoldsSite(in Instance x, int site)
    {
        if (x.FloodSite >= 0)
        {
            return x.FloodSite == site;
        }

        var threat = _threats[x.Threat];
        if (threat.ScopeKind == ScopeKind.Component || !threat.AffectedComponents.IsDefault)
        {
            return false;
        }

        for (int i = 0; i < threat.ReachSites.Length; i++)
        {
            if (threat.ReachSites[i] == site && Hit(x.Mask, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets whether instance <paramref name="x"/> holds component <paramref name="c"/> itself (not through its site).</summary>
    public bool HoldsComponent(in Instance x, int c)
    {
        var threat = _threats[x.Threat];
        if (x.FloodSite >= 0 || threat.ScopeKind != ScopeKind.Component && threat.AffectedComponents.IsDefault)
        {
            return false;
        }

        if (threat.ScopeKind == ScopeKind.Component)
        {
            return threat.ScopeIndex == c;
        }

        for (int i = 0; i < threat.ReachSites.Length; i++)
        {
            if (Hit(x.Mask, i) && threat.AffectedComponents[i].Contains(c))
            {
                return true;
            }
        }

        return false;
    }

    private int Strike(int t, CompiledThreat threat, double now)
    {
        double length = _kernel.Sample(threat.Length, ref _lengthRng[t]);
        int mask = HitMask(threat, t);
        Flood(threat, t, mask, now);
        bool untilDetected = threat.Effect == Effect.Outage && threat.EndsAfterDetection;
        int instance = NewInstance(new Instance
        {
            Threat = t,
            Mask = mask,
            Start = now,
            Length = length,
            EndsAt = untilDetected ? double.PositiveInfinity : now + length,
            AwaitingFix = untilDetected,
            FloodSite = -1,
            Active = true,
        });
        if (threat.Planned)
        {
            _windowStart[t] = now;
            _windowEnd[t] = now + length;
        }

        Apply(threat, t, +1, now, mask, now + length);
        _kernel.Trace(now, TraceKind.ThreatArrived, t, mask, length);
        if (_crews is not null && threat.Effect == Effect.Destroyed)
        {
            AwaitCrew(instance, now);
        }
        else if (!untilDetected)
        {
            _kernel.Queue.Push(now + length, EventKind.ThreatEnd, t, instance);
        }

        return instance;
    }

    private int Infect(int t, CompiledThreat threat, double now)
    {
        // The infection hides for its dwell time; the damage is found when it detonates.
        double dwell = _kernel.Sample(threat.Dwell!.Value, ref _sideRng[t]);
        _kernel.Trace(now, TraceKind.ThreatArrived, t, value: dwell);
        if (now + dwell >= 0 && now + dwell < _kernel.Horizon)
        {
            _kernel.Queue.Push(now + dwell, EventKind.Detonation, t, RememberInfection(now));
        }

        return -1;
    }

    /// <summary>
    /// A trial starts in steady state: the infections still hidden at hour 0. For a Poisson process of infections of rate ρ
    /// with dwell D, those hidden at a fixed moment are a Poisson number with mean ρ·E[D]; each one's dwell is length-biased
    /// (a longer dwell is more likely to span the moment) and its infection falls uniformly within it.
    /// </summary>
    private void Hidden(int t, CompiledThreat threat)
    {
        // The count's uniform comes from the arrival stream, drawn at every trial's start anyway; the rare infections
        // found hidden draw their dwell and place from the side stream.
        double u = _kernel.Draw(ref _arrivalRng[t]).NextDouble();
        double p = threat.NoneHiddenProbability;
        double cumulative = p;
        for (int k = 1; u > cumulative && k < 1000; k++)
        {
            p *= threat.HiddenAtStart / k;
            cumulative += p;
            double dwell = threat.HiddenDwell.Sample(ref _kernel.Draw(ref _sideRng[t]));
            double infected = -_kernel.Draw(ref _sideRng[t]).NextDouble() * dwell;
            _kernel.Trace(infected, TraceKind.ThreatArrived, t, value: dwell);
            if (infected + dwell < _kernel.Horizon)
            {
                _kernel.Queue.Push(infected + dwell, EventKind.Detonation, t, RememberInfection(infected));
            }
        }
    }

    /// <summary>
    /// A seasonal infection: infections of the dwell window before hour 0 are drawn at the start in their months, and those
    /// whose detonation falls inside the horizon detonate there.
    /// </summary>
    private void WarmUp(int t, CompiledThreat threat)
    {
        double at = -threat.WarmUpHours;
        while (true)
        {
            at = NextArrival(t, threat, at, 0);
            if (at >= 0)
            {
                _kernel.PushBeforeHorizon(at, EventKind.ThreatArrival, t);
                return;
            }

            Infect(t, threat, at);
        }
    }

    /// <summary>Schedules threat <paramref name="t"/>'s next arrival after <paramref name="now"/>, skipping inactive months.</summary>
    private void ScheduleArrival(int t, double now, int windowIndex = -1)
    {
        var threat = _threats[t];
        if (threat.Planned)
        {
            // Maintenance windows come from the calendar, the same in every trial; the argument carries the window's index.
            int window = windowIndex + 1;
            if (window < threat.ScheduledStarts.Length)
            {
                _kernel.Queue.Push(threat.ScheduledStarts[window], EventKind.ThreatArrival, t, window);
            }

            return;
        }

        if (double.IsFinite(threat.MeanInterarrivalHours))
        {
            _kernel.PushBeforeHorizon(NextArrival(t, threat, now, _kernel.Horizon), EventKind.ThreatArrival, t);
        }
    }

    /// <summary>The next arrival after <paramref name="now"/> in an active month (months are checked only before <paramref name="until"/>).</summary>
    private double NextArrival(int t, CompiledThreat threat, double now, double until)
    {
        double next = now + Sampler.ExponentialByMean(ref _kernel.Draw(ref _arrivalRng[t]), threat.MeanInterarrivalHours);
        if (!threat.ActiveMonths.IsEmpty)
        {
            // Thinning: the process runs at the in-season rate all year; arrivals out of season are dropped.
            while (next < until && !threat.ActiveMonths.Contains(_kernel.Model.CalendarTime(next).Month))
            {
                next += Sampler.ExponentialByMean(ref _kernel.Draw(ref _arrivalRng[t]), threat.MeanInterarrivalHours);
            }
        }

        return next;
    }

    /// <summary>Which of the reached sites an arrival hits, as a bit mask (sites past the 31st are always hit).</summary>
    private int HitMask(CompiledThreat threat, int t)
    {
        if (threat.SiteHitProbability >= 1)
        {
            return -1;
        }

        int mask = 0;
        for (int i = 0; i < threat.ReachSites.Length && i < 31; i++)
        {
            if (_kernel.Draw(ref _sideRng[t]).NextDouble() < threat.SiteHitProbability)
            {
                mask |= 1 << i;
            }
        }

        return mask;
    }

    private static bool Hit(int mask, int i) => i >= 31 || (mask & (1 << i)) != 0;

    /// <summary>Floods (destroys) each hit site with the threat's flood probability; each flooded site is an instance of its own.</summary>
    private void Flood(CompiledThreat threat, int t, int mask, double now)
    {
        if (threat.FloodProbability <= 0)
        {
            return;
        }

        for (int i = 0; i < threat.ReachSites.Length; i++)
        {
            if (Hit(mask, i) && _kernel.Draw(ref _sideRng[t]).NextDouble() < threat.FloodProbability)
            {
                int site = threat.ReachSites[i];
                double rebuild = _kernel.Sample(threat.FloodRebuild!.Value, ref _sideRng[t]);
                _estate.AddSite(site, destroy: true, +1, now);
                int instance = NewInstance(new Instance { Threat = t, Start = now, Length = rebuild, EndsAt = now + rebuild, FloodSite = site, Active = true });
                if (_crews is not null)
                {
                    AwaitCrew(instance, now);
                }
                else
                {
                    _kernel.Queue.Push(now + rebuild, EventKind.ThreatEnd, t, instance);
                }
            }
        }
    }

    private void Apply(CompiledThreat threat, int t, int delta, double now, int mask, double end)
    {
        bool destroy = threat.Effect switch
        {
            Effect.Outage => false,
            Effect.Destroyed => true,
            Effect.Corruption => throw new InvalidOperationException("An infection holds nothing down."),
        };
        var cause = new Cause(threat.Planned ? CauseKind.Maintenance : CauseKind.Threat, t);
        switch (threat.ScopeKind)
        {
            case ScopeKind.Component:
                ApplyComponent(threat.ScopeIndex, threat, destroy, delta, now, end, cause);
                return;
            case ScopeKind.Region when !destroy:
                _estate.AddRegion(threat.ScopeIndex, delta);
                break;
            case ScopeKind.Region or ScopeKind.Site:
                break;
        }

        for (int i = 0; i < threat.ReachSites.Length; i++)
        {
            if (!Hit(mask, i))
            {
                continue;
            }

            if (threat.AffectedComponents.IsDefault)
            {
                _estate.AddSite(threat.ReachSites[i], destroy, delta, now);
            }
            else
            {
                foreach (int c in threat.AffectedComponents[i])
                {
                    ApplyComponent(c, threat, destroy, delta, now, end, cause);
                }
            }
        }
    }

    private void ApplyComponent(int c, CompiledThreat threat, bool destroy, int delta, double now, double end, in Cause cause)
    {
        if (destroy)
        {
            _estate.AddDestroyed(c, delta, now);
        }
        else if (_power.HasBackup(c))
        {
            _power.UtilityChange(c, delta, now, end, cause);
        }
        else
        {
            _estate.AddOutage(c, delta, threat.Silent);
        }
    }

    /// <summary>A rebuild waits for a crew member: until then it is expected to end after the expected wait and its lead time.</summary>
    private void AwaitCrew(int instance, double now)
    {
        ref var x = ref _instances[instance];
        int t = x.Threat;
        x.EndsAt = now + _crews!.ExpectedWait(CrewWork.Rebuild, _threats[t].RebuildPriority, now) + x.Length;
        _crews.RequestRebuild(instance, t, x.Length, now);
    }

    private int NewInstance(in Instance instance)
    {
        int index = _freeInstance;
        if (index >= 0)
        {
            _freeInstance = _instances[index].Next;
        }
        else
        {
            if (_instanceCount == _instances.Length)
            {
                Array.Resize(ref _instances, _instances.Length * 2);
            }

            index = _instanceCount++;
        }

        _instances[index] = instance;
        return index;
    }

    private int RememberInfection(double infectedAt)
    {
        if (_infectionCount == _infections.Length)
        {
            Array.Resize(ref _infections, _infections.Length * 2);
        }

        _infections[_infectionCount] = infectedAt;
        return _infectionCount++;
    }

    /// <summary>One arrival that holds something down until it ends.</summary>
    internal struct Instance
    {
        public int Threat;

        /// <summary>Which of the threat's reached sites it hit (see <see cref="HitMask"/>).</summary>
        public int Mask;
        public double Start;
        public double Length;

        /// <summary>When it ends: +∞ while an outage that ends after detection awaits its fix.</summary>
        public double EndsAt;
        public bool AwaitingFix;

        /// <summary>For a flood, the site it destroyed; −1 otherwise.</summary>
        public int FloodSite;
        public bool Active;

        /// <summary>Whether a crew member rebuilds it (and is free when it ends).</summary>
        public bool Rebuilt;

        /// <summary>The next free slot, while this one is free.</summary>
        public int Next;
    }
}
