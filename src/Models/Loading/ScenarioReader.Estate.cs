using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>The estate: regions, sites, components with their failure processes and backup power, and monitors.</summary>
internal sealed partial class ScenarioReader
{
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
}
