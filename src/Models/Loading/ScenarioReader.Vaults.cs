using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// The parts of a backup policy beyond its jobs: how long copies are kept (a duration, or grandfather-father-son tiers),
/// the offsite vault a courier fills on a schedule, and where the jobs read the live data (at the primary, at the standby,
/// or both).
/// </summary>
internal sealed partial class ScenarioReader
{
    internal static readonly string[] RetentionKeys = ["all", "daily", "weekly", "monthly", "yearly"];
    internal static readonly string[] VaultKeys = ["pickup", "transit", "retrieval", "retention", "cost_per_year"];
    internal static readonly string[] RunsAtChoices = ["primary", "standby", "both"];

    /// <summary>
    /// Reads <c>retention</c>: a duration (every copy kept that long), or tiers <c>{ all, daily, weekly, monthly, yearly }</c>.
    /// </summary>
    /// <returns>Whether it read; every copy's retention (null: keep all, and 0 for tiers without <c>all</c>); the tiers; the duration as written.</returns>
    private (bool Ok, double? Hours, RetentionTiers Tiers, Quoted? Text) RetentionOf(MapReader map)
    {
        if (map.Optional("retention") is not { } node)
        {
            return (true, null, default, null);
        }

        string path = map.PathOf("retention");
        if (node is not YamlMappingNode)
        {
            Quoted? duration = Duration(node, path, positive: false);
            return (duration is not null, duration?.Value, default, duration);
        }

        MapReader? tiers = Map(node, path, "retention tiers: { all: DURATION, daily: N, weekly: N, monthly: N, yearly: N }", RetentionKeys);
        if (tiers is null)
        {
            return (false, null, default, null);
        }

        if (!tiers.PresentKeys.Any())
        {
            Ctx.Error(node, path, LoaderMessages.EmptyRetention());
            return (false, null, default, null);
        }

        Quoted? all = Duration(tiers, "all", required: false, positive: false);
        long? Count(string key) => tiers.Optional(key) is { } n ? Integer(n, tiers.PathOf(key), 0, RetentionTiers.MaxCount) : 0;
        long? daily = Count("daily");
        long? weekly = Count("weekly");
        long? monthly = Count("monthly");
        long? yearly = Count("yearly");
        bool ok = (tiers.Optional("all") is null || all is not null) && daily is not null && weekly is not null && monthly is not null && yearly is not null;
        return ok
            ? (true, all?.Value ?? 0, new RetentionTiers((int)daily!.Value, (int)weekly!.Value, (int)monthly!.Value, (int)yearly!.Value), all)
            : (false, null, default, null);
    }

    /// <summary>Reads a backup's <c>vault</c>: the courier's schedule, the transit, the retrieval lead time, and the vault's retention.</summary>
    private (bool Ok, Vault? Vault) VaultOf(MapReader backup)
    {
        if (backup.Optional("vault") is not { } node)
        {
            return (true, null);
        }

        MapReader? map = Map(node, backup.PathOf("vault"), "a vault: { pickup: SCHEDULE, transit: DURATION, retrieval: DISTRIBUTION, retention: ..., cost_per_year: NUMBER }", VaultKeys);
        if (map is null)
        {
            return (false, null);
        }

        MaintenanceSchedule? pickup = map.Required("pickup") is { } p ? ScheduleOf(p, map.PathOf("pickup"), []) : null;
        Quoted? transit = Duration(map, "transit", required: false, positive: false);
        Distribution? retrieval = Distribution(map, "retrieval", required: true);
        (bool retentionOk, double? retention, RetentionTiers tiers, Quoted? retentionText) = RetentionOf(map);
        (bool costOk, double cost) = Money(map, "cost_per_year");
        if (pickup is { Recurrence: not Recurrence.Dates } && retentionText is { } r && tiers == default && r.Value < PickupGapHours(pickup.Recurrence))
        {
            Ctx.Warning(map.Optional("retention")!, map.PathOf("retention"), LoaderMessages.VaultRetentionBelowPickups(r.Text, Hours(PickupGapHours(pickup.Recurrence))));
        }

        bool ok = pickup is not null && (map.Optional("transit") is null || transit is not null) && retrieval is not null && retentionOk && costOk;
        return ok
            ? (true, new Vault(pickup!, transit?.Value ?? 0, retrieval!) { RetentionHours = retention, RetentionTiers = tiers, CostPerYear = cost })
            : (false, null);
    }

    /// <summary>Reads a backup's <c>runs_at</c>: primary (default), standby or both.</summary>
    private (bool Ok, BackupRunsAt RunsAt) RunsAtOf(MapReader backup)
    {
        if (backup.Optional("runs_at") is not { } node)
        {
            return (true, BackupRunsAt.Primary);
        }

        return Choice(node, backup.PathOf("runs_at"), RunsAtChoices) switch
        {
            "primary" => (true, BackupRunsAt.Primary),
            "standby" => (true, BackupRunsAt.Standby),
            "both" => (true, BackupRunsAt.Both),
            _ => (false, BackupRunsAt.Primary),
        };
    }

    /// <summary>
    /// Jobs that run at the standby need a service with one; a courier's or a maintenance window's schedule must not run
    /// past the calendar's end (year 9999) within the horizon.
    /// </summary>
    private void CheckBackupPlaces(SimulationSettings simulation, ImmutableArray<Service> services, ImmutableArray<DataSet> data, ImmutableArray<Threat> threats)
    {
        foreach (Threat t in threats)
        {
            if (t.Schedule is not null && !CalendarHolds(simulation) && threatMaps[t.Name].Optional("schedule") is { } schedule)
            {
                Ctx.Error(schedule, threatMaps[t.Name].PathOf("schedule"), LoaderMessages.CalendarEnds(Hours(simulation.HorizonHours), simulation.Start));
            }
        }

        foreach (DataSet d in data)
        {
            MapReader map = dataMaps[d.Name];
            if (map.Optional("backups") is not YamlSequenceNode nodes)
            {
                continue;
            }

            Service service = services.First(s => s.Name == d.Service);
            for (int i = 0; i < d.Backups.Length && i < nodes.Children.Count; i++)
            {
                Backup b = d.Backups[i];
                string path = ScenarioNodes.Item(map.PathOf("backups"), i);
                if (b.RunsAt != BackupRunsAt.Primary && service.Standby is null && Child(nodes.Children[i], "runs_at") is { } runsAt)
                {
                    Ctx.Error(runsAt, path + ".runs_at", LoaderMessages.RunsAtWithoutStandby(RunsAtChoices[(int)b.RunsAt], service.Name));
                }

                if (b.Vault is not null && !CalendarHolds(simulation) && Child(nodes.Children[i], "vault") is { } vault)
                {
                    Ctx.Error(vault, path + ".vault.pickup", LoaderMessages.CalendarEnds(Hours(simulation.HorizonHours), simulation.Start));
                }
            }
        }
    }

    /// <summary>Whether the calendar (which ends with 9999) holds the whole horizon.</summary>
    private static bool CalendarHolds(SimulationSettings simulation) =>
        simulation.HorizonHours < (DateTime.MaxValue.AddDays(-2) - simulation.Start).TotalHours;

    private static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;

    /// <summary>The usual time between two pickups of a recurring schedule, hours.</summary>
    private static double PickupGapHours(Recurrence recurrence) => recurrence switch
    {
        Recurrence.Daily => 24,
        Recurrence.Weekly => 168,
        Recurrence.Monthly => SimulationSettings.HoursPerYear / 12,
        Recurrence.Yearly => SimulationSettings.HoursPerYear,
        Recurrence.Dates => 0,
    };
}
