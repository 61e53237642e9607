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

    public Outlook(TrialKernel kernel, Estate estate, Threats threats, PowerChain power)
    {
        _kernel = kernel;
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
        var model = _kernel.Model;
        Compute(now);
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
