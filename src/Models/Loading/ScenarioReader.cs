using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>Maps the YAML tree of one scenario to the model, then checks references, cycles and placement.</summary>
internal sealed partial class ScenarioReader(ReadContext ctx) : ValueReader(ctx)
{
    private static readonly string[] TopKeys = ["name", "description", "simulation", "regions", "sites", "components", "services", "data", "threats"];
    private static readonly string[] SimulationKeys = ["horizon", "start", "trials", "seed"];
    private static readonly string[] RegionKeys = ["name"];
    private static readonly string[] SiteKeys = ["name", "region"];
    private static readonly string[] ComponentKeys = ["name", "site", "kind", "failure", "requires"];
    private static readonly string[] FailureKeys = ["time_to_failure", "time_to_repair", "effect"];
    private static readonly string[] ServiceKeys = ["name", "site", "requires", "rto", "standby", "recovery"];
    private static readonly string[] StandbyKeys = ["site", "requires"];
    private static readonly string[] RecoveryKeys = ["detection", "failover"];
    private static readonly string[] FailoverKeys = ["mode", "after", "duration"];
    private static readonly string[] DataKeys = ["name", "service", "storage", "size_gb", "change_rate_gb_per_hour", "rpo", "backups", "replication"];
    private static readonly string[] BackupKeys = ["name", "interval", "offset", "duration", "destination", "retention", "restore"];
    private static readonly string[] RestoreKeys = ["throughput_gb_per_hour", "setup"];
    private static readonly string[] ReplicationKeys = ["mode", "to", "lag"];
    private static readonly string[] ThreatKeys = ["name", "kind", "rate_per_year", "scope", "effect", "duration", "rebuild"];
    private static readonly string[] GroupKeys = ["any_of", "all_of", "k_of_n"];
    private static readonly string[] KOfNKeys = ["k", "of"];
    private static readonly string[] ScopeKeys = ["component", "site", "region"];
    private static readonly string[] LocationKeys = ["site", "component"];
    private static readonly string[] Effects = ["outage", "destroyed"];
    private static readonly string[] FailoverModes = ["automatic", "manual"];
    private static readonly string[] ReplicationModes = ["sync", "async"];

    private readonly Dictionary<RefKind, Dictionary<string, int>> names = new()
    {
        [RefKind.Region] = new(StringComparer.Ordinal),
        [RefKind.Site] = new(StringComparer.Ordinal),
        [RefKind.Component] = new(StringComparer.Ordinal),
        [RefKind.Service] = new(StringComparer.Ordinal),
        [RefKind.Data] = new(StringComparer.Ordinal),
        [RefKind.Threat] = new(StringComparer.Ordinal),
    };

    private readonly List<Ref> refs = [];
    private readonly Dictionary<string, string> componentSites = new(StringComparer.Ordinal);
    private readonly List<(string Name, YamlNode Node, string Path, List<Ref> Requires)> componentRequires = [];
    private readonly List<(string Site, List<Ref> Requires, string Role)> placements = [];

    private enum RefKind
    {
        Region,
        Site,
        Component,
        Service,
        Data,
        Threat,
    }

    private readonly record struct Ref(RefKind Kind, string Name, YamlNode Node, string Path);

    /// <summary>Reads the document's root; null when any error was reported.</summary>
    internal Scenario? Read(YamlNode root)
    {
        MapReader? top = Map(root, "", "the scenario: a mapping with name, regions, sites, components, services, data and threats", TopKeys);
        if (top is null)
        {
            return null;
        }

        string? name = Text(top, "name", required: true, "the scenario's name");
        string? description = Text(top, "description", required: false, "a free-text description");
        YamlNode? simNode = top.Optional("simulation");
        SimulationSettings? simulation = simNode is null ? SimulationSettings.Default : Simulation(simNode, top.PathOf("simulation"));
        ImmutableArray<Region> regions = List(top, "regions", "regions", Region);
        ImmutableArray<Site> sites = List(top, "sites", "sites", Site);
        ImmutableArray<Component> components = List(top, "components", "components", Component);
        ImmutableArray<Service> services = List(top, "services", "services", Service);
        ImmutableArray<DataSet> data = List(top, "data", "data sets", DataSet);
        ImmutableArray<Threat> threats = List(top, "threats", "threats", Threat);

        if (!Ctx.Exhausted)
        {
            CheckReferences();
            CheckCycles();
            CheckPlacement();
        }

        if (!Ctx.HasErrors && simulation is not null)
        {
            CheckEventBudget(simulation, components, threats);
        }

        if (!Ctx.HasErrors && simulation is not null)
        {
            CheckPlanning(sites, components, services, data, threats);
        }

        if (Ctx.HasErrors || name is null || simulation is null)
        {
            return null;
        }

        return new Scenario
        {
            Name = name,
            Description = description,
            Simulation = simulation,
            Regions = regions,
            Sites = sites,
            Components = components,
            Services = services,
            DataSets = data,
            Threats = threats,
        };
    }

    private static string KindName(RefKind kind) => kind switch
    {
        RefKind.Data => "data set",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private ImmutableArray<T> List<T>(MapReader parent, string key, string what, Func<YamlNode, string, T?> readItem)
        where T : class
    {
        YamlNode? node = parent.Optional(key);
        if (node is null)
        {
            return [];
        }

        string path = parent.PathOf(key);
        YamlSequenceNode? list = Sequence(node, path, what);
        if (list is null)
        {
            return [];
        }

        if (list.Children.Count > ReadContext.MaxItems)
        {
            Ctx.Error(list, path, LoaderMessages.TooManyItems(what, list.Children.Count, ReadContext.MaxItems));
            return [];
        }

        var items = ImmutableArray.CreateBuilder<T>(list.Children.Count);
        for (int i = 0; i < list.Children.Count && !Ctx.Exhausted; i++)
        {
            if (readItem(list.Children[i], ScenarioNodes.Item(path, i)) is { } item)
            {
                items.Add(item);
            }
        }

        return items.ToImmutable();
    }

    private string? Name(MapReader map, RefKind kind)
    {
        string? name = Text(map, "name", required: true, $"the {KindName(kind)}'s name");
        if (name is null)
        {
            return null;
        }

        YamlNode node = map.Optional("name")!;
        if (name.Trim().Length == 0)
        {
            Ctx.Error(node, map.PathOf("name"), LoaderMessages.EmptyName(KindName(kind)));
            return null;
        }

        if (!names[kind].TryAdd(name, (int)node.Start.Line))
        {
            Ctx.Error(node, map.PathOf("name"), LoaderMessages.DuplicateName(KindName(kind), name, names[kind][name]));
        }

        return name;
    }

    private string? Reference(MapReader map, string key, RefKind kind, bool required)
    {
        string? name = Text(map, key, required, $"the name of a {KindName(kind)}");
        if (name is not null)
        {
            refs.Add(new Ref(kind, name, map.Optional(key)!, map.PathOf(key)));
        }

        return name;
    }

    private SimulationSettings? Simulation(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "the simulation settings", SimulationKeys);
        if (map is null)
        {
            return null;
        }

        SimulationSettings d = SimulationSettings.Default;
        Quoted? horizon = Duration(map, "horizon", required: false, positive: true);
        DateTime? start = map.Optional("start") is { } s ? Date(s, map.PathOf("start")) : d.Start;
        long? trials = map.Optional("trials") is { } t ? Integer(t, map.PathOf("trials"), 1, long.MaxValue) : d.Trials;
        ulong? seed = map.Optional("seed") is { } sd ? UnsignedInteger(sd, map.PathOf("seed")) : d.Seed;
        bool horizonOk = map.Optional("horizon") is null || horizon is not null;
        return horizonOk && start is not null && trials is not null && seed is not null
            ? new SimulationSettings(horizon?.Value ?? d.HorizonHours, start.Value, trials.Value, seed.Value)
            : null;
    }

    private Region? Region(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a region", RegionKeys);
        return map is not null && Name(map, RefKind.Region) is { } name ? new Region(name) : null;
    }

    private Site? Site(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a site", SiteKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Site);
        string? region = Reference(map, "region", RefKind.Region, required: true);
        return name is not null && region is not null ? new Site(name, region) : null;
    }

    private Component? Component(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a component", ComponentKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Component);
        string? site = Reference(map, "site", RefKind.Site, required: true);
        string? kind = Text(map, "kind", required: true, "the component's kind, e.g. power, storage, host");
        YamlNode? failureNode = map.Optional("failure");
        FailureProcess? failure = failureNode is null ? null : Failure(failureNode, map.PathOf("failure"));
        var requireRefs = new List<Ref>();
        (bool ok, Requirement? requires) = Requires(map, "requires", requireRefs);
        if (name is not null && site is not null)
        {
            componentSites.TryAdd(name, site);
        }

        if (name is not null)
        {
            componentMaps.TryAdd(name, map);
        }

        if (name is not null && map.Optional("requires") is { } reqNode)
        {
            componentRequires.Add((name, reqNode, map.PathOf("requires"), requireRefs));
        }

        return name is not null && site is not null && kind is not null && (failureNode is null || failure is not null) && ok
            ? new Component(name, site, kind, failure, requires)
            : null;
    }

    private FailureProcess? Failure(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a failure process", FailureKeys);
        if (map is null)
        {
            return null;
        }

        Distribution? ttf = Distribution(map, "time_to_failure", required: true);
        Distribution? ttr = Distribution(map, "time_to_repair", required: true);
        Effect? effect = map.Optional("effect") is { } e ? EffectOf(e, map.PathOf("effect")) : Models.Effect.Outage;
        return ttf is not null && ttr is not null && effect is not null ? new FailureProcess(ttf, ttr, effect.Value) : null;
    }

    private Effect? EffectOf(YamlNode node, string path) => Choice(node, path, Effects) switch
    {
        "outage" => Models.Effect.Outage,
        "destroyed" => Models.Effect.Destroyed,
        _ => null,
    };

    /// <summary>Reads an optional requirement list; ok is false when it was present but broken.</summary>
    private (bool Ok, Requirement? Requirement) Requires(MapReader map, string key, List<Ref> found)
    {
        YamlNode? node = map.Optional(key);
        if (node is null || node is YamlSequenceNode { Children.Count: 0 })
        {
            return (true, null);
        }

        Requirement? r = Requirement(node, map.PathOf(key), 1, found);
        return (r is not null, r);
    }

    private Requirement? Requirement(YamlNode node, string path, int depth, List<Ref> found)
    {
        if (depth > ReadContext.MaxDepth)
        {
            Ctx.Error(node, path, LoaderMessages.TooDeepRequirement(ReadContext.MaxDepth));
            return null;
        }

        switch (node)
        {
            case YamlScalarNode:
                string? name = Text(node, path, "a component name or a group (any_of, all_of, k_of_n)");
                if (name is null)
                {
                    return null;
                }

                found.Add(new Ref(RefKind.Component, name, node, path));
                refs.Add(new Ref(RefKind.Component, name, node, path));
                return new RequireComponent(name);
            case YamlSequenceNode:
                return Group(node, path, depth, found, "the list", all: true, k: null, kNode: null, kPath: "");
            default:
                MapReader? map = Map(node, path, "a requirement group", GroupKeys);
                if (map is null)
                {
                    return null;
                }

                string[] present = [.. map.PresentKeys];
                if (present.Length != 1)
                {
                    Ctx.Error(node, path, LoaderMessages.RequirementGroup(present));
                    return null;
                }

                string group = present[0];
                if (group != "k_of_n")
                {
                    return Group(map.Optional(group)!, map.PathOf(group), depth, found, group, all: group == "all_of", k: 1, kNode: null, kPath: "");
                }

                MapReader? kn = Map(map.Optional(group)!, map.PathOf(group), "k_of_n: { k: NUMBER, of: [ITEMS] }", KOfNKeys);
                if (kn is null)
                {
                    return null;
                }

                YamlNode? kNode = kn.Required("k");
                YamlNode? ofNode = kn.Required("of");
                long? kValue = kNode is null ? null : Integer(kNode, kn.PathOf("k"), long.MinValue, long.MaxValue);
                return kValue is not null && ofNode is not null
                    ? Group(ofNode, kn.PathOf("of"), depth, found, "k_of_n", all: false, k: kValue, kNode: kNode, kPath: kn.PathOf("k"))
                    : null;
        }
    }

    private Requirement? Group(YamlNode node, string path, int depth, List<Ref> found, string group, bool all, long? k, YamlNode? kNode, string kPath)
    {
        YamlSequenceNode? list = Sequence(node, path, $"the items of {group}");
        if (list is null)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            Ctx.Error(node, path, LoaderMessages.EmptyGroup(group));
            return null;
        }

        if (list.Children.Count > ReadContext.MaxItems)
        {
            Ctx.Error(node, path, LoaderMessages.TooManyItems("items", list.Children.Count, ReadContext.MaxItems));
            return null;
        }

        var items = ImmutableArray.CreateBuilder<Requirement>(list.Children.Count);
        bool ok = true;
        for (int i = 0; i < list.Children.Count && !Ctx.Exhausted; i++)
        {
            if (Requirement(list.Children[i], ScenarioNodes.Item(path, i), depth + 1, found) is { } item)
            {
                items.Add(item);
            }
            else
            {
                ok = false;
            }
        }

        int count = list.Children.Count;
        if (kNode is not null && k is { } kk && (kk < 1 || kk > count))
        {
            string kText = ((YamlScalarNode)kNode).Value ?? "";
            Ctx.Error(kNode, kPath, LoaderMessages.KOutOfRange(kText, count));
            return null;
        }

        if (!ok || Ctx.Exhausted)
        {
            return null;
        }

        // One item needs no group: the engine sees the same requirement either way.
        if (count == 1)
        {
            return items[0];
        }

        return new RequireAtLeast(all ? count : (int)k!.Value, items.MoveToImmutable());
    }

    private Service? Service(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a service", ServiceKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Service);
        string? site = Reference(map, "site", RefKind.Site, required: true);
        if (name is not null)
        {
            serviceMaps.TryAdd(name, map);
        }
        var requireRefs = new List<Ref>();
        (bool requiresOk, Requirement? requires) = Requires(map, "requires", requireRefs);
        Quoted? rto = Duration(map, "rto", required: false, positive: false);
        bool rtoOk = map.Optional("rto") is null || rto is not null;
        if (site is not null)
        {
            placements.Add((site, requireRefs, "service's primary"));
        }

        Standby? standby = null;
        bool standbyOk = true;
        if (map.Optional("standby") is { } standbyNode)
        {
            standby = Standby(standbyNode, map.PathOf("standby"), site);
            standbyOk = standby is not null;
        }

        Recovery? recovery = null;
        if (map.Required("recovery") is { } recoveryNode)
        {
            recovery = Recovery(recoveryNode, map.PathOf("recovery"), hasStandby: map.Optional("standby") is not null);
        }

        return name is not null && site is not null && requiresOk && rtoOk && standbyOk && recovery is not null
            ? new Service(name, site, requires, standby, recovery, rto?.Value)
            : null;
    }

    private Standby? Standby(YamlNode node, string path, string? primarySite)
    {
        MapReader? map = Map(node, path, "a standby: { site: NAME, requires: [...] }", StandbyKeys);
        if (map is null)
        {
            return null;
        }

        string? site = Reference(map, "site", RefKind.Site, required: true);
        if (site is not null && site == primarySite)
        {
            Ctx.Error(map.Optional("site")!, map.PathOf("site"), LoaderMessages.StandbyAtPrimarySite(site));
        }

        var requireRefs = new List<Ref>();
        (bool ok, Requirement? requires) = Requires(map, "requires", requireRefs);
        if (site is not null)
        {
            placements.Add((site, requireRefs, "standby"));
        }

        return site is not null && ok ? new Standby(site, requires) : null;
    }

    private Recovery? Recovery(YamlNode node, string path, bool hasStandby)
    {
        MapReader? map = Map(node, path, "the recovery: { detection: DURATION, failover: {...} }", RecoveryKeys);
        if (map is null)
        {
            return null;
        }

        Distribution? detection = Distribution(map, "detection", required: true);
        Failover? failover = null;
        bool failoverOk = true;
        if (map.Optional("failover") is { } failoverNode)
        {
            if (!hasStandby)
            {
                Ctx.Error(failoverNode, map.PathOf("failover"), LoaderMessages.FailoverWithoutStandby());
            }

            failover = Failover(failoverNode, map.PathOf("failover"));
            failoverOk = failover is not null && hasStandby;
        }

        return detection is not null && failoverOk ? new Recovery(detection, failover) : null;
    }

    private Failover? Failover(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a failover: { mode: automatic|manual, after: DURATION, duration: DISTRIBUTION }", FailoverKeys);
        if (map is null)
        {
            return null;
        }

        string? mode = map.Required("mode") is { } m ? Choice(m, map.PathOf("mode"), FailoverModes) : null;
        Quoted? after = Duration(map, "after", required: false, positive: false);
        bool afterOk = map.Optional("after") is null || after is not null;
        if (mode == "automatic" && after is { } a)
        {
            Ctx.Error(map.Optional("after")!, map.PathOf("after"), LoaderMessages.AfterOnAutomatic(a.Text));
            afterOk = false;
        }

        Distribution? duration = Distribution(map, "duration", required: true);
        return mode is not null && afterOk && duration is not null
            ? new Failover(mode == "manual" ? FailoverMode.Manual : FailoverMode.Automatic, after?.Value ?? 0, duration)
            : null;
    }

    private DataSet? DataSet(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a data set", DataKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Data);
        if (name is not null)
        {
            dataMaps.TryAdd(name, map);
        }
        string? service = Reference(map, "service", RefKind.Service, required: true);
        string? storage = Reference(map, "storage", RefKind.Component, required: true);
        Quoted? size = Number(map, "size_gb", required: true, positive: true);
        Quoted? change = Number(map, "change_rate_gb_per_hour", required: true, positive: false);
        Quoted? rpo = Duration(map, "rpo", required: false, positive: false);
        bool rpoOk = map.Optional("rpo") is null || rpo is not null;

        var backupNames = new Dictionary<string, int>(StringComparer.Ordinal);
        bool backupsOk = true;
        ImmutableArray<Backup> backups = List(map, "backups", "backups", (n, p) =>
        {
            Backup? b = Backup(n, p, storage, backupNames);
            backupsOk &= b is not null;
            return b;
        });
        bool replicationsOk = true;
        ImmutableArray<Replication> replications = List(map, "replication", "replicas", (n, p) =>
        {
            Replication? r = Replication(n, p);
            replicationsOk &= r is not null;
            return r;
        });

        return name is not null && service is not null && storage is not null && size is not null && change is not null && rpoOk && backupsOk && replicationsOk
            ? new DataSet(name, service, storage, size.Value.Value, change.Value.Value, rpo?.Value, backups, replications)
            : null;
    }

    private Backup? Backup(YamlNode node, string path, string? storage, Dictionary<string, int> backupNames)
    {
        MapReader? map = Map(node, path, "a backup policy", BackupKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Text(map, "name", required: true, "the backup's name");
        if (name is not null && !backupNames.TryAdd(name, (int)map.Optional("name")!.Start.Line))
        {
            Ctx.Error(map.Optional("name")!, map.PathOf("name"), LoaderMessages.DuplicateName("backup", name, backupNames[name]));
        }

        Quoted? interval = Duration(map, "interval", required: true, positive: true);
        Quoted? offset = Duration(map, "offset", required: false, positive: false);
        Quoted? duration = Duration(map, "duration", required: false, positive: false);
        Quoted? retention = Duration(map, "retention", required: false, positive: false);
        bool optionalOk = (map.Optional("offset") is null || offset is not null)
            && (map.Optional("duration") is null || duration is not null)
            && (map.Optional("retention") is null || retention is not null);

        if (interval is { } i && offset is { } o && o.Value >= i.Value)
        {
            Ctx.Error(map.Optional("offset")!, map.PathOf("offset"), LoaderMessages.OffsetNotBelowInterval(o.Text, i.Text));
            optionalOk = false;
        }

        if (interval is { } iv && retention is { } r && r.Value < iv.Value)
        {
            Ctx.Warning(map.Optional("retention")!, map.PathOf("retention"), LoaderMessages.RetentionBelowInterval(r.Text, iv.Text));
        }

        Location? destination = map.Required("destination") is { } d ? Location(d, map.PathOf("destination"), "a backup destination", offsiteAllowed: true) : null;
        if (destination is { Kind: LocationKind.Component } dc && dc.Name == storage)
        {
            Ctx.Warning(map.Optional("destination")!, map.PathOf("destination"), LoaderMessages.BackupOnOwnStorage(storage));
        }

        Quoted? throughput = null;
        Quoted? setup = null;
        bool restoreOk = false;
        if (map.Required("restore") is { } restoreNode)
        {
            MapReader? restore = Map(restoreNode, map.PathOf("restore"), "the restore: { throughput_gb_per_hour: NUMBER, setup: DURATION }", RestoreKeys);
            if (restore is not null)
            {
                throughput = Number(restore, "throughput_gb_per_hour", required: true, positive: true);
                setup = Duration(restore, "setup", required: false, positive: false);
                restoreOk = throughput is not null && (restore.Optional("setup") is null || setup is not null);
            }
        }

        return name is not null && interval is not null && optionalOk && destination is not null && restoreOk
            ? new Backup(name, interval.Value.Value, offset?.Value ?? 0, duration?.Value ?? 0, destination, throughput!.Value.Value, setup?.Value ?? 0, retention?.Value)
            : null;
    }

    private Location? Location(YamlNode node, string path, string what, bool offsiteAllowed)
    {
        if (offsiteAllowed && node is YamlScalarNode)
        {
            string? text = Text(node, path, what);
            if (text is null)
            {
                return null;
            }

            if (text.Trim() == "offsite")
            {
                return Models.Location.Offsite;
            }

            Ctx.Error(node, path, LoaderMessages.InvalidDestination(text));
            return null;
        }

        MapReader? map = Map(node, path, what + (offsiteAllowed ? ": offsite, { site: NAME } or { component: NAME }" : ": { site: NAME } or { component: NAME }"), LocationKeys);
        if (map is null)
        {
            return null;
        }

        string[] present = [.. map.PresentKeys];
        if (present.Length != 1)
        {
            Ctx.Error(node, path, LoaderMessages.LocationExactlyOne(what, present, offsiteAllowed));
            return null;
        }

        RefKind kind = present[0] == "site" ? RefKind.Site : RefKind.Component;
        string? name = Reference(map, present[0], kind, required: true);
        return name is null ? null : new Location(kind == RefKind.Site ? LocationKind.Site : LocationKind.Component, name);
    }

    private Replication? Replication(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a replica", ReplicationKeys);
        if (map is null)
        {
            return null;
        }

        string? mode = map.Required("mode") is { } m ? Choice(m, map.PathOf("mode"), ReplicationModes) : null;
        Location? target = map.Required("to") is { } t ? Location(t, map.PathOf("to"), "a replica target", offsiteAllowed: false) : null;
        YamlNode? lagNode = map.Optional("lag");
        Distribution? lag = null;
        bool lagOk = true;
        if (mode == "async" && lagNode is null)
        {
            Ctx.Error(map.Node, map.Path, LoaderMessages.AsyncWithoutLag());
            lagOk = false;
        }
        else if (mode == "sync" && lagNode is not null)
        {
            Ctx.Error(lagNode, map.PathOf("lag"), LoaderMessages.SyncWithLag(Describe(lagNode)));
            lagOk = false;
        }
        else if (lagNode is not null)
        {
            lag = Distribution(lagNode, map.PathOf("lag"));
            lagOk = lag is not null;
        }

        return mode is not null && target is not null && lagOk
            ? new Replication(mode == "sync" ? ReplicationMode.Sync : ReplicationMode.Async, target, lag)
            : null;
    }

    private Threat? Threat(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a threat", ThreatKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Threat);
        if (name is not null)
        {
            threatMaps.TryAdd(name, map);
        }
        string? kind = Text(map, "kind", required: true, "the threat's kind, e.g. fire, flood, power");
        Quoted? rate = Number(map, "rate_per_year", required: true, positive: false);
        Scope? scope = map.Required("scope") is { } s ? Scope(s, map.PathOf("scope")) : null;
        Effect? effect = map.Required("effect") is { } e ? EffectOf(e, map.PathOf("effect")) : null;
        Distribution? duration = null;
        Distribution? rebuild = null;
        bool distOk = effect is not null;
        if (effect is { } eff)
        {
            (string wanted, string forbidden) = eff == Models.Effect.Outage ? ("duration", "rebuild") : ("rebuild", "duration");
            string effectName = eff == Models.Effect.Outage ? "outage" : "destroyed";
            if (map.Optional(forbidden) is { } f)
            {
                Ctx.Error(f, map.PathOf(forbidden), LoaderMessages.FieldForbiddenForEffect(forbidden, effectName, wanted));
                distOk = false;
            }

            if (map.Optional(wanted) is null)
            {
                Ctx.Error(map.Node, map.Path, LoaderMessages.FieldRequiredForEffect(wanted, effectName));
                distOk = false;
            }
            else
            {
                Distribution? dist = Distribution(map, wanted, required: true);
                distOk &= dist is not null;
                if (eff == Models.Effect.Outage)
                {
                    duration = dist;
                }
                else
                {
                    rebuild = dist;
                }
            }
        }

        return name is not null && kind is not null && rate is not null && scope is not null && effect is not null && distOk
            ? new Threat(name, kind, rate.Value.Value, scope, effect.Value, duration, rebuild)
            : null;
    }

    private Scope? Scope(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a scope: { component: NAME }, { site: NAME } or { region: NAME }", ScopeKeys);
        if (map is null)
        {
            return null;
        }

        string[] present = [.. map.PresentKeys];
        if (present.Length != 1)
        {
            Ctx.Error(node, path, LoaderMessages.ScopeExactlyOne(present));
            return null;
        }

        (RefKind refKind, ScopeKind scopeKind) = present[0] switch
        {
            "component" => (RefKind.Component, ScopeKind.Component),
            "site" => (RefKind.Site, ScopeKind.Site),
            _ => (RefKind.Region, ScopeKind.Region),
        };
        string? name = Reference(map, present[0], refKind, required: true);
        return name is null ? null : new Scope(scopeKind, name);
    }

    private static string Describe(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : LoaderMessages.Found(node);

    private void CheckReferences()
    {
        var known = names.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value.Keys.ToArray());
        foreach (Ref r in refs)
        {
            if (!names[r.Kind].ContainsKey(r.Name))
            {
                Ctx.Error(r.Node, r.Path, LoaderMessages.UnknownReference(KindName(r.Kind), r.Name, NameSuggester.Suggest(r.Name, known[r.Kind]), known[r.Kind]));
            }
        }
    }

    private void CheckCycles()
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var where = new Dictionary<string, (YamlNode Node, string Path)>(StringComparer.Ordinal);
        foreach ((string name, YamlNode node, string path, List<Ref> requires) in componentRequires)
        {
            if (edges.TryAdd(name, [.. requires.Select(r => r.Name).Where(componentSites.ContainsKey).Distinct()]))
            {
                where[name] = (node, path);
            }
        }

        // Iterative depth-first search: 10,000 components in a chain must not exhaust the call stack.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (string start in edges.Keys)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var path = new List<string> { start };
            var next = new List<int> { 0 };
            state[start] = 1;
            while (path.Count > 0)
            {
                string current = path[^1];
                List<string> deps = edges.TryGetValue(current, out List<string>? d) ? d : [];
                if (next[^1] >= deps.Count)
                {
                    state[current] = 2;
                    path.RemoveAt(path.Count - 1);
                    next.RemoveAt(next.Count - 1);
                    continue;
                }

                string dep = deps[next[^1]++];
                if (!state.TryGetValue(dep, out int s))
                {
                    state[dep] = 1;
                    path.Add(dep);
                    next.Add(0);
                }
                else if (s == 1)
                {
                    List<string> cycle = [.. path.Skip(path.IndexOf(dep)), dep];
                    string signature = string.Join("\n", cycle.Skip(1).Order(StringComparer.Ordinal));
                    if (reported.Add(signature))
                    {
                        (YamlNode node, string at) = where[dep];
                        Ctx.Error(node, at, LoaderMessages.Cycle(cycle));
                    }
                }
            }
        }
    }

    private void CheckPlacement()
    {
        foreach ((string site, List<Ref> requires, string role) in placements)
        {
            foreach (Ref r in requires)
            {
                if (componentSites.TryGetValue(r.Name, out string? componentSite) && componentSite != site)
                {
                    Ctx.Warning(r.Node, r.Path, LoaderMessages.ComponentAtOtherSite(r.Name, componentSite, role, site));
                }
            }
        }
    }
}
