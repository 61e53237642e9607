using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>Data sets and their protection: backup policies, destinations and replicas.</summary>
internal sealed partial class ScenarioReader
{
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
}
