using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// What services share and need of each other: the services a service (or a monitor) requires, the share of the load a
/// standby carries, and how many services a standby site takes at once (in the order of the services' <c>priority</c>, read
/// with the crews' keys).
/// </summary>
internal sealed partial class ScenarioReader
{
    private readonly List<(string Name, YamlNode Node, string Path, List<Ref> Requires)> serviceRequires = [];

    /// <summary>Reads an optional <c>requires_services</c> list of service names; ok is false when it was present but broken.</summary>
    /// <param name="map">The service or monitor.</param>
    /// <param name="owner">The service's name, to check the requirements for cycles; null for a monitor.</param>
    private (bool Ok, ImmutableArray<string> Names) RequiredServices(MapReader map, string? owner)
    {
        const string key = "requires_services";
        if (map.Optional(key) is not { } node)
        {
            return (true, []);
        }

        string path = map.PathOf(key);
        YamlSequenceNode? list = Sequence(node, path, "the names of the services it requires, e.g. [dns, directory]");
        if (list is null)
        {
            return (false, []);
        }

        if (list.Children.Count > ReadContext.MaxItems)
        {
            Ctx.Error(list, path, LoaderMessages.TooManyItems("services", list.Children.Count, ReadContext.MaxItems));
            return (false, []);
        }

        var found = new List<Ref>();
        var names = ImmutableArray.CreateBuilder<string>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            string itemPath = ScenarioNodes.Item(path, i);
            if (Text(list.Children[i], itemPath, "the name of a service") is not { } name)
            {
                return (false, []);
            }

            var reference = new Ref(RefKind.Service, name, list.Children[i], itemPath);
            refs.Add(reference);
            found.Add(reference);
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        if (owner is not null)
        {
            serviceRequires.Add((owner, node, path, found));
        }

        return (true, names.ToImmutable());
    }

    /// <summary>Reads a standby's optional <c>capacity</c>: the share of the full load it carries, in (0, 1]; 1 when absent.</summary>
    private (bool Ok, double Capacity) StandbyCapacity(MapReader map)
    {
        if (map.Optional("capacity") is not { } node)
        {
            return (true, 1);
        }

        Quoted? capacity = Number(node, map.PathOf("capacity"), positive: true);
        if (capacity is { } c && c.Value > 1)
        {
            Ctx.Error(node, map.PathOf("capacity"), LoaderMessages.NumberOutOfRange(c.Text, "the share of the full load the standby carries, above 0 and at most 1 (0.5: half the load)"));
            return (false, 1);
        }

        return (capacity is not null, capacity?.Value ?? 1);
    }

    /// <summary>Reads a site's optional <c>capacity</c>: how many services may use it as their standby at once; null when absent.</summary>
    private (bool Ok, int? Capacity) SiteCapacity(MapReader map)
    {
        if (map.Optional("capacity") is not { } node)
        {
            return (true, null);
        }

        long? value = Integer(node, map.PathOf("capacity"), 1, ReadContext.MaxItems);
        return (value is not null, (int?)value);
    }

    /// <summary>Reports every cycle among the services' <c>requires_services</c>, naming the chain.</summary>
    private void CheckServiceCycles()
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var where = new Dictionary<string, (YamlNode Node, string Path)>(StringComparer.Ordinal);
        foreach ((string name, YamlNode node, string path, List<Ref> requires) in serviceRequires)
        {
            if (edges.TryAdd(name, [.. requires.Select(r => r.Name).Where(names[RefKind.Service].ContainsKey).Distinct()]))
            {
                where[name] = (node, path);
            }
        }

        ReportCycles(edges, where, LoaderMessages.ServiceCycle);
    }

    /// <summary>
    /// The planner's checks of service requirements: a service that fails over to another site while a service it requires
    /// runs only at its own primary site (a disaster there stops it wherever it runs), an RTO shorter than a required
    /// service's, and a standby site that takes fewer services than may move to it, none of which states a priority.
    /// </summary>
    private void CheckServicePlanning(ImmutableArray<Site> sites, ImmutableArray<Service> services)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (Service s in services)
        {
            MapReader map = serviceMaps[s.Name];
            var items = map.Optional("requires_services") as YamlSequenceNode;
            for (int i = 0; i < s.RequiresServices.Length && items is not null; i++)
            {
                if (!byName.TryGetValue(s.RequiresServices[i], out Service? required))
                {
                    continue;
                }

                YamlNode node = items.Children.FirstOrDefault(n => n is YamlScalarNode { Value: { } v } && v.Trim() == required.Name) ?? items;
                string path = ScenarioNodes.Item(map.PathOf("requires_services"), Math.Max(0, items.Children.IndexOf(node)));
                if (s.Standby is { } standby && s.Recovery.Failover is { Mode: not FailoverMode.Never }
                    && required.Standby is null && required.ActiveSites.IsEmpty && required.Site == s.Site)
                {
                    Ctx.Warning(node, path, LoaderMessages.DependencyWithoutStandby(s.Name, standby.Site, required.Name, required.Site));
                }

                if (s.RtoHours is double rto && required.RtoHours is double requiredRto && rto < requiredRto)
                {
                    Ctx.Warning(node, path, LoaderMessages.RtoBelowDependency(map.Describe("rto"), required.Name, serviceMaps[required.Name].Describe("rto")));
                }
            }
        }

        foreach (Site site in sites)
        {
            var guests = services.Where(s => s.Standby?.Site == site.Name && (s.MoveForMaintenance || s.Recovery.Failover is { Mode: not FailoverMode.Never })).ToList();
            if (site.Capacity is int capacity && guests.Count > capacity && guests.All(s => s.Priority is null) && siteMaps.TryGetValue(site.Name, out MapReader? map))
            {
                Ctx.Warning(map.Optional("capacity")!, map.PathOf("capacity"), LoaderMessages.SiteCapacityWithoutPriority(site.Name, capacity, guests.Count));
            }
        }
    }
}
