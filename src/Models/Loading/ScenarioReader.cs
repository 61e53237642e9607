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

}
