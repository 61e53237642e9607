using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// The checks a DR planner would make once every reference resolves: a trial that could never finish, and protection
/// that cannot deliver what the scenario asks of it (targets out of reach, failovers without data, copies that share
/// the fate of what they protect). Only the event budget is an error; the rest are warnings.
/// </summary>
internal sealed partial class ScenarioReader
{
    private readonly Dictionary<string, MapReader> componentMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapReader> serviceMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapReader> dataMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapReader> threatMaps = new(StringComparer.Ordinal);

    /// <summary>Rejects scenarios whose trials would start more events than <see cref="ReadContext.MaxEventsPerTrial"/> on average.</summary>
    private void CheckEventBudget(SimulationSettings simulation, ImmutableArray<Component> components, ImmutableArray<Threat> threats)
    {
        double horizon = simulation.HorizonHours;
        var sources = new List<(double Events, string What, YamlNode Node, string Path)>();
        foreach (Threat t in threats)
        {
            MapReader map = threatMaps[t.Name];
            sources.Add((t.RatePerYear * horizon / SimulationSettings.HoursPerYear, $"threat '{t.Name}' (rate_per_year {map.Describe("rate_per_year")})", map.Optional("rate_per_year")!, map.PathOf("rate_per_year")));
        }

        foreach (Component c in components)
        {
            if (c.Failure is { } f)
            {
                MapReader map = componentMaps[c.Name];
                double cycle = f.TimeToFailure.Mean + f.TimeToRepair.Mean;
                double events = cycle > 0 ? horizon / cycle : double.PositiveInfinity;
                sources.Add((events, $"the failures of component '{c.Name}' (mean time to failure plus repair {Hours(cycle)})", map.Optional("failure")!, map.PathOf("failure")));
            }
        }

        double total = sources.Sum(s => s.Events);
        if (sources.Count == 0 || !(total > ReadContext.MaxEventsPerTrial) && double.IsFinite(total))
        {
            return;
        }

        var worst = sources.MaxBy(s => s.Events);
        Ctx.Error(worst.Node, worst.Path, LoaderMessages.TooManyEvents(total, ReadContext.MaxEventsPerTrial, Hours(horizon), worst.What));
    }

    private void CheckPlanning(
        ImmutableArray<Site> sites,
        ImmutableArray<Component> components,
        ImmutableArray<Service> services,
        ImmutableArray<DataSet> data,
        ImmutableArray<Threat> threats,
        ImmutableArray<Monitor> monitors)
    {
        var regionOf = sites.ToDictionary(s => s.Name, s => s.Region, StringComparer.Ordinal);
        var siteOf = components.ToDictionary(c => c.Name, c => c.Site, StringComparer.Ordinal);

        foreach (Threat t in threats)
        {
            Distribution? length = t.Duration ?? t.Rebuild;
            double share = length is null ? 0 : t.RatePerYear * length.Mean / SimulationSettings.HoursPerYear;
            if (share > 0.5)
            {
                MapReader map = threatMaps[t.Name];
                Ctx.Warning(map.Optional("rate_per_year")!, map.PathOf("rate_per_year"), LoaderMessages.ThreatAlwaysActive(t.Name, share));
            }
        }

        foreach (Service s in services)
        {
            MapReader map = serviceMaps[s.Name];
            if (s.RtoHours is double rto)
            {
                // A monitor that checks the service, or something it needs, can find the outage sooner than people do.
                double detection = monitors
                    .Where(m => m.Checks.Any(c => c.Target == CheckTarget.Service ? c.Name == s.Name : c.Type == CheckType.Functional))
                    .Select(m => m.Delay.Mean)
                    .Append(s.Recovery.Detection.Mean)
                    .Min();
                Failover? f = s.Recovery.Failover;
                double fastest = detection + (f is null ? 0 : f.AfterHours + f.Duration.Mean);
                if (rto < fastest)
                {
                    Ctx.Warning(map.Optional("rto")!, map.PathOf("rto"), f is null
                        ? LoaderMessages.RtoBelowDetection(map.Describe("rto"), Hours(detection))
                        : LoaderMessages.RtoBelowFailover(map.Describe("rto"), Hours(detection), Hours(f.AfterHours), Hours(f.Duration.Mean), Hours(fastest)));
                }
            }

            if (s.Standby is { } standby && regionOf.TryGetValue(s.Site, out string? region) && regionOf.GetValueOrDefault(standby.Site) == region
                && threats.FirstOrDefault(t => t.Scope.Kind == ScopeKind.Region && t.Scope.Name == region) is { } regional
                && map.Optional("standby") is YamlMappingNode standbyNode)
            {
                Ctx.Warning(standbyNode, map.PathOf("standby") + ".site", LoaderMessages.StandbySameRegion(standby.Site, region, regional.Name));
            }
        }

        foreach (DataSet d in data)
        {
            CheckDataSet(d, dataMaps[d.Name], services.First(s => s.Name == d.Service), siteOf, regionOf, threats);
        }

        CheckBandwidth(sites, components, data);
    }

    private void CheckDataSet(DataSet d, MapReader map, Service service, Dictionary<string, string> siteOf, Dictionary<string, string> regionOf, ImmutableArray<Threat> threats)
    {
        string storageSite = siteOf[d.Storage];
        string SiteOfLocation(Location l) => l.Kind == LocationKind.Site ? l.Name : l.Kind == LocationKind.Component ? siteOf[l.Name] : "";

        if (d.Backups.Length == 0 && d.Replications.Length == 0)
        {
            Ctx.Warning(map.Optional("name")!, map.PathOf("name"), LoaderMessages.Unprotected(d.Name, d.Storage));
        }

        double best = double.PositiveInfinity;
        foreach (Replication r in d.Replications)
        {
            best = Math.Min(best, r.Mode == ReplicationMode.Sync ? 0 : r.Lag!.Mean);
        }

        foreach (Backup b in d.Backups)
        {
            // At a random moment the newest copy is on average half an interval plus one job old.
            best = Math.Min(best, (b.IntervalHours / 2) + b.DurationHours);
        }

        if (d.RpoHours is double rpo && rpo < best && double.IsFinite(best))
        {
            Ctx.Warning(map.Optional("rpo")!, map.PathOf("rpo"), LoaderMessages.RpoOutOfReach(map.Describe("rpo"), Hours(best)));
        }

        var backupNodes = map.Optional("backups") as YamlSequenceNode;
        for (int i = 0; i < d.Backups.Length && backupNodes is not null && i < backupNodes.Children.Count; i++)
        {
            Backup b = d.Backups[i];
            string path = ScenarioNodes.Item(map.PathOf("backups"), i);
            if (b.DurationHours > b.IntervalHours)
            {
                Ctx.Warning(backupNodes.Children[i], path + ".duration", LoaderMessages.BackupLongerThanInterval(b.Name, Hours(b.DurationHours), Hours(b.IntervalHours)));
            }

            string destinationSite = SiteOfLocation(b.Destination);
            if (destinationSite == storageSite && b.Vault is null && !(b.Destination.Kind == LocationKind.Component && b.Destination.Name == d.Storage)
                && threats.FirstOrDefault(t => t.Effect == Effect.Destroyed && Hits(t.Scope, storageSite)) is { } disaster)
            {
                Ctx.Warning(backupNodes.Children[i], path + ".destination", LoaderMessages.BackupAtSameSite(b.Name, storageSite, disaster.Name));
            }
        }

        var replicaNodes = map.Optional("replication") as YamlSequenceNode;
        double shortestInterval = d.Backups.IsEmpty ? double.PositiveInfinity : d.Backups.Min(b => b.IntervalHours);
        for (int i = 0; i < d.Replications.Length && replicaNodes is not null && i < replicaNodes.Children.Count; i++)
        {
            Replication r = d.Replications[i];
            string path = ScenarioNodes.Item(map.PathOf("replication"), i);
            if (r.Target.Kind == LocationKind.Component && r.Target.Name == d.Storage)
            {
                Ctx.Warning(replicaNodes.Children[i], path + ".to", LoaderMessages.ReplicaOnOwnStorage(d.Storage));
            }

            if (r.Lag is { } lag && lag.Mean > shortestInterval)
            {
                Ctx.Warning(replicaNodes.Children[i], path + ".lag", LoaderMessages.LagAboveBackupInterval(Hours(lag.Mean), Hours(shortestInterval)));
            }
        }

        if (service.Standby is { } standby && service.Recovery.Failover is not null
            && !d.Replications.Any(r => SiteOfLocation(r.Target) == standby.Site))
        {
            // A copy kept at the primary site reaches the standby only from a vault, after its retrieval.
            double RescueHours(Backup b) => b.RestoreSetupHours + (d.SizeGb / b.RestoreThroughputGbPerHour)
                + (SiteOfLocation(b.Destination) == service.Site ? b.Vault!.Retrieval.Mean : 0);
            Backup? rescue = d.Backups.Where(b => SiteOfLocation(b.Destination) != service.Site || b.Vault is not null).MinBy(RescueHours);
            Ctx.Warning(map.Optional("name")!, map.PathOf("name"), rescue is null
                ? LoaderMessages.FailoverWithoutData(d.Name, service.Name, standby.Site, service.Site)
                : LoaderMessages.FailoverFromBackup(d.Name, service.Name, standby.Site, rescue.Name, Hours(RescueHours(rescue))));
        }

        CheckBackupFaults(d, map, siteOf, Hits, threats);
        CheckRetentionAgainstDwell(d, map, threats, scope => scope.Kind == ScopeKind.Component ? scope.Name == d.Storage : Hits(scope, storageSite));

        bool Hits(Scope scope, string site) => scope.Kind switch
        {
            ScopeKind.Site => scope.Name == site,
            ScopeKind.Region => regionOf.GetValueOrDefault(site) == scope.Name,
            _ => false,
        };
    }

    /// <summary>
    /// Corrupt data is restored only from a copy taken before the infection, and copies are kept only as long as the
    /// incident's start allows: when every copy of a data set expires sooner than a ransomware threat's mean dwell, most
    /// long-hidden infections leave nothing clean.
    /// </summary>
    private void CheckRetentionAgainstDwell(DataSet d, MapReader map, ImmutableArray<Threat> threats, Func<Scope, bool> reachesStorage)
    {
        if (d.Backups.IsEmpty || map.Optional("backups") is not YamlSequenceNode backupNodes || backupNodes.Children.Count < d.Backups.Length)
        {
            return;
        }

        static double Kept(double? hours, RetentionTiers tiers) => hours is double h ? Math.Max(h, tiers.SpanHours) : double.PositiveInfinity;
        // A policy that runs only at the standby does not hold the primary's past.
        double KeptLongest(Backup b) => b.RunsAt == BackupRunsAt.Standby ? 0 : Math.Max(Kept(b.RetentionHours, b.RetentionTiers), b.Vault is { } v ? Kept(v.RetentionHours, v.RetentionTiers) : 0);
        int longest = Enumerable.Range(0, d.Backups.Length).MaxBy(i => KeptLongest(d.Backups[i]));
        double kept = KeptLongest(d.Backups[longest]);
        if (threats.FirstOrDefault(t => t.Effect == Effect.Corruption && t.Dwell is { } dwell && kept < dwell.Mean && reachesStorage(t.Scope)) is { } threat)
        {
            YamlNode node = backupNodes.Children[longest];
            string path = ScenarioNodes.Item(map.PathOf("backups"), longest);
            if (node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode("retention"), out YamlNode? retention))
            {
                (node, path) = (retention, path + ".retention");
            }

            Ctx.Warning(node, path, LoaderMessages.RetentionBelowDwell(d.Name, Hours(kept), d.Backups[longest].Name, threat.Name, Hours(threat.Dwell!.Mean)));
        }
    }

    /// <summary>Hours in a short human unit for messages: 45m, 2.5h, 3.2d.</summary>
    private static string Hours(double hours) => !double.IsFinite(hours) ? "forever"
        : hours < 1 ? FormattableString.Invariant($"{hours * 60:0.#}m")
        : hours < 48 ? FormattableString.Invariant($"{hours:0.#}h")
        : hours < SimulationSettings.HoursPerYear ? FormattableString.Invariant($"{hours / 24:0.#}d")
        : FormattableString.Invariant($"{hours / SimulationSettings.HoursPerYear:0.#}y");
}
