using System.Collections.Immutable;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Compiles the data sets: their copies (storage, replicas, the standby working copy), backup policies with their
/// destinations, restore pools and faults, and the numbering of the places that hold data.
/// </summary>
public sealed partial class SimulationModel
{
    private static CompiledDataSet CompileDataSet(
        DataSet d, Scenario scenario, Dictionary<string, int> services, Dictionary<string, int> components, Dictionary<string, int> sites, DataLocations locations, PoolNumbers pools)
    {
        var backups = d.Backups.Select(b => CompiledVaults.Complete(
            CompileBackup(d, b, locations.Of(b.Destination), pools.Of(b.Destination)),
            b,
            d,
            scenario.Simulation)).ToImmutableArray();
        var replicas = d.Replications.Select(r => new CompiledReplica(
            r.Mode, locations.Of(r.Target), r.Lag is null ? Sampler.From(Distribution.Fixed(0)) : Sampler.From(r.Lag))
        {
            LinkBandwidthGbPerHour = r.Link?.BandwidthGbPerHour ?? 0,
            LinkVia = r.Link?.Via is { } via ? components[via] : -1,
        }).ToImmutableArray();

        var service = scenario.Services[services[d.Service]];
        int storage = components[d.Storage];
        int storageSite = sites[scenario.Components[storage].Site];
        int standbySite = service.Standby is null ? -1 : sites[service.Standby.Site];
        bool activeActive = !service.ActiveSites.IsEmpty;
        int SiteOf(CompiledLocation l) => l.Kind switch
        {
            LocationKind.Offsite => -1,
            LocationKind.Site => l.Index,
            LocationKind.Component => sites[scenario.Components[l.Index].Site],
        };

        var copies = ImmutableArray.CreateBuilder<CompiledCopy>();
        copies.Add(new CompiledCopy(CopyRole.Storage, locations.Of(new Location(LocationKind.Component, d.Storage)), -1, LiveMember: true, AtStandby: false));
        int standbyReplica = -1;
        bool severalStandbyReplicas = false;
        for (int r = 0; r < replicas.Length; r++)
        {
            var target = replicas[r].Target;
            int site = SiteOf(target);

            // A synchronous mirror at the storage's own site holds the live data with it; so does any synchronous copy of an
            // active-active service, whose sites all write to it.
            bool live = replicas[r].Mode == ReplicationMode.Sync && (activeActive || site == storageSite);
            bool atStandby = site >= 0 && site == standbySite;
            if (atStandby && standbyReplica < 0)
            {
                standbyReplica = copies.Count;
            }
            else if (atStandby)
            {
                severalStandbyReplicas = true;
            }

            copies.Add(new CompiledCopy(CopyRole.Replica, target, r, live, atStandby));
        }

        int workingCopy = -1;
        if (standbySite >= 0)
        {
            workingCopy = copies.Count;
            copies.Add(new CompiledCopy(CopyRole.StandbyWorkingCopy, locations.Of(new Location(LocationKind.Site, service.Standby!.Site)), -1, LiveMember: false, AtStandby: true));
        }

        return new CompiledDataSet(
            d.Name, services[d.Service], storage, d.SizeGb, d.ChangeRateGbPerHour, d.RpoHours,
            backups, replicas, RandomStreams.SourceKey($"data:{d.Name}:lag"))
        {
            Copies = copies.ToImmutable(),
            StandbyReplica = standbyReplica,
            SeveralStandbyReplicas = severalStandbyReplicas,
            StandbyWorkingCopy = workingCopy,
            ChangeVolume = d.ChangeProfile is null ? null : new ChangeVolume(d.ChangeProfile, scenario.Calendar, scenario.Simulation.Start),
            BackedUpAtStandby = d.Backups.Any(b => b.RunsAt == BackupRunsAt.Standby),
            BackedUpAnywhere = d.Backups.Any(b => b.RunsAt == BackupRunsAt.Both),
            ExplainsCopies = d.Backups.Any(b => b.RetentionTiers.Any || b.Vault is not null || b.RunsAt != BackupRunsAt.Primary),
        };
    }

    /// <summary>A backup policy, with the faults it models (<see cref="BackupFaults"/>) and how its restores vary (<see cref="RestoreAttempts"/>).</summary>
    private static CompiledBackup CompileBackup(DataSet d, Backup b, CompiledLocation destination, int pool)
    {
        string key = $"data:{d.Name}:backup:{b.Name}";
        var exposure = b.Exposure ?? BackupExposure.Immutable;
        double breakMean = b.ChainBreaks is { RatePerYear: > 0 } breaks ? SimulationSettings.HoursPerYear / breaks.RatePerYear : double.PositiveInfinity;
        return new CompiledBackup(
            b.Name, b.IntervalHours, b.OffsetHours, b.DurationHours, destination,
            b.RestoreSetupHours + (d.SizeGb / b.RestoreThroughputGbPerHour),
            b.RetentionHours ?? double.PositiveInfinity)
        {
            Pool = pool,
            RestoreSetupHours = b.RestoreSetupHours,
            RestoreThroughputGbPerHour = b.RestoreThroughputGbPerHour,
            RestoreVaries = b.RestoreSetup is { Kind: not DistributionKind.Fixed } || b.RestoreThroughput is { Kind: not DistributionKind.Fixed },
            RestoreSetup = Sampler.From(b.RestoreSetup ?? Distribution.Fixed(b.RestoreSetupHours)),
            RestoreThroughput = b.RestoreThroughput is { } throughput ? Sampler.From(throughput)
                : double.IsFinite(b.RestoreThroughputGbPerHour) ? Sampler.From(Distribution.Fixed(b.RestoreThroughputGbPerHour)) : default,
            SizeGb = d.SizeGb,
            RestoreStream = RandomStreams.SourceKey(key + ":restore"),
            HasFaults = b.FailureProbability > 0 || b.RestoreFailureProbability > 0 || double.IsFinite(breakMean) || exposure != BackupExposure.Immutable,
            JobFailureProbability = b.FailureProbability,
            CopyFailureProbability = b.RestoreFailureProbability,
            FateKey = RandomStreams.SourceKey(key + ":fates"),
            Exposure = exposure,
            BreakMeanHours = breakMean,
            FixHours = b.ChainBreaks?.FixHours ?? 0,
            TestEveryHours = b.RestoreTest?.EveryHours ?? double.PositiveInfinity,
            TestOffsetHours = b.RestoreTest?.OffsetHours ?? 0,
            BreakStream = RandomStreams.SourceKey(key + ":breaks"),
            PastBreakStream = RandomStreams.SourceKey(key + ":breaks-before"),
        };
    }

    /// <summary>Numbers the components and sites that hold copies of data, each of which keeps a log of its down periods.</summary>
    private sealed class DataLocations
    {
        private readonly Dictionary<string, int> _sites;
        private readonly Dictionary<string, int> _components;
        private readonly int[] _componentLog;
        private readonly int[] _siteLog;

        public DataLocations(Scenario scenario, Dictionary<string, int> sites, Dictionary<string, int> components)
        {
            _sites = sites;
            _components = components;
            _componentLog = new int[components.Count];
            _siteLog = new int[sites.Count];
            Array.Fill(_componentLog, -1);
            Array.Fill(_siteLog, -1);
            foreach (var d in scenario.DataSets)
            {
                Number(new Location(LocationKind.Component, d.Storage));
                foreach (var l in d.Replications.Select(r => r.Target).Concat(d.Backups.Select(b => b.Destination)))
                {
                    Number(l);
                }

                // A replica's link is watched as its target is: the copies catch up with it.
                foreach (string via in d.Replications.Select(r => r.Link?.Via).OfType<string>())
                {
                    Number(new Location(LocationKind.Component, via));
                }

                var service = scenario.Services.First(s => s.Name == d.Service);
                if (service.Standby is { } standby)
                {
                    Number(new Location(LocationKind.Site, standby.Site));
                }
            }
        }

        public int Count { get; private set; }

        public ImmutableArray<int> Sites => [.. _siteLog];

        public int OfComponent(int c) => _componentLog[c];

        public CompiledLocation Of(Location l) => l.Kind switch
        {
            LocationKind.Offsite => new CompiledLocation(LocationKind.Offsite, -1, -1),
            LocationKind.Site => new CompiledLocation(LocationKind.Site, _sites[l.Name], _siteLog[_sites[l.Name]]),
            LocationKind.Component => new CompiledLocation(LocationKind.Component, _components[l.Name], _componentLog[_components[l.Name]]),
        };

        private void Number(Location l)
        {
            int[]? logs = l.Kind switch
            {
                LocationKind.Offsite => null,
                LocationKind.Site => _siteLog,
                LocationKind.Component => _componentLog,
            };
            int index = l.Kind switch
            {
                LocationKind.Offsite => -1,
                LocationKind.Site => _sites[l.Name],
                LocationKind.Component => _components[l.Name],
            };
            if (logs is not null && logs[index] < 0)
            {
                logs[index] = Count++;
            }
        }
    }

    /// <summary>Numbers the places whose restore throughput is shared, in the order backups first read from them.</summary>
    private sealed class PoolNumbers(Scenario scenario)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<CompiledRestorePool> _pools = [];

        public ImmutableArray<CompiledRestorePool> Compiled => [.. _pools];

        /// <summary>The pool a backup kept at <paramref name="l"/> reads through: the place's own, or for a component its site's; −1 for none.</summary>
        public int Of(Location l)
        {
            (string place, double? capacity) = l.Kind switch
            {
                LocationKind.Offsite => ("offsite", scenario.OffsiteRestoreThroughputGbPerHour),
                LocationKind.Site => ("site " + l.Name, scenario.Sites.First(s => s.Name == l.Name).RestoreThroughputGbPerHour),
                LocationKind.Component => scenario.Components.First(c => c.Name == l.Name) is var c && c.RestoreThroughputGbPerHour is not null
                    ? ("component " + c.Name, c.RestoreThroughputGbPerHour)
                    : ("site " + c.Site, scenario.Sites.First(s => s.Name == c.Site).RestoreThroughputGbPerHour),
            };
            if (capacity is not { } gbPerHour)
            {
                return -1;
            }

            if (!_index.TryGetValue(place, out int pool))
            {
                pool = _pools.Count;
                _index[place] = pool;
                _pools.Add(new CompiledRestorePool(place, gbPerHour));
            }

            return pool;
        }
    }
}
