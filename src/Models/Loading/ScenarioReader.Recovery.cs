using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>Services and how they recover: active sites, standby, detection and failover policy, failback.</summary>
internal sealed partial class ScenarioReader
{
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
}
