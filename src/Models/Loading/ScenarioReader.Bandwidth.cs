using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// Bandwidth: the restore throughput a backup destination shares among the restores that read from it
/// (<c>restore_throughput_gb_per_hour</c> on a site, a component or <c>offsite</c>), and the link an asynchronous replica
/// is shipped over (<c>replication[].link</c>); with their range checks and the planner's warnings.
/// </summary>
internal sealed partial class ScenarioReader
{
    internal const string SharedThroughputKey = "restore_throughput_gb_per_hour";
    internal static readonly string[] OffsiteKeys = [SharedThroughputKey];
    internal static readonly string[] LinkKeys = ["bandwidth_gb_per_hour", "via"];

    private readonly Dictionary<string, MapReader> siteMaps = new(StringComparer.Ordinal);

    /// <summary>Reads a place's optional <c>restore_throughput_gb_per_hour</c>: null when absent; not ok when invalid.</summary>
    private (bool Ok, double? Value) SharedRestoreThroughput(MapReader map)
    {
        if (map.Optional(SharedThroughputKey) is null)
        {
            return (true, null);
        }

        Quoted? value = Number(map, SharedThroughputKey, required: false, positive: true);
        return value is { } v ? (true, v.Value) : (false, null);
    }

    /// <summary>Reads the top-level <c>offsite</c> mapping: what every restore from offsite copies shares.</summary>
    private (bool Ok, double? Throughput) Offsite(MapReader top)
    {
        if (top.Optional("offsite") is not { } node)
        {
            return (true, null);
        }

        MapReader? map = Map(node, top.PathOf("offsite"), "the offsite location: { restore_throughput_gb_per_hour: NUMBER }", OffsiteKeys);
        return map is null ? (false, null) : SharedRestoreThroughput(map);
    }

    /// <summary>Reads a replica's optional <c>link</c>; an asynchronous replica's only.</summary>
    private (bool Ok, ReplicationLink? Link) Link(MapReader replica, string? mode)
    {
        if (replica.Optional("link") is not { } node)
        {
            return (true, null);
        }

        string path = replica.PathOf("link");
        if (mode == "sync")
        {
            Ctx.Error(node, path, LoaderMessages.LinkOnSyncReplica());
            return (false, null);
        }

        MapReader? map = Map(node, path, "the replica's link: { bandwidth_gb_per_hour: NUMBER, via: COMPONENT }", LinkKeys);
        if (map is null)
        {
            return (false, null);
        }

        Quoted? bandwidth = Number(map, "bandwidth_gb_per_hour", required: true, positive: true);
        string? via = Reference(map, "via", RefKind.Component, required: false);
        bool viaOk = map.Optional("via") is null || via is not null;
        return bandwidth is { } b && viaOk ? (true, new ReplicationLink(b.Value, via)) : (false, null);
    }

    /// <summary>Rejects links whose seeding (size over bandwidth) would take longer than any duration may.</summary>
    private void CheckSeedingTimes(ImmutableArray<DataSet> data)
    {
        foreach (DataSet d in data)
        {
            for (int i = 0; i < d.Replications.Length; i++)
            {
                if (d.Replications[i].Link is { } link && !(d.SizeGb / link.BandwidthGbPerHour <= ReadContext.MaxDurationHours)
                    && LinkNode(d, i) is { } at)
                {
                    Ctx.Error(at.Node, at.Path, LoaderMessages.SeedingTooLong(d.SizeGb, link.BandwidthGbPerHour, d.SizeGb / link.BandwidthGbPerHour, ReadContext.MaxDurationHours));
                }
            }
        }
    }

    /// <summary>
    /// Warns of a replication link slower than the data set's change rate (the replica falls behind without bound), and of a
    /// shared restore throughput on a place where no backup is kept (it changes nothing).
    /// </summary>
    private void CheckBandwidth(ImmutableArray<Site> sites, ImmutableArray<Component> components, ImmutableArray<DataSet> data)
    {
        foreach (DataSet d in data)
        {
            for (int i = 0; i < d.Replications.Length; i++)
            {
                if (d.Replications[i].Link is { } link && PeakChangeRate(d) > link.BandwidthGbPerHour && LinkNode(d, i) is { } at)
                {
                    double behindPerYear = (1 - (link.BandwidthGbPerHour / PeakChangeRate(d))) * SimulationSettings.HoursPerYear;
                    Ctx.Warning(at.Node, at.Path, LoaderMessages.LinkSlowerThanChanges(
                        Describe(at.Node), d.Name, PeakChangeRate(d), Hours(behindPerYear)));
                }
            }
        }

        // A backup kept on a component shares the component's throughput, or its site's when the component states none.
        var byName = components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var shared = new HashSet<string>(StringComparer.Ordinal);
        foreach (Location l in data.SelectMany(d => d.Backups).Select(b => b.Destination))
        {
            shared.Add(l.Kind switch
            {
                LocationKind.Component when byName[l.Name].RestoreThroughputGbPerHour is null => "site " + byName[l.Name].Site,
                LocationKind.Component or LocationKind.Site or LocationKind.Offsite => l.ToString(),
            });
        }

        foreach (Component c in components)
        {
            if (c.RestoreThroughputGbPerHour is not null && !shared.Contains("component " + c.Name))
            {
                MapReader map = componentMaps[c.Name];
                Ctx.Warning(map.Optional(SharedThroughputKey)!, map.PathOf(SharedThroughputKey), LoaderMessages.SharedThroughputUnused($"component '{c.Name}'"));
            }
        }

        foreach (Site s in sites)
        {
            if (s.RestoreThroughputGbPerHour is not null && !shared.Contains("site " + s.Name) && siteMaps.TryGetValue(s.Name, out MapReader? map))
            {
                Ctx.Warning(map.Optional(SharedThroughputKey)!, map.PathOf(SharedThroughputKey), LoaderMessages.SharedThroughputUnused($"site '{s.Name}'"));
            }
        }
    }

    /// <summary>The highest rate at which the data set changes: the constant change rate.</summary>
    private static double PeakChangeRate(DataSet d) => d.ChangeRateGbPerHour;

    /// <summary>The YAML node and path of data set <paramref name="d"/>'s replica <paramref name="i"/>'s link bandwidth.</summary>
    private (YamlNode Node, string Path)? LinkNode(DataSet d, int i) =>
        dataMaps.TryGetValue(d.Name, out MapReader? map) && map.Optional("replication") is YamlSequenceNode list && i < list.Children.Count
            && list.Children[i] is YamlMappingNode replica
            && replica.Children.TryGetValue(new YamlScalarNode("link"), out YamlNode? link) && link is YamlMappingNode linkMap
            && linkMap.Children.TryGetValue(new YamlScalarNode("bandwidth_gb_per_hour"), out YamlNode? bandwidth)
            ? (bandwidth, ScenarioNodes.Item(map.PathOf("replication"), i) + ".link.bandwidth_gb_per_hour")
            : null;
}
