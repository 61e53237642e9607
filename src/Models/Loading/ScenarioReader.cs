using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>Maps the YAML tree of one scenario to the model, then checks references, cycles and placement.</summary>
internal sealed partial class ScenarioReader(ReadContext ctx) : ValueReader(ctx)
{
    internal static readonly string[] TopKeys = ["name", "description", "simulation", "regions", "sites", "components", "services", "data", "threats", "monitors", "calendar", "endpoints", "currency", "other_costs", "offsite", "crews"];
    internal static readonly string[] EndpointKeys = ["name", "devices", "loss_rate_per_year", "data_gb", "change_rate_gb_per_hour", "sync", "replacement"];
    internal static readonly string[] SyncKeys = ["interval", "coverage"];
    internal static readonly string[] SimulationKeys = ["horizon", "start", "trials", "seed"];
    internal static readonly string[] RegionKeys = ["name"];
    internal static readonly string[] SiteKeys = ["name", "region", "restore_throughput_gb_per_hour", "capacity"];
    internal static readonly string[] ComponentKeys = ["name", "site", "kind", "failure", "requires", "backup_power", "restore_throughput_gb_per_hour"];
    internal static readonly string[] FailureKeys = ["time_to_failure", "time_to_repair", "effect", "silent_probability"];
    internal static readonly string[] BackupPowerKeys = ["ups_runtime", "generator"];
    internal static readonly string[] GeneratorKeys = ["start_failure_probability", "fuel_runtime", "refuel", "running_time_to_failure"];
    internal static readonly string[] RefuelChoices = ["always", "not_during_regional_events", "never"];
    internal static readonly string[] MonitorKeys = ["name", "site", "requires", "requires_services", "delay", "checks"];
    internal static readonly string[] CheckKeys = ["component", "service", "type"];
    internal static readonly string[] CheckTypes = ["liveness", "functional"];
    internal static readonly string[] EstimateKeys = ["noise", "margin", "reassess"];
    internal static readonly string[] FloodKeys = ["probability", "rebuild"];
    internal static readonly string[] CalendarKeys = ["business_days", "business_hours", "holidays", "response", "business_hours_take_over"];
    internal static readonly string[] ResponseKeys = ["business_hours", "nights", "weekends"];
    internal static readonly string[] ScheduleKeys = ["every", "week", "weekday", "month", "day", "at", "dates"];
    internal static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    internal static readonly string[] FailbackKeys = ["when", "window", "duration"];
    internal static readonly string[] ServiceKeys = ["name", "site", "requires", "requires_services", "rto", "standby", "recovery", "costs", "move_for_maintenance", "failback", "active_active", "priority"];
    internal static readonly string[] ActiveSiteKeys = ["site", "capacity", "requires"];
    internal static readonly string[] StandbyKeys = ["site", "requires", "capacity", "cost_per_year"];
    internal static readonly string[] RecoveryKeys = ["detection", "failover"];
    internal static readonly string[] FailoverKeys = ["mode", "after", "duration", "success_probability", "estimate"];
    internal static readonly string[] DataKeys = ["name", "service", "storage", "size_gb", "change_rate_gb_per_hour", "rpo", "backups", "replication", "costs", "change_profile"];
    internal static readonly string[] BackupKeys =
    [
        "name", "interval", "offset", "duration", "destination", "retention", "restore", "cost_per_year",
        "failure_probability", "exposure", "chain_breaks", "restore_test", "vault", "runs_at",
    ];
    internal static readonly string[] RestoreKeys = ["throughput_gb_per_hour", "setup", "failure_probability"];
    internal static readonly string[] ReplicationKeys = ["mode", "to", "lag", "cost_per_year", "link"];
    internal static readonly string[] ServiceCostKeys = ["outage_per_hour", "per_incident"];
    internal static readonly string[] DataCostKeys = ["loss_per_hour", "loss_per_gb"];
    internal static readonly string[] OtherCostKeys = ["name", "per_year"];
    internal static readonly string[] ThreatKeys =
    [
        "name", "kind", "rate_per_year", "schedule", "scope", "effect", "duration", "rebuild", "dwell", "cleanup", "silent", "ends_after_detection",
        "affects", "active_months", "site_hit_probability", "flood", "aftermath",
    ];
    internal static readonly string[] GroupKeys = ["any_of", "all_of", "k_of_n"];
    internal static readonly string[] KOfNKeys = ["k", "of"];
    internal static readonly string[] ScopeKeys = ["component", "site", "region", "components"];
    internal static readonly string[] LocationKeys = ["site", "component"];
    internal static readonly string[] Effects = ["outage", "destroyed", "corruption"];
    internal static readonly string[] FailureEffects = ["outage", "destroyed"];
    internal static readonly string[] FailoverModes = ["automatic", "manual", "estimate", "never"];
    internal static readonly string[] ReplicationModes = ["sync", "async"];
    internal static readonly string[] FailbackTimes = ["immediate", "next_window"];
    internal static readonly string[] Recurrences = ["day", "week", "month", "year"];
    internal static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private readonly Dictionary<RefKind, Dictionary<string, int>> names = new()
    {
        [RefKind.Region] = new(StringComparer.Ordinal),
        [RefKind.Site] = new(StringComparer.Ordinal),
        [RefKind.Component] = new(StringComparer.Ordinal),
        [RefKind.Service] = new(StringComparer.Ordinal),
        [RefKind.Data] = new(StringComparer.Ordinal),
        [RefKind.Threat] = new(StringComparer.Ordinal),
        [RefKind.Monitor] = new(StringComparer.Ordinal),
        [RefKind.Crew] = new(StringComparer.Ordinal),
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
        Monitor,
        Crew,
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
        ImmutableArray<Monitor> monitors = List(top, "monitors", "monitors", Monitor);
        WorkCalendar? calendar = top.Optional("calendar") is { } calendarNode ? CalendarOf(calendarNode, top.PathOf("calendar")) : null;
        ImmutableArray<EndpointFleet> endpoints = List(top, "endpoints", "endpoint fleets", Endpoint);
        ImmutableArray<Crew> crews = List(top, "crews", "crews", CrewOf);
        string? currency = Text(top, "currency", required: false, "the label of the scenario's currency, e.g. USD");
        (bool offsiteOk, double? offsiteThroughput) = Offsite(top);
        bool otherCostsOk = true;
        ImmutableArray<OtherCost> otherCosts = List(top, "other_costs", "other costs", (n, p) =>
        {
            OtherCost? c = OtherCostOf(n, p);
            otherCostsOk &= c is not null;
            return c;
        });

        if (!Ctx.Exhausted)
        {
            CheckReferences();
            CheckCycles();
            CheckServiceCycles();
            CheckPlacement();
        }

        if (!Ctx.HasErrors && simulation is not null)
        {
            CheckEventBudget(simulation, components, threats);
            CheckRestoreTimes(data);
            CheckBackupPlaces(simulation, services, data, threats);
            CheckSeedingTimes(data);
        }

        if (!Ctx.HasErrors && simulation is not null)
        {
            CheckPlanning(sites, components, services, data, threats, monitors);
            CheckCrews(simulation, crews, components, services, data, threats, sites);
            CheckServicePlanning(sites, services);
        }

        if (Ctx.HasErrors || name is null || simulation is null || !otherCostsOk || !offsiteOk)
        {
            return null;
        }

        var scenario = new Scenario
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
            Monitors = monitors,
            Calendar = calendar,
            Currency = string.IsNullOrWhiteSpace(currency) ? null : currency.Trim(),
            OtherCosts = otherCosts,
            Crews = crews,
            OffsiteRestoreThroughputGbPerHour = offsiteThroughput,
        };
        return EndpointFleets.Expand(scenario, endpoints);
    }

    /// <summary>More device losses a year than any fleet has: such a rate is a typo, and would flood the event loop.</summary>
    private const double MaxEndpointLossesPerYear = 100_000;

    /// <summary>A periodic job more often than every second is continuous protection: model it as replication.</summary>
    private Quoted? AtLeastOneSecond(MapReader map, string key, Quoted? value)
    {
        if (value is { } v && v.Value < 1.0 / 3600)
        {
            Ctx.Error(map.Optional(key)!, map.PathOf(key), LoaderMessages.IntervalTooShort(v.Text));
            return null;
        }

        return value;
    }

    private EndpointFleet? Endpoint(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "an endpoint fleet", EndpointKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Text(map, "name", required: true, "the fleet's name");
        long? devices = map.Required("devices") is { } dn ? Integer(dn, map.PathOf("devices"), 1, 10_000_000) : null;
        Quoted? rate = Number(map, "loss_rate_per_year", required: true, positive: false);
        Quoted? size = Number(map, "data_gb", required: true, positive: true);
        Quoted? change = ChangeRate(map, size);
        Quoted? replacement = Duration(map, "replacement", required: false, positive: false);
        double? interval = null;
        double? coverage = 0;
        bool syncOk = true;
        if (map.Optional("sync") is { } syncNode)
        {
            MapReader? sync = Map(syncNode, map.PathOf("sync"), "the devices' sync or backup: { interval: DURATION, coverage: 0..1 }", SyncKeys);
            Quoted? every = sync is null ? null : AtLeastOneSecond(sync, "interval", Duration(sync, "interval", required: true, positive: true));
            coverage = sync is null ? null : Probability(sync, "coverage", 1);
            interval = every?.Value;
            syncOk = sync is not null && every is not null && coverage is not null;
        }

        if (devices is not null && rate is { } r && devices.Value * r.Value > MaxEndpointLossesPerYear)
        {
            Ctx.Error(map.Optional("loss_rate_per_year")!, map.PathOf("loss_rate_per_year"), LoaderMessages.TooManyEndpointLosses(r.Text, devices.Value, MaxEndpointLossesPerYear));
            return null;
        }

        if (name is not null && names[RefKind.Service].ContainsKey(name))
        {
            Ctx.Error(map.Optional("name")!, map.PathOf("name"), LoaderMessages.DuplicateName("service", name, names[RefKind.Service][name]));
            return null;
        }

        return name is not null && devices is not null && rate is not null && size is not null && change is not null && syncOk
            && (map.Optional("replacement") is null || replacement is not null)
            ? new EndpointFleet(name, (int)devices.Value, rate.Value.Value, size.Value.Value, change.Value.Value, interval, coverage ?? 0, replacement?.Value ?? 24)
            : null;
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
        (bool capacityOk, int? capacity) = SiteCapacity(map);
        if (name is not null)
        {
            siteMaps.TryAdd(name, map);
        }

        (bool throughputOk, double? throughput) = SharedRestoreThroughput(map);
        return name is not null && region is not null && throughputOk && capacityOk
            ? new Site(name, region) { RestoreThroughputGbPerHour = throughput, Capacity = capacity }
            : null;
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

        BackupPower? backupPower = null;
        bool backupOk = true;
        if (map.Optional("backup_power") is { } bpNode)
        {
            backupPower = BackupPower(bpNode, map.PathOf("backup_power"));
            backupOk = backupPower is not null;
        }

        (bool throughputOk, double? throughput) = SharedRestoreThroughput(map);
        return name is not null && site is not null && kind is not null && (failureNode is null || failure is not null) && ok && backupOk && throughputOk
            ? new Component(name, site, kind, failure, requires) { BackupPower = backupPower, RestoreThroughputGbPerHour = throughput }
            : null;
    }

    private BackupPower? BackupPower(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "backup power: { ups_runtime: DURATION, generator: {...} }", BackupPowerKeys);
        if (map is null)
        {
            return null;
        }

        Quoted? ups = Duration(map, "ups_runtime", required: true, positive: false);
        if (map.Optional("generator") is not { } genNode)
        {
            return ups is { } u ? new BackupPower(u.Value, 1, 1, RefuelPolicy.Never) : null;
        }

        MapReader? gen = Map(genNode, map.PathOf("generator"), "a generator: { start_failure_probability, fuel_runtime, refuel, running_time_to_failure }", GeneratorKeys);
        if (gen is null)
        {
            return null;
        }

        double? fail = Probability(gen, "start_failure_probability", 0);
        Quoted? fuel = Duration(gen, "fuel_runtime", required: true, positive: true);
        string? refuel = gen.Optional("refuel") is { } r ? Choice(r, gen.PathOf("refuel"), RefuelChoices) : "always";
        RefuelPolicy policy = refuel switch
        {
            "never" => RefuelPolicy.Never,
            "not_during_regional_events" => RefuelPolicy.NotDuringRegionalEvents,
            _ => RefuelPolicy.Always,
        };
        Distribution? running = gen.Optional("running_time_to_failure") is null ? null : Distribution(gen, "running_time_to_failure", required: true);
        return ups is { } ok && fail is { } f && fuel is { } fu && refuel is not null && (gen.Optional("running_time_to_failure") is null || running is not null)
            ? new BackupPower(ok.Value, f, fu.Value, policy) { RunningTimeToFailure = running }
            : null;
    }

    private Monitor? Monitor(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a monitor", MonitorKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Monitor);
        string? site = Reference(map, "site", RefKind.Site, required: true);
        var requireRefs = new List<Ref>();
        (bool requiresOk, Requirement? requires) = Requires(map, "requires", requireRefs);
        (bool servicesOk, ImmutableArray<string> requiredServices) = RequiredServices(map, owner: null);
        Distribution? delay = Distribution(map, "delay", required: true);
        ImmutableArray<MonitorCheck> checks = map.Required("checks") is null ? [] : List(map, "checks", "checks", Check);
        return name is not null && site is not null && requiresOk && servicesOk && delay is not null && !checks.IsEmpty
            ? new Monitor(name, site, requires, delay, checks) { RequiresServices = requiredServices }
            : null;
    }

    private MonitorCheck? Check(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a check: { component: NAME } or { service: NAME }, with type: liveness|functional", CheckKeys);
        if (map is null)
        {
            return null;
        }

        bool isComponent = map.Optional("component") is not null;
        if (isComponent == (map.Optional("service") is not null))
        {
            Ctx.Error(node, path, LoaderMessages.CheckExactlyOne());
            return null;
        }

        string? target = isComponent ? Reference(map, "component", RefKind.Component, required: true) : Reference(map, "service", RefKind.Service, required: true);
        string? type = map.Optional("type") is { } t ? Choice(t, map.PathOf("type"), CheckTypes) : "functional";
        return target is not null && type is not null
            ? new MonitorCheck(isComponent ? CheckTarget.Component : CheckTarget.Service, target, type == "liveness" ? CheckType.Liveness : CheckType.Functional)
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
        if (effect == Models.Effect.Corruption)
        {
            Ctx.Error(map.Optional("effect")!, map.PathOf("effect"), LoaderMessages.InvalidChoice("corruption", FailureEffects, null));
            effect = null;
        }

        double? silent = Probability(map, "silent_probability", 0);
        return ttf is not null && ttr is not null && effect is not null && silent is not null
            ? new FailureProcess(ttf, ttr, effect.Value) { SilentProbability = silent.Value }
            : null;
    }

    private Effect? EffectOf(YamlNode node, string path) => Choice(node, path, Effects) switch
    {
        "outage" => Models.Effect.Outage,
        "destroyed" => Models.Effect.Destroyed,
        "corruption" => Models.Effect.Corruption,
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
        if (name is not null)
        {
            serviceMaps.TryAdd(name, map);
        }

        ImmutableArray<ActiveSite> activeSites = [];
        bool activeOk = true;
        if (map.Optional("active_active") is { } activeNode)
        {
            activeSites = List(map, "active_active", "active sites", ActiveSiteOf);
            activeOk = !activeSites.IsEmpty && activeSites.Length == ((activeNode as YamlSequenceNode)?.Children.Count ?? -1);
            if (map.Optional("standby") is { } sb)
            {
                Ctx.Error(sb, map.PathOf("standby"), LoaderMessages.StandbyWithActiveActive());
                activeOk = false;
            }
        }

        string? site = activeSites.IsEmpty || map.Optional("site") is not null
            ? Reference(map, "site", RefKind.Site, required: true)
            : activeSites[0].Site;
        var requireRefs = new List<Ref>();
        (bool requiresOk, Requirement? requires) = Requires(map, "requires", requireRefs);
        (bool servicesOk, ImmutableArray<string> requiredServices) = RequiredServices(map, name);
        (bool priorityOk, int? priority) = PriorityOf(map);
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

        ServiceCosts? costs = ServiceCostsOf(map);
        bool? move = Flag(map, "move_for_maintenance");
        Failback? failback = null;
        bool failbackOk = true;
        if (map.Optional("failback") is { } failbackNode)
        {
            failback = FailbackOf(failbackNode, map.PathOf("failback"));
            failbackOk = failback is not null;
        }

        return name is not null && site is not null && requiresOk && servicesOk && priorityOk && rtoOk && standbyOk && recovery is not null && costs is not null && move is not null && failbackOk && activeOk
            ? new Service(name, site, requires, standby, recovery, rto?.Value)
            {
                Costs = costs, MoveForMaintenance = move.Value, Failback = failback, ActiveSites = activeSites, RequiresServices = requiredServices, Priority = priority,
            }
            : null;
    }

    private ActiveSite? ActiveSiteOf(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "an active site: { site: NAME, capacity: SHARE OF LOAD, requires: [...] }", ActiveSiteKeys);
        if (map is null)
        {
            return null;
        }

        string? site = Reference(map, "site", RefKind.Site, required: true);
        Quoted? capacity = Number(map, "capacity", required: true, positive: true);
        var requireRefs = new List<Ref>();
        (bool ok, Requirement? requires) = Requires(map, "requires", requireRefs);
        if (site is not null)
        {
            placements.Add((site, requireRefs, "active site"));
        }

        return site is not null && capacity is not null && ok ? new ActiveSite(site, capacity.Value.Value, requires) : null;
    }

    private Failback? FailbackOf(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a failback: { when: immediate|next_window, window: MAINTENANCE THREAT, duration: DISTRIBUTION }", FailbackKeys);
        if (map is null)
        {
            return null;
        }

        string? when = map.Optional("when") is { } w ? Choice(w, map.PathOf("when"), FailbackTimes) : "immediate";
        string? window = null;
        if (when == "next_window")
        {
            window = Reference(map, "window", RefKind.Threat, required: true);
        }
        else if (map.Optional("window") is { } windowNode)
        {
            Ctx.Error(windowNode, map.PathOf("window"), LoaderMessages.WindowWithoutNextWindow());
            return null;
        }

        Distribution? duration = Distribution(map, "duration", required: true);
        return when is not null && duration is not null && (when != "next_window" || window is not null)
            ? new Failback(when == "next_window" ? FailbackTiming.NextWindow : FailbackTiming.Immediate, window, duration)
            : null;
    }

    private WorkCalendar? CalendarOf(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "the people's calendar: business_days, business_hours, holidays, response", CalendarKeys);
        if (map is null)
        {
            return null;
        }

        bool ok = true;
        var days = ImmutableArray.Create(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday);
        if (map.Optional("business_days") is { } daysNode)
        {
            YamlSequenceNode? list = Sequence(daysNode, map.PathOf("business_days"), "weekdays, e.g. [mon, tue, wed, thu, fri]");
            var builder = ImmutableArray.CreateBuilder<DayOfWeek>();
            for (int i = 0; list is not null && i < list.Children.Count; i++)
            {
                if (WeekdayOf(list.Children[i], ScenarioNodes.Item(map.PathOf("business_days"), i)) is { } d)
                {
                    builder.Add(d);
                }
                else
                {
                    ok = false;
                }
            }

            ok &= list is not null;
            days = builder.ToImmutable();
        }

        TimeSpan from = TimeSpan.FromHours(8);
        TimeSpan to = TimeSpan.FromHours(18);
        if (map.Optional("business_hours") is { } hoursNode)
        {
            string? text = Text(hoursNode, map.PathOf("business_hours"), "business hours as HH:MM-HH:MM, e.g. 08:00-18:00");
            string[] parts = text?.Split('-') ?? [];
            if (parts.Length != 2 || !TryTime(parts[0], out from) || !TryTime(parts[1], out to) || to <= from)
            {
                if (text is not null)
                {
                    Ctx.Error(hoursNode, map.PathOf("business_hours"), LoaderMessages.InvalidBusinessHours(text));
                }

                ok = false;
            }
        }

        var holidays = ImmutableArray.CreateBuilder<DateTime>();
        if (map.Optional("holidays") is { } holidaysNode && Sequence(holidaysNode, map.PathOf("holidays"), "dates, e.g. [2026-12-25]") is { } hl)
        {
            for (int i = 0; i < hl.Children.Count; i++)
            {
                if (Date(hl.Children[i], ScenarioNodes.Item(map.PathOf("holidays"), i)) is { } d)
                {
                    holidays.Add(d.Date);
                }
                else
                {
                    ok = false;
                }
            }
        }

        MapReader? response = map.Required("response") is { } r ? Map(r, map.PathOf("response"), "response times: { business_hours, nights, weekends }", ResponseKeys) : null;
        Distribution? business = response is null ? null : Distribution(response, "business_hours", required: true);
        Distribution? nights = response is null ? null : Distribution(response, "nights", required: true);
        Distribution? weekends = response is null ? null : Distribution(response, "weekends", required: true);
        bool? takeOver = Flag(map, "business_hours_take_over");
        return ok && business is not null && nights is not null && weekends is not null && takeOver is not null
            ? new WorkCalendar(days, from, to, holidays.ToImmutable(), business, nights, weekends) { BusinessHoursTakeOver = takeOver.Value }
            : null;
    }

    private static bool TryTime(string text, out TimeSpan time) =>
        TimeSpan.TryParseExact(text.Trim(), ["hh\\:mm", "h\\:mm"], System.Globalization.CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1);

    private DayOfWeek? WeekdayOf(YamlNode node, string path) => Choice(node, path, Weekdays) switch
    {
        "mon" => DayOfWeek.Monday,
        "tue" => DayOfWeek.Tuesday,
        "wed" => DayOfWeek.Wednesday,
        "thu" => DayOfWeek.Thursday,
        "fri" => DayOfWeek.Friday,
        "sat" => DayOfWeek.Saturday,
        "sun" => DayOfWeek.Sunday,
        _ => null,
    };

    private MaintenanceSchedule? ScheduleOf(YamlNode node, string path, ImmutableArray<int> months)
    {
        MapReader? map = Map(node, path, "a schedule: { every: day|week|month|year, month: mar, day: 15, week: 1-5, weekday: tue, at: HH:MM } or { dates: [2026-03-14 02:00, ...] }", ScheduleKeys);
        if (map is null)
        {
            return null;
        }

        if (map.Optional("dates") is { } datesNode)
        {
            return DatesSchedule(map, datesNode, months);
        }

        string? every = map.Required("every") is { } e ? Choice(e, map.PathOf("every"), Recurrences) : null;
        int? month = every == "year" ? (map.Required("month") is { } m ? MonthOf(m, map.PathOf("month")) : null) : 0;
        long? day = every == "year" && map.Optional("day") is { } dayNode ? Integer(dayNode, map.PathOf("day"), 1, 31) : 0;
        bool byWeekday = every is "week" or "month" || (every == "year" && map.Optional("day") is null);
        DayOfWeek? weekday = byWeekday
            ? (map.Required("weekday") is { } wd ? WeekdayOf(wd, map.PathOf("weekday")) : null)
            : DayOfWeek.Monday;
        long? week = every is "month" or "year" && byWeekday ? (map.Required("week") is { } wk ? Integer(wk, map.PathOf("week"), 1, 5) : null) : 1;
        bool keysOk = OnlyFor(map, "day", every == "year", "every: year")
            & OnlyFor(map, "month", every == "year", "every: year")
            & OnlyFor(map, "week", every is "month" or "year" && byWeekday, "every: month, or every: year without day")
            & OnlyFor(map, "weekday", byWeekday, "every: week, every: month, or every: year without day");
        (bool atOk, TimeSpan at) = TimeOfDay(map);
        if (month is > 0 && day is > 0 && day > DateTime.DaysInMonth(2024, month.Value))
        {
            Ctx.Error(map.Optional("day")!, map.PathOf("day"), LoaderMessages.NoSuchDay(day.Value, MonthNames[month.Value - 1]));
            day = null;
        }

        Recurrence? recurrence = every switch
        {
            "day" => Recurrence.Daily,
            "week" => Recurrence.Weekly,
            "month" => Recurrence.Monthly,
            "year" => Recurrence.Yearly,
            _ => null,
        };
        return recurrence is not null && weekday is not null && week is not null && month is not null && day is not null && atOk && keysOk
            ? new MaintenanceSchedule(recurrence.Value, weekday.Value, (int)week.Value, at) { Month = month.Value, DayOfMonth = (int)day.Value, Months = months }
            : null;
    }

    /// <summary>An explicit list of window starts: nothing else may go with it.</summary>
    private MaintenanceSchedule? DatesSchedule(MapReader map, YamlNode datesNode, ImmutableArray<int> months)
    {
        bool ok = true;
        foreach (string key in map.PresentKeys.Where(k => k != "dates"))
        {
            Ctx.Error(map.Optional(key)!, map.PathOf(key), LoaderMessages.NotWithDates(key));
            ok = false;
        }

        string path = map.PathOf("dates");
        var dates = ImmutableArray.CreateBuilder<DateTime>();
        if (Sequence(datesNode, path, "window starts, e.g. [2026-03-14 02:00, 2026-09-12 02:00]") is not { } list)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            Ctx.Error(datesNode, path, LoaderMessages.EmptyGroup("dates"));
            return null;
        }

        for (int i = 0; i < list.Children.Count; i++)
        {
            if (Date(list.Children[i], ScenarioNodes.Item(path, i)) is { } d)
            {
                dates.Add(d);
            }
        }

        return ok && dates.Count == list.Children.Count
            ? new MaintenanceSchedule(Recurrence.Dates, DayOfWeek.Monday, 1, TimeSpan.Zero) { Dates = dates.ToImmutable(), Months = months }
            : null;
    }

    private bool OnlyFor(MapReader map, string key, bool allowed, string rule)
    {
        if (allowed || map.Optional(key) is not { } node)
        {
            return true;
        }

        Ctx.Error(node, map.PathOf(key), LoaderMessages.ScheduleKeyOnlyFor(key, rule));
        return false;
    }

    private (bool Ok, TimeSpan At) TimeOfDay(MapReader map)
    {
        if (map.Optional("at") is not { } atNode)
        {
            return (true, TimeSpan.Zero);
        }

        string? text = Text(atNode, map.PathOf("at"), "a time of day, HH:MM");
        TimeSpan at = TimeSpan.Zero;
        bool ok = text is not null && TryTime(text, out at);
        if (text is not null && !ok)
        {
            Ctx.Error(atNode, map.PathOf("at"), LoaderMessages.InvalidTimeOfDay(text));
        }

        return (ok, ok ? at : TimeSpan.Zero);
    }

    /// <summary>A month as 1-12 or jan-dec.</summary>
    private int? MonthOf(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return Integer(node, path, 1, 12) is { } number ? (int)number : null;
        }

        return Choice(node, path, MonthNames) is { } name ? Array.IndexOf(MonthNames, name) + 1 : null;
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

        (bool costOk, double cost) = Money(map, "cost_per_year");
        (bool capacityOk, double capacity) = StandbyCapacity(map);
        return site is not null && ok && costOk && capacityOk ? new Standby(site, requires) { CostPerYear = cost, Capacity = capacity } : null;
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
        if (mode is not "manual" && mode is not null && after is { } a)
        {
            Ctx.Error(map.Optional("after")!, map.PathOf("after"), LoaderMessages.AfterOnAutomatic(a.Text));
            afterOk = false;
        }

        Distribution? duration = Distribution(map, "duration", required: true);
        double? success = Probability(map, "success_probability", 1);
        Distribution? noise = null;
        Quoted? margin = null;
        Quoted? reassess = null;
        bool estimateOk = true;
        if (map.Optional("estimate") is { } estimateNode)
        {
            MapReader? est = Map(estimateNode, map.PathOf("estimate"), "the estimate policy: { noise: FACTOR DISTRIBUTION, margin: DURATION, reassess: DURATION }", EstimateKeys);
            noise = est?.Optional("noise") is { } n ? FactorDistribution(n, est.PathOf("noise")) : null;
            margin = est is null ? null : Duration(est, "margin", required: false, positive: false);
            reassess = est is null ? null : Duration(est, "reassess", required: false, positive: true);
            estimateOk = est is not null && (est.Optional("noise") is null || noise is not null)
                && (est.Optional("margin") is null || margin is not null) && (est.Optional("reassess") is null || reassess is not null);
            if (mode is not "estimate" && mode is not null)
            {
                Ctx.Error(estimateNode, map.PathOf("estimate"), LoaderMessages.EstimateWithoutEstimateMode(mode));
                estimateOk = false;
            }
        }

        FailoverMode failoverMode = mode switch
        {
            "manual" => FailoverMode.Manual,
            "estimate" => FailoverMode.Estimate,
            "never" => FailoverMode.Never,
            _ => FailoverMode.Automatic,
        };
        return mode is not null && afterOk && duration is not null && success is not null && estimateOk
            ? new Failover(failoverMode, after?.Value ?? 0, duration)
            {
                SuccessProbability = success.Value,
                EstimateNoise = noise,
                MarginHours = margin?.Value ?? 0,
                ReassessHours = reassess?.Value ?? 1,
            }
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
        Quoted? change = ChangeRate(map, size);
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

        DataSetCosts? costs = DataSetCostsOf(map);
        (bool profileOk, ChangeProfile? profile) = ChangeProfileOf(map);
        return name is not null && service is not null && storage is not null && size is not null && change is not null && rpoOk && backupsOk && replicationsOk && costs is not null && profileOk
            ? new DataSet(name, service, storage, size.Value.Value, change.Value.Value, rpo?.Value, backups, replications) { Costs = costs, ChangeProfile = profile }
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

        Quoted? interval = AtLeastOneSecond(map, "interval", Duration(map, "interval", required: true, positive: true));
        Quoted? offset = Duration(map, "offset", required: false, positive: false);
        Quoted? duration = Duration(map, "duration", required: false, positive: false);
        (bool retentionOk, double? retentionHours, RetentionTiers tiers, Quoted? retention) = RetentionOf(map);
        bool optionalOk = (map.Optional("offset") is null || offset is not null)
            && (map.Optional("duration") is null || duration is not null)
            && retentionOk;

        if (interval is { } i && offset is { } o && o.Value >= i.Value)
        {
            Ctx.Error(map.Optional("offset")!, map.PathOf("offset"), LoaderMessages.OffsetNotBelowInterval(o.Text, i.Text));
            optionalOk = false;
        }

        if (interval is { } iv && retention is { } r && !tiers.Any && r.Value < iv.Value)
        {
            Ctx.Warning(map.Optional("retention")!, map.PathOf("retention"), LoaderMessages.RetentionBelowInterval(r.Text, iv.Text));
        }

        Location? destination = map.Required("destination") is { } d ? Location(d, map.PathOf("destination"), "a backup destination", offsiteAllowed: true) : null;
        if (destination is { Kind: LocationKind.Component } dc && dc.Name == storage && map.Optional("vault") is null)
        {
            Ctx.Warning(map.Optional("destination")!, map.PathOf("destination"), LoaderMessages.BackupOnOwnStorage(storage));
        }

        RestoreSpec? restore = map.Required("restore") is { } restoreNode ? Restore(restoreNode, map.PathOf("restore")) : null;
        BackupFaults? faults = Faults(map);
        (bool costOk, double cost) = Money(map, "cost_per_year");
        (bool vaultOk, Vault? vault) = VaultOf(map);
        (bool runsAtOk, BackupRunsAt runsAt) = RunsAtOf(map);
        return name is not null && interval is not null && optionalOk && destination is not null && restore is not null && faults is not null && costOk && vaultOk && runsAtOk
            ? faults.Apply(restore.Apply(new Backup(name, interval.Value.Value, offset?.Value ?? 0, duration?.Value ?? 0, destination, restore.Throughput, restore.Setup, retentionHours)
            {
                CostPerYear = cost,
                RetentionTiers = tiers,
                Vault = vault,
                RunsAt = runsAt,
            }))
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

        (bool costOk, double cost) = Money(map, "cost_per_year");
        (bool linkOk, ReplicationLink? link) = Link(map, mode);
        return mode is not null && target is not null && lagOk && costOk && linkOk
            ? new Replication(mode == "sync" ? ReplicationMode.Sync : ReplicationMode.Async, target, lag) { CostPerYear = cost, Link = link }
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
        MaintenanceSchedule? schedule = null;
        bool scheduleOk = true;
        Quoted? rate = new Quoted(0, "0");
        ImmutableArray<int> months = ActiveMonths(map);
        if (map.Optional("schedule") is { } scheduleNode)
        {
            // Windows fall only in the active months, as a seasonal threat's arrivals do.
            schedule = ScheduleOf(scheduleNode, map.PathOf("schedule"), months);
            scheduleOk = schedule is not null;
            if (map.Optional("rate_per_year") is { } rateNode)
            {
                Ctx.Error(rateNode, map.PathOf("rate_per_year"), LoaderMessages.RateWithSchedule());
                scheduleOk = false;
            }
        }
        else
        {
            rate = Number(map, "rate_per_year", required: true, positive: false);
        }

        Scope? scope = map.Required("scope") is { } s ? Scope(s, map.PathOf("scope")) : null;
        Effect? effect = map.Required("effect") is { } e ? EffectOf(e, map.PathOf("effect")) : null;
        Distribution? duration = null;
        Distribution? rebuild = null;
        bool distOk = effect is not null;
        Distribution? dwell = null;
        Distribution? cleanup = null;
        if (effect is { } eff)
        {
            (string wanted, string[] forbidden) = eff switch
            {
                Models.Effect.Outage => ("duration", new[] { "rebuild", "dwell", "cleanup" }),
                Models.Effect.Destroyed => ("rebuild", new[] { "duration", "dwell", "cleanup" }),
                _ => ("cleanup", new[] { "duration", "rebuild" }),
            };
            string effectName = eff.ToString().ToLowerInvariant();
            foreach (string key in forbidden)
            {
                if (map.Optional(key) is { } f)
                {
                    Ctx.Error(f, map.PathOf(key), LoaderMessages.FieldForbiddenForEffect(key, effectName, wanted));
                    distOk = false;
                }
            }

            if (eff == Models.Effect.Corruption)
            {
                if (map.Optional("dwell") is null)
                {
                    Ctx.Error(map.Node, map.Path, LoaderMessages.FieldRequiredForEffect("dwell", effectName));
                    distOk = false;
                }
                else
                {
                    dwell = Distribution(map, "dwell", required: true);
                    distOk &= dwell is not null;
                }
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
                else if (eff == Models.Effect.Destroyed)
                {
                    rebuild = dist;
                }
                else
                {
                    cleanup = dist;
                }
            }
        }

        bool? silent = Flag(map, "silent");
        bool? untilDetected = Flag(map, "ends_after_detection");
        string? affects = map.Optional("affects") is null ? null : Text(map, "affects", required: false, "a component kind, e.g. power");
        double? hit = Probability(map, "site_hit_probability", 1);
        bool extrasOk = silent is not null && untilDetected is not null && hit is not null && (map.Optional("affects") is null || affects is not null)
            && (map.Optional("active_months") is null || !months.IsEmpty);
        double floodProbability = 0;
        Distribution? floodRebuild = null;
        if (map.Optional("flood") is { } floodNode)
        {
            MapReader? flood = Map(floodNode, map.PathOf("flood"), "a flood: { probability: 0..1, rebuild: DISTRIBUTION }", FloodKeys);
            double? p = flood is null ? null : Probability(flood, "probability", 0);
            floodRebuild = flood is null ? null : Distribution(flood, "rebuild", required: true);
            extrasOk &= p is not null && floodRebuild is not null;
            floodProbability = p ?? 0;
        }

        if ((map.Optional("site_hit_probability") is { } hitNode && scope is not null && scope.Kind != ScopeKind.Region))
        {
            Ctx.Error(hitNode, map.PathOf("site_hit_probability"), LoaderMessages.OnlyForRegionScope("site_hit_probability"));
            extrasOk = false;
        }

        (bool causesOk, Aftermath? aftermath) = ThreatCauses(map, scope, effect);
        extrasOk &= causesOk;

        return name is not null && kind is not null && rate is not null && scope is not null && effect is not null && distOk && extrasOk
            && scheduleOk && (schedule is null || effect == Models.Effect.Outage || Fail(map.Optional("effect")!, map.PathOf("effect"), LoaderMessages.ScheduleNeedsOutage()))
            ? new Threat(name, kind, rate.Value.Value, scope, effect.Value, duration, rebuild)
            {
                Schedule = schedule,
                Silent = silent!.Value,
                EndsAfterDetection = untilDetected!.Value,
                Affects = affects,
                SiteHitProbability = hit!.Value,
                ActiveMonths = months,
                FloodProbability = floodProbability,
                FloodRebuild = floodRebuild,
                Dwell = dwell,
                Cleanup = cleanup,
                Aftermath = aftermath,
            }
            : null;
    }

    private bool Fail(YamlNode node, string path, string message)
    {
        Ctx.Error(node, path, message);
        return false;
    }

    private ImmutableArray<int> ActiveMonths(MapReader map)
    {
        if (map.Optional("active_months") is not { } node)
        {
            return [];
        }

        string path = map.PathOf("active_months");
        YamlSequenceNode? list = Sequence(node, path, "months 1 to 12, e.g. [6, 7, 8, 9, 10, 11]");
        if (list is null || list.Children.Count == 0)
        {
            if (list is not null)
            {
                Ctx.Error(node, path, LoaderMessages.EmptyGroup("active_months"));
            }

            return [];
        }

        var months = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (Integer(list.Children[i], ScenarioNodes.Item(path, i), 1, 12) is { } m)
            {
                months.Add((int)m);
            }
        }

        return months.Count == list.Children.Count ? months.ToImmutable() : [];
    }

    private Scope? Scope(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a scope: { component: NAME }, { site: NAME }, { region: NAME } or { components: [NAMES] }", ScopeKeys);
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

        if (present[0] == "components")
        {
            return GroupScope(map);
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

    /// <summary>Reads an optional amount of money (a finite number ≥ 0); 0 when absent, ok false when broken.</summary>
    private (bool Ok, double Value) Money(MapReader map, string key)
    {
        if (map.Optional(key) is null)
        {
            return (true, 0);
        }

        Quoted? amount = Number(map, key, required: false, positive: false);
        return (amount is not null, amount?.Value ?? 0);
    }

    private ServiceCosts? ServiceCostsOf(MapReader parent)
    {
        if (parent.Optional("costs") is not { } node)
        {
            return ServiceCosts.None;
        }

        MapReader? map = Map(node, parent.PathOf("costs"), "a service's costs: { outage_per_hour: NUMBER, per_incident: NUMBER }", ServiceCostKeys);
        if (map is null)
        {
            return null;
        }

        (bool hourOk, double perHour) = Money(map, "outage_per_hour");
        (bool incidentOk, double perIncident) = Money(map, "per_incident");
        return hourOk && incidentOk ? new ServiceCosts(perHour, perIncident) : null;
    }

    private DataSetCosts? DataSetCostsOf(MapReader parent)
    {
        if (parent.Optional("costs") is not { } node)
        {
            return DataSetCosts.None;
        }

        MapReader? map = Map(node, parent.PathOf("costs"), "a data set's costs: { loss_per_hour: NUMBER, loss_per_gb: NUMBER }", DataCostKeys);
        if (map is null)
        {
            return null;
        }

        (bool hourOk, double perHour) = Money(map, "loss_per_hour");
        (bool gbOk, double perGb) = Money(map, "loss_per_gb");
        return hourOk && gbOk ? new DataSetCosts(perHour, perGb) : null;
    }

    private OtherCost? OtherCostOf(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a yearly cost: { name: TEXT, per_year: NUMBER }", OtherCostKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Text(map, "name", required: true, "what the cost is for");
        Quoted? perYear = Number(map, "per_year", required: true, positive: false);
        return name is not null && perYear is not null ? new OtherCost(name, perYear.Value.Value) : null;
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

        ReportCycles(edges, where, LoaderMessages.Cycle);
    }

    /// <summary>Reports each cycle of a requirement graph once, at the requirements of the node it closes on.</summary>
    private void ReportCycles(Dictionary<string, List<string>> edges, Dictionary<string, (YamlNode Node, string Path)> where, Func<IEnumerable<string>, string> message)
    {
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
                        Ctx.Error(node, at, message(cycle));
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
