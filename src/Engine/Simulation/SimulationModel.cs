using System.Collections.Immutable;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// A scenario compiled for simulation: names resolved to indices, distributions to samplers,
/// requirements to flat expression tables, components in dependency order. Immutable; shared by all workers.
/// </summary>
public sealed class SimulationModel
{
    private SimulationModel(Scenario scenario)
    {
        Scenario = scenario;
        HorizonHours = scenario.Simulation.HorizonHours;

        var regionIndex = IndexOf(scenario.Regions.Select(r => r.Name));
        var siteIndex = IndexOf(scenario.Sites.Select(s => s.Name));
        var componentIndex = IndexOf(scenario.Components.Select(c => c.Name));
        var serviceIndex = IndexOf(scenario.Services.Select(s => s.Name));

        SiteRegion = scenario.Sites.Select(s => regionIndex[s.Region]).ToImmutableArray();
        var requirements = new RequirementTableBuilder(componentIndex);

        Components = scenario.Components.Select(c => new CompiledComponent(
            c.Name,
            siteIndex[c.Site],
            c.Failure is null ? null : Sampler.From(c.Failure.TimeToFailure),
            c.Failure is null ? null : Sampler.From(c.Failure.TimeToRepair),
            c.Failure?.Effect ?? Effect.Outage,
            requirements.Add(c.Requires),
            RandomStreams.SourceKey($"component:{c.Name}:ttf"),
            RandomStreams.SourceKey($"component:{c.Name}:ttr"))).ToImmutableArray();

        Services = scenario.Services.Select(s => new CompiledService(
            s.Name,
            siteIndex[s.Site],
            requirements.Add(s.Requires),
            s.Standby is null ? -1 : siteIndex[s.Standby.Site],
            s.Standby is null ? -1 : requirements.Add(s.Standby.Requires),
            Sampler.From(s.Recovery.Detection),
            s.Recovery.Failover is null ? null : Sampler.From(s.Recovery.Failover.Duration),
            s.Recovery.Failover?.Mode ?? FailoverMode.Automatic,
            s.Recovery.Failover?.AfterHours ?? 0,
            s.RtoHours,
            RandomStreams.SourceKey($"service:{s.Name}:detection"),
            RandomStreams.SourceKey($"service:{s.Name}:failover"))).ToImmutableArray();

        DataSets = scenario.DataSets.Select(d => CompileDataSet(d, serviceIndex, componentIndex, siteIndex)).ToImmutableArray();
        Threats = scenario.Threats.Select(t => CompileThreat(t, regionIndex, siteIndex, componentIndex)).ToImmutableArray();
        Requirements = requirements.Build();
        ComponentOrder = TopologicalOrder(scenario.Components, componentIndex);
        ServiceDataSets = Services.Select((_, s) => DataSets.Select((d, i) => (d, i)).Where(x => x.d.Service == s).Select(x => x.i).ToImmutableArray()).ToImmutableArray();
    }

    /// <summary>Gets the source scenario.</summary>
    public Scenario Scenario { get; }

    /// <summary>Gets the horizon of one trial, hours.</summary>
    public double HorizonHours { get; }

    /// <summary>Gets each site's region index.</summary>
    public ImmutableArray<int> SiteRegion { get; }

    /// <summary>Gets the components, in scenario order.</summary>
    public ImmutableArray<CompiledComponent> Components { get; }

    /// <summary>Gets component indices ordered so that every component comes after what it requires.</summary>
    public ImmutableArray<int> ComponentOrder { get; }

    /// <summary>Gets the services, in scenario order.</summary>
    public ImmutableArray<CompiledService> Services { get; }

    /// <summary>Gets the data sets, in scenario order.</summary>
    public ImmutableArray<CompiledDataSet> DataSets { get; }

    /// <summary>Gets, per service, the indices of its data sets.</summary>
    public ImmutableArray<ImmutableArray<int>> ServiceDataSets { get; }

    /// <summary>Gets the threats, in scenario order.</summary>
    public ImmutableArray<CompiledThreat> Threats { get; }

    /// <summary>Gets the flattened requirement expressions.</summary>
    public RequirementTable Requirements { get; }

    /// <summary>Compiles a validated scenario.</summary>
    public static SimulationModel Compile(Scenario scenario) => new(scenario);

    private static Dictionary<string, int> IndexOf(IEnumerable<string> names)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            index[name] = index.Count;
        }

        return index;
    }

    private static CompiledDataSet CompileDataSet(DataSet d, Dictionary<string, int> services, Dictionary<string, int> components, Dictionary<string, int> sites)
    {
        CompiledLocation Locate(Location l) => l.Kind switch
        {
            LocationKind.Offsite => new CompiledLocation(LocationKind.Offsite, -1),
            LocationKind.Site => new CompiledLocation(LocationKind.Site, sites[l.Name]),
            _ => new CompiledLocation(LocationKind.Component, components[l.Name]),
        };

        var backups = d.Backups.Select(b => new CompiledBackup(
            b.Name, b.IntervalHours, b.OffsetHours, b.DurationHours, Locate(b.Destination),
            b.RestoreSetupHours + (d.SizeGb / b.RestoreThroughputGbPerHour),
            b.RetentionHours ?? double.PositiveInfinity)).ToImmutableArray();
        var replicas = d.Replications.Select(r => new CompiledReplica(
            r.Mode, Locate(r.Target), r.Lag is null ? Sampler.From(Distribution.Fixed(0)) : Sampler.From(r.Lag))).ToImmutableArray();
        return new CompiledDataSet(
            d.Name, services[d.Service], components[d.Storage], d.SizeGb, d.ChangeRateGbPerHour, d.RpoHours,
            backups, replicas, RandomStreams.SourceKey($"data:{d.Name}:lag"));
    }

    private static CompiledThreat CompileThreat(Threat t, Dictionary<string, int> regions, Dictionary<string, int> sites, Dictionary<string, int> components)
    {
        int target = t.Scope.Kind switch
        {
            ScopeKind.Component => components[t.Scope.Name],
            ScopeKind.Site => sites[t.Scope.Name],
            _ => regions[t.Scope.Name],
        };
        var length = t.Effect == Effect.Outage ? t.Duration : t.Rebuild;
        return new CompiledThreat(
            t.Name,
            t.RatePerYear > 0 ? SimulationSettings.HoursPerYear / t.RatePerYear : double.PositiveInfinity,
            t.Scope.Kind,
            target,
            t.Effect,
            Sampler.From(length ?? Distribution.Fixed(0)),
            RandomStreams.SourceKey($"threat:{t.Name}:arrivals"),
            RandomStreams.SourceKey($"threat:{t.Name}:durations"));
    }

    private static ImmutableArray<int> TopologicalOrder(ImmutableArray<Component> components, Dictionary<string, int> index)
    {
        var order = ImmutableArray.CreateBuilder<int>(components.Length);
        var state = new byte[components.Length];

        void Visit(int c)
        {
            if (state[c] != 0)
            {
                // 1 = on the stack: a cycle, which validation rejects; 2 = done.
                return;
            }

            state[c] = 1;
            foreach (string dependency in Names(components[c].Requires))
            {
                Visit(index[dependency]);
            }

            state[c] = 2;
            order.Add(c);
        }

        for (int c = 0; c < components.Length; c++)
        {
            Visit(c);
        }

        return order.MoveToImmutable();
    }

    private static IEnumerable<string> Names(Requirement? requirement) => requirement switch
    {
        RequireComponent one => [one.Component],
        RequireAtLeast group => group.Items.SelectMany(Names),
        _ => [],
    };
}

/// <summary>A component ready for simulation.</summary>
public sealed record CompiledComponent(
    string Name,
    int Site,
    Sampler? TimeToFailure,
    Sampler? TimeToRepair,
    Effect FailureEffect,
    int Requires,
    ulong FailureStream,
    ulong RepairStream);

/// <summary>A service ready for simulation. <paramref name="StandbySite"/> is −1 without a standby.</summary>
public sealed record CompiledService(
    string Name,
    int Site,
    int Requires,
    int StandbySite,
    int StandbyRequires,
    Sampler Detection,
    Sampler? FailoverDuration,
    FailoverMode FailoverMode,
    double FailoverAfterHours,
    double? RtoHours,
    ulong DetectionStream,
    ulong FailoverStream)
{
    /// <summary>Gets whether the service can fail over.</summary>
    public bool CanFailOver => StandbySite >= 0 && FailoverDuration is not null;
}

/// <summary>A location resolved to an index (−1 for offsite).</summary>
public readonly record struct CompiledLocation(LocationKind Kind, int Index);

/// <summary>A backup policy ready for simulation.</summary>
/// <param name="RestoreHours">Setup plus size over throughput.</param>
public sealed record CompiledBackup(string Name, double IntervalHours, double OffsetHours, double DurationHours, CompiledLocation Destination, double RestoreHours, double RetentionHours);

/// <summary>A replica ready for simulation.</summary>
public sealed record CompiledReplica(ReplicationMode Mode, CompiledLocation Target, Sampler Lag);

/// <summary>A data set ready for simulation.</summary>
public sealed record CompiledDataSet(
    string Name,
    int Service,
    int Storage,
    double SizeGb,
    double ChangeRateGbPerHour,
    double? RpoHours,
    ImmutableArray<CompiledBackup> Backups,
    ImmutableArray<CompiledReplica> Replicas,
    ulong LagStream);

/// <summary>A threat ready for simulation. <paramref name="Length"/> is the outage duration or the rebuild lead time.</summary>
public sealed record CompiledThreat(
    string Name,
    double MeanInterarrivalHours,
    ScopeKind ScopeKind,
    int ScopeIndex,
    Effect Effect,
    Sampler Length,
    ulong ArrivalStream,
    ulong LengthStream);
