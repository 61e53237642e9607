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
            RandomStreams.SourceKey($"component:{c.Name}:ttr"))
        {
            SilentProbability = c.Failure?.SilentProbability ?? 0,
            BackupPower = c.BackupPower,
            SideStream = RandomStreams.SourceKey($"component:{c.Name}:side"),
        }).ToImmutableArray();

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
            RandomStreams.SourceKey($"service:{s.Name}:failover"))
        {
            FailoverSuccessProbability = s.Recovery.Failover?.SuccessProbability ?? 1,
            EstimateNoise = s.Recovery.Failover?.EstimateNoise is { } noise ? Sampler.From(noise) : null,
            ExpectedFailoverHours = s.Recovery.Failover?.Duration.Mean ?? 0,
            EstimateMarginHours = s.Recovery.Failover?.MarginHours ?? 0,
            ReassessHours = s.Recovery.Failover?.ReassessHours ?? 1,
            FailoverOutcomeStream = RandomStreams.SourceKey($"service:{s.Name}:failover-outcome"),
            PeopleStream = RandomStreams.SourceKey($"service:{s.Name}:people"),
            MoveForMaintenance = s.MoveForMaintenance,
            FailbackDuration = s.Failback is null ? null : Sampler.From(s.Failback.Duration),
            FailbackWindow = s.Failback is { Timing: FailbackTiming.NextWindow, Window: { } w } ? scenario.Threats.Select(t => t.Name).ToList().IndexOf(w) : -1,
            ActiveSites = [.. s.ActiveSites.Select(a => new CompiledActiveSite(siteIndex[a.Site], requirements.Add(a.Requires), a.Capacity))],
        }).ToImmutableArray();

        DataSets = scenario.DataSets.Select(d => CompileDataSet(d, serviceIndex, componentIndex, siteIndex)).ToImmutableArray();
        Threats = scenario.Threats.Select(t => CompileThreat(t, scenario, regionIndex, siteIndex, componentIndex)).ToImmutableArray();
        Monitors = scenario.Monitors.Select(m => new CompiledMonitor(
            m.Name,
            siteIndex[m.Site],
            requirements.Add(m.Requires),
            Sampler.From(m.Delay),
            m.Checks.Select(c => new CompiledCheck(c.Target, c.Target == CheckTarget.Service ? serviceIndex[c.Name] : componentIndex[c.Name], c.Type)).ToImmutableArray(),
            RandomStreams.SourceKey($"monitor:{m.Name}:delay"))).ToImmutableArray();
        Calendar = scenario.Calendar;
        if (scenario.Calendar is { } calendar)
        {
            Response = [Sampler.From(calendar.BusinessHoursResponse), Sampler.From(calendar.NightResponse), Sampler.From(calendar.WeekendResponse)];
        }

        Requirements = requirements.Build();
        PrimaryWatch = Services.Select(s => s.ActiveSites.IsEmpty
            ? Closure(s.Requires)
            : s.ActiveSites.Select(a => Closure(a.Requires)).Aggregate((x, y) => [.. x.Zip(y, (p, q) => p || q)])).ToImmutableArray();
        StandbyWatch = Services.Select(s => Closure(s.StandbyRequires)).ToImmutableArray();
        ComponentOrder = TopologicalOrder(scenario.Components, componentIndex);
        Downstream = DownstreamOrder();
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

    /// <summary>
    /// Gets, per component, itself and every component that requires it directly or through others, in
    /// <see cref="ComponentOrder"/>: the only components whose state can change when its own state does.
    /// </summary>
    public ImmutableArray<ImmutableArray<int>> Downstream { get; }

    /// <summary>Gets the services, in scenario order.</summary>
    public ImmutableArray<CompiledService> Services { get; }

    /// <summary>Gets the data sets, in scenario order.</summary>
    public ImmutableArray<CompiledDataSet> DataSets { get; }

    /// <summary>Gets, per service, the indices of its data sets.</summary>
    public ImmutableArray<ImmutableArray<int>> ServiceDataSets { get; }

    /// <summary>Gets the threats, in scenario order.</summary>
    public ImmutableArray<CompiledThreat> Threats { get; }

    /// <summary>Gets the people's calendar, if any.</summary>
    public WorkCalendar? Calendar { get; }

    /// <summary>Gets the response-time samplers for business hours, nights and weekends (empty without a calendar).</summary>
    public ImmutableArray<Sampler> Response { get; } = [];

    /// <summary>Gets calendar time at trial hour <paramref name="hours"/>.</summary>
    public DateTime CalendarTime(double hours) => Scenario.Simulation.Start.AddHours(hours);

    /// <summary>Gets the monitors, in scenario order.</summary>
    public ImmutableArray<CompiledMonitor> Monitors { get; }

    /// <summary>Gets, per service, which components it depends on at its primary, directly or through other components.</summary>
    public ImmutableArray<ImmutableArray<bool>> PrimaryWatch { get; }

    /// <summary>Gets, per service, which components it depends on at its standby.</summary>
    public ImmutableArray<ImmutableArray<bool>> StandbyWatch { get; }

    /// <summary>Gets the flattened requirement expressions.</summary>
    public RequirementTable Requirements { get; }

    /// <summary>Compiles a validated scenario.</summary>
    public static SimulationModel Compile(Scenario scenario) => new(scenario);

    private ImmutableArray<ImmutableArray<int>> DownstreamOrder()
    {
        var closures = Components.Select(c => Closure(c.Requires)).ToArray();
        return Enumerable.Range(0, Components.Length)
            .Select(c => ComponentOrder.Where(d => d == c || closures[d][c]).ToImmutableArray())
            .ToImmutableArray();
    }

    private ImmutableArray<bool> Closure(int node)
    {
        var set = new bool[Components.Length];
        var stack = new Stack<int>(Requirements.Components(node));
        while (stack.Count > 0)
        {
            int c = stack.Pop();
            if (!set[c])
            {
                set[c] = true;
                foreach (int dependency in Requirements.Components(Components[c].Requires))
                {
                    stack.Push(dependency);
                }
            }
        }

        return [.. set];
    }

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

    private static CompiledThreat CompileThreat(Threat t, Scenario scenario, Dictionary<string, int> regions, Dictionary<string, int> sites, Dictionary<string, int> components)
    {
        int target = t.Scope.Kind switch
        {
            ScopeKind.Component => components[t.Scope.Name],
            ScopeKind.Site => sites[t.Scope.Name],
            _ => regions[t.Scope.Name],
        };
        var length = t.Effect switch
        {
            Effect.Outage => t.Duration,
            Effect.Destroyed => t.Rebuild,
            _ => t.Cleanup,
        };

        // Arrivals fall only in the active months: draw at the rate that puts rate_per_year into them, then thin.
        var months = t.ActiveMonths.IsDefaultOrEmpty ? [] : t.ActiveMonths.Distinct().ToImmutableArray();
        double activeShare = months.IsEmpty ? 1 : months.Sum(m => m == 2 ? 28.25 : DateTime.DaysInMonth(2025, m)) / 365.25;
        double rate = t.RatePerYear / activeShare;

        // Sites the threat can reach (in scope order), and per site the components a kind filter selects.
        int[] reach = t.Scope.Kind switch
        {
            ScopeKind.Site => [target],
            ScopeKind.Region => [.. Enumerable.Range(0, scenario.Sites.Length).Where(s => scenario.Sites[s].Region == t.Scope.Name)],
            _ => [],
        };
        var affected = reach.Select(site => t.Affects is null
            ? ImmutableArray<int>.Empty
            : Enumerable.Range(0, scenario.Components.Length)
                .Where(c => sites[scenario.Components[c].Site] == site && string.Equals(scenario.Components[c].Kind, t.Affects, StringComparison.OrdinalIgnoreCase))
                .ToImmutableArray()).ToImmutableArray();

        return new CompiledThreat(
            t.Name,
            rate > 0 ? SimulationSettings.HoursPerYear / rate : double.PositiveInfinity,
            t.Scope.Kind,
            target,
            t.Effect,
            Sampler.From(length ?? Distribution.Fixed(0)),
            RandomStreams.SourceKey($"threat:{t.Name}:arrivals"),
            RandomStreams.SourceKey($"threat:{t.Name}:durations"))
        {
            Silent = t.Silent,
            EndsAfterDetection = t.EndsAfterDetection,
            ActiveMonths = months,
            ReachSites = [.. reach],
            AffectedComponents = t.Affects is null ? default : affected,
            SiteHitProbability = t.SiteHitProbability,
            FloodProbability = t.FloodProbability,
            FloodRebuild = t.FloodRebuild is null ? null : Sampler.From(t.FloodRebuild),
            Dwell = t.Dwell is null ? null : Sampler.From(t.Dwell),
            ScheduledStarts = t.Schedule is null ? default : ScheduleHours(t.Schedule, scenario.Simulation),
            SideStream = RandomStreams.SourceKey($"threat:{t.Name}:side"),
        };
    }

    /// <summary>Window starts inside the horizon, hours from the trial's start (the same in every trial).</summary>
    private static ImmutableArray<double> ScheduleHours(MaintenanceSchedule schedule, SimulationSettings simulation)
    {
        var start = simulation.Start;
        var until = start.AddHours(simulation.HorizonHours);
        return [.. schedule.Starts(start, until).Select(s => (s - start).TotalHours)];
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
    ulong RepairStream)
{
    /// <summary>Gets the chance that one of its own failures is silent.</summary>
    public double SilentProbability { get; init; }

    /// <summary>Gets the UPS and generator behind it, if any.</summary>
    public BackupPower? BackupPower { get; init; }

    /// <summary>Gets the stream for its secondary draws (silent or not, generator start).</summary>
    public ulong SideStream { get; init; }
}

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
    public bool CanFailOver => StandbySite >= 0 && FailoverDuration is not null && FailoverMode != FailoverMode.Never;

    /// <summary>Gets the chance that a failover works.</summary>
    public double FailoverSuccessProbability { get; init; } = 1;

    /// <summary>Gets the operator's misjudgement factor (estimate policy).</summary>
    public Sampler? EstimateNoise { get; init; }

    /// <summary>Gets the mean failover duration, which the operator weighs against the estimate.</summary>
    public double ExpectedFailoverHours { get; init; }

    /// <summary>Gets the margin of the estimate policy.</summary>
    public double EstimateMarginHours { get; init; }

    /// <summary>Gets how often an operator who chose to wait reassesses.</summary>
    public double ReassessHours { get; init; } = 1;

    /// <summary>Gets the stream for failover outcomes and estimates.</summary>
    public ulong FailoverOutcomeStream { get; init; }

    /// <summary>Gets the stream for people's response times.</summary>
    public ulong PeopleStream { get; init; }

    /// <summary>Gets whether it moves to the standby for planned maintenance.</summary>
    public bool MoveForMaintenance { get; init; }

    /// <summary>Gets the planned downtime of a failback; null fails back at once.</summary>
    public Sampler? FailbackDuration { get; init; }

    /// <summary>Gets the maintenance threat whose next window a failback waits for; −1 fails back at once.</summary>
    public int FailbackWindow { get; init; } = -1;

    /// <summary>Gets the live sites of an active-active service; empty otherwise.</summary>
    public ImmutableArray<CompiledActiveSite> ActiveSites { get; init; } = [];
}

/// <summary>A live site of an active-active service.</summary>
public readonly record struct CompiledActiveSite(int Site, int Requires, double Capacity);

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
    ulong LengthStream)
{
    /// <summary>Gets whether the failures it causes are silent (gray).</summary>
    public bool Silent { get; init; }

    /// <summary>Gets whether its outage lasts until an incident it caused is detected, then its duration.</summary>
    public bool EndsAfterDetection { get; init; }

    /// <summary>Gets the months (1-12) it strikes in; empty for all year.</summary>
    public ImmutableArray<int> ActiveMonths { get; init; } = [];

    /// <summary>Gets the sites a site or region scope reaches.</summary>
    public ImmutableArray<int> ReachSites { get; init; } = [];

    /// <summary>Gets, per reached site, the components a kind filter selects; default when the threat hits whole sites.</summary>
    public ImmutableArray<ImmutableArray<int>> AffectedComponents { get; init; }

    /// <summary>Gets the chance that each reached site is hit by one arrival.</summary>
    public double SiteHitProbability { get; init; } = 1;

    /// <summary>Gets the chance that a hit site is flooded.</summary>
    public double FloodProbability { get; init; }

    /// <summary>Gets the rebuild lead time of a flooded site.</summary>
    public Sampler? FloodRebuild { get; init; }

    /// <summary>Gets the infection's dwell time (corruption).</summary>
    public Sampler? Dwell { get; init; }

    /// <summary>Gets the window starts of a planned threat, hours; default for a Poisson threat.</summary>
    public ImmutableArray<double> ScheduledStarts { get; init; }

    /// <summary>Gets whether it is planned maintenance.</summary>
    public bool Planned => !ScheduledStarts.IsDefault;

    /// <summary>Gets the stream for secondary draws (which sites, floods, dwell).</summary>
    public ulong SideStream { get; init; }
}

/// <summary>A monitor check resolved to an index.</summary>
public readonly record struct CompiledCheck(CheckTarget Target, int Index, CheckType Type);

/// <summary>A monitor ready for simulation.</summary>
public sealed record CompiledMonitor(string Name, int Site, int Requires, Sampler Delay, ImmutableArray<CompiledCheck> Checks, ulong DelayStream);
