namespace DisasterSim.Engine.Simulation;

/// <summary>
/// When would the primary of a service be usable again if nothing else failed? The latest end of every active cause that
/// holds down something it needs: own failures until their repair, threats until their end or rebuild, lost power until
/// the utility returns, requirements "at least k of n" when their k-th child is back. An outage that ends only after
/// detection, and not yet fixed, ends at +∞. This is what an operator who knows every cause would answer; the estimate
/// policy multiplies it by its noise.
/// </summary>
internal sealed class Outlook
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly Threats _threats;
    private readonly PowerChain _power;
    private readonly double[] _siteUpAt;
    private readonly double[] _componentUpAt;
    private readonly double[] _scratch;
    private readonly ServiceLifecycle _lifecycle;

    public Outlook(TrialKernel kernel, Estate estate, Threats threats, PowerChain power, ServiceLifecycle lifecycle)
    {
        _kernel = kernel;
        _lifecycle = lifecycle;
        _estate = estate;
        _threats = threats;
        _power = power;
        var model = kernel.Model;
        _siteUpAt = new double[model.SiteRegion.Length];
        _componentUpAt = new double[model.Components.Length];
        _scratch = new double[Math.Max(1, model.Requirements.Nodes)];
    }

    /// <summary>When the primary's infrastructure of service <paramref name="s"/> (and its data's storage) works again.</summary>
    public double PrimaryUpAt(int s, double now)
    {
        Compute(now);
        return PrimaryUpAtComputed(s, now);
    }

    /// <summary>When the primary of service <paramref name="s"/> works again, from the causes computed for <paramref name="now"/>.</summary>
    private double PrimaryUpAtComputed(int s, double now)
    {
        var model = _kernel.Model;
        var service = model.Services[s];
        double at;
        if (service.ActiveSites.IsEmpty)
        {
            at = Math.Max(_siteUpAt[service.Site], model.Requirements.UpAt(service.Requires, _componentUpAt, _scratch));
        }
        else
        {
            // The earliest time at which the sites back by then carry the whole load.
            Span<double> times = stackalloc double[service.ActiveSites.Length];
            for (int i = 0; i < times.Length; i++)
            {
                var site = service.ActiveSites[i];
                times[i] = Math.Max(_siteUpAt[site.Site], model.Requirements.UpAt(site.Requires, _componentUpAt, _scratch));
            }

            at = double.PositiveInfinity;
            foreach (double candidate in times)
            {
                double capacity = 0;
                for (int i = 0; i < times.Length; i++)
                {
                    capacity += times[i] <= candidate ? service.ActiveSites[i].Capacity : 0;
                }

                if (capacity >= 1 - 1e-9)
                {
                    at = Math.Min(at, candidate);
                }
            }
        }

        foreach (int d in model.ServiceDataSets[s])
        {
            at = Math.Max(at, _componentUpAt[model.DataSets[d].Storage]);
        }

        return Math.Max(at, now);
    }

    /// <summary>
    /// When every service that service <paramref name="s"/> requires runs again, as an operator who knows their state would
    /// judge: a failover, switchover or failback under way ends when it is due, a restore when its work is done (at once if
    /// paused: the operator does not foresee what pauses it), a service waiting for its primary when that primary is usable
    /// (at its standby, when the standby or the primary is), and each no sooner than the services it requires in turn.
    /// </summary>
    public double RequiredServicesUpAt(int s, double now)
    {
        var graph = _kernel.Model.Graph;
        Compute(now);
        double at = now;
        foreach (int r in graph.Requires[s])
        {
            at = Math.Max(at, ServiceUpAt(r, now, graph));
        }

        return at;
    }

    private double ServiceUpAt(int s, double now, ServiceGraph graph)
    {
        ref readonly var st = ref _lifecycle.State(s);
        if (st.Running)
        {
            return now;
        }

        double at = st.Phase switch
        {
            ServicePhase.FailingOver or ServicePhase.SwitchingOver or ServicePhase.FailingBack => st.ActionEndsAt,
            ServicePhase.Restoring => (double.IsNaN(st.RestoreSince) ? now : st.RestoreSince) + st.RestoreLeft,
            ServicePhase.Undetected or ServicePhase.Waiting or ServicePhase.DecisionDue or ServicePhase.Queued => st.AtStandby
                ? Math.Min(StandbyUpAt(s), PrimaryUpAtComputed(s, now))
                : PrimaryUpAtComputed(s, now),
            ServicePhase.RunningAtPrimary or ServicePhase.RunningAtStandby => now,
        };
        foreach (int r in graph.Requires[s])
        {
            at = Math.Max(at, ServiceUpAt(r, now, graph));
        }

        return Math.Max(at, now);
    }

    private double StandbyUpAt(int s)
    {
        var model = _kernel.Model;
        var service = model.Services[s];
        return Math.Max(_siteUpAt[service.StandbySite], model.Requirements.UpAt(service.StandbyRequires, _componentUpAt, _scratch));
    }

    private void Compute(double now)
    {
        var model = _kernel.Model;
        var instances = _threats.Instances;
        for (int site = 0; site < _siteUpAt.Length; site++)
        {
            double at = now;
            foreach (ref readonly var x in instances)
            {
                if (x.Active && _threats.HoldsSite(in x, site))
                {
                    at = Math.Max(at, x.EndsAt);
                }
            }

            _siteUpAt[site] = at;
        }

        foreach (int c in model.ComponentOrder)
        {
            ref readonly var state = ref _estate.Component(c);
            if (state.Up)
            {
                _componentUpAt[c] = now;
                continue;
            }

            double at = Math.Max(now, _siteUpAt[_estate.SiteOf(c)]);
            if (state.OwnDown)
            {
                at = Math.Max(at, state.OwnEndsAt);
            }

            if (state.PowerLost)
            {
                at = Math.Max(at, _power.UtilityEnds(c));
            }

            if (state.Outage > 0 || state.Destroyed > 0)
            {
                foreach (ref readonly var x in instances)
                {
                    if (x.Active && _threats.HoldsComponent(in x, c))
                    {
                        at = Math.Max(at, x.EndsAt);
                    }
                }
            }

            _componentUpAt[c] = Math.Max(at, model.Requirements.UpAt(model.Components[c].Requires, _componentUpAt, _scratch));
        }
    }
}
