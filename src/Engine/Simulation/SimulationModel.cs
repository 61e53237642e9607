using System.Collections.Immutable;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// A scenario compiled for simulation: names resolved to indices, distributions to samplers,
/// requirements to flat expression tables, components in dependency order. Immutable; shared by all workers.
/// </summary>
public sealed partial class SimulationModel
{
    /// <summary>The probability beyond which an infection's dwell time is not looked back for at a trial's start.</summary>
    private const double WarmUpQuantile = 1 - 1e-6;

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
        var locations = new DataLocations(scenario, siteIndex, componentIndex);

        Components = scenario.Components.Select((c, i) => new CompiledComponent(
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
            DataLocation = locations.OfComponent(i),
            GeneratorTimeToFailure = c.BackupPower?.RunningTimeToFailure is { } running ? Sampler.From(running) : null,
            GeneratorRunStream = RandomStreams.SourceKey($"component:{c.Name}:generator-run"),
        }).ToImmutableArray();

        Services = scenario.Services.Select(s => CompileService(s, scenario, siteIndex, requirements)).ToImmutableArray();
        var pools = new PoolNumbers(scenario);
        DataSets = scenario.DataSets.Select(d => CompileDataSet(d, scenario, serviceIndex, componentIndex, siteIndex, locations, pools)).ToImmutableArray();
        RestorePools = pools.Compiled;
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
        ComponentOrder = TopologicalOrder(scenario.Components, componentIndex);
        Downstream = DownstreamOrder();
        ServiceDataSets = Services.Select((_, s) => DataSets.Select((d, i) => (d, i)).Where(x => x.d.Service == s).Select(x => x.i).ToImmutableArray()).ToImmutableArray();

        // A service depends on what its primary requires and on the storage (and live mirrors) of its data.
        PrimaryWatch = Services.Select((s, i) => Union(
            [.. (s.ActiveSites.IsEmpty ? [s.Requires] : s.ActiveSites.Select(a => a.Requires)).Select(Closure),
             .. ServiceDataSets[i].SelectMany(d => DataSets[d].Copies.Where(c => c.LiveMember && c.Location.Kind == LocationKind.Component))
                 .Select(c => ComponentClosure(c.Location.Index))])).ToImmutableArray();
        StandbyWatch = Services.Select(s => Closure(s.StandbyRequires)).ToImmutableArray();
        Threats = scenario.Threats.Select(t => CompileThreat(t, scenario, regionIndex, siteIndex, componentIndex)).ToImmutableArray();
        (Threats, Components, StressThreats) = NumberStresses(Threats, Components);
        DataLocationCount = locations.Count;
        SiteDataLocation = locations.Sites;
        Graph = new ServiceGraph(scenario);
        HasVaults = DataSets.Any(d => d.Backups.Any(b => b.Vault is not null));
        Crews = CrewPlan.Compile(scenario, this);
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

    /// <summary>Gets the restore throughputs that restores from one place share; empty when none is stated.</summary>
    public ImmutableArray<CompiledRestorePool> RestorePools { get; }

    /// <summary>Gets whether some replica is shipped over a link with a bandwidth.</summary>
    public bool HasReplicaLinks => DataSets.Any(d => d.Replicas.Any(r => r.LinkBandwidthGbPerHour > 0));

    /// <summary>Gets, per service, the indices of its data sets.</summary>
    public ImmutableArray<ImmutableArray<int>> ServiceDataSets { get; }

    /// <summary>Gets the threats, in scenario order.</summary>
    public ImmutableArray<CompiledThreat> Threats { get; }

    /// <summary>Gets the threats that raise the failure rates of what they hit, in scenario order (their <see cref="CompiledThreat.StressIndex"/>).</summary>
    public ImmutableArray<int> StressThreats { get; }

    /// <summary>Gets the people's calendar, if any.</summary>
    public WorkCalendar? Calendar { get; }

    /// <summary>Gets the response-time samplers for business hours, nights and weekends (empty without a calendar).</summary>
    public ImmutableArray<Sampler> Response { get; } = [];

    /// <summary>Gets calendar time at trial hour <paramref name="hours"/>.</summary>
    public DateTime CalendarTime(double hours) => Scenario.Simulation.Start.AddHours(hours);

    /// <summary>Gets the monitors, in scenario order.</summary>
    public ImmutableArray<CompiledMonitor> Monitors { get; }

    /// <summary>Gets the crews that do manual work; null when people are unlimited (no crew), which costs nothing.</summary>
    public CrewPlan? Crews { get; }

    /// <summary>Gets, per service, which components it depends on at its primary (its data's storage included), directly or through other components.</summary>
    public ImmutableArray<ImmutableArray<bool>> PrimaryWatch { get; }

    /// <summary>Gets, per service, which components it depends on at its standby.</summary>
    public ImmutableArray<ImmutableArray<bool>> StandbyWatch { get; }

    /// <summary>Gets what services require of each other and share: required services, bounded standby sites, partial standbys.</summary>
    public ServiceGraph Graph { get; }

    /// <summary>Gets the flattened requirement expressions.</summary>
    public RequirementTable Requirements { get; }

    /// <summary>Gets how many components and sites hold copies of data (each keeps a log of its down periods).</summary>
    public int DataLocationCount { get; }

    /// <summary>Gets, per site, its index among the data locations, or −1.</summary>
    public ImmutableArray<int> SiteDataLocation { get; }

    /// <summary>Gets whether some backup policy has a vault (the estate then keeps the times of destructions, see <see cref="VaultCopies"/>).</summary>
    public bool HasVaults { get; }

    /// <summary>Compiles a validated scenario.</summary>
    public static SimulationModel Compile(Scenario scenario) => new(scenario);

    private static CompiledService CompileService(Service s, Scenario scenario, Dictionary<string, int> siteIndex, RequirementTableBuilder requirements) => new(
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
        Priority = s.Priority ?? int.MaxValue,
    };

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

    /// <summary>The component itself and everything it requires.</summary>
    private ImmutableArray<bool> ComponentClosure(int c)
    {
        var set = Closure(Components[c].Requires).ToArray();
        set[c] = true;
        return [.. set];
    }

    private ImmutableArray<bool> Union(IEnumerable<ImmutableArray<bool>> sets)
    {
        var union = new bool[Components.Length];
        foreach (var set in sets)
        {
            for (int c = 0; c < union.Length; c++)
            {
                union[c] |= set[c];
            }
        }

        return [.. union];
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

    /// <summary>
    /// The backup policies a corruption threat's detonation encrypts: those online or offline whose data set's storage, or
    /// whose destination, lies in its scope (the estate the attack holds writes to both).
    /// </summary>
    private ImmutableArray<CompiledReach> EncryptedBy(Threat t, int target)
    {
        if (t.Effect != Effect.Corruption)
        {
            return [];
        }

        bool SiteInScope(int site) => t.Scope.Kind switch
        {
            ScopeKind.Component or ScopeKind.Components => false,
            ScopeKind.Site => site == target,
            ScopeKind.Region => SiteRegion[site] == target,
        };
        bool ComponentInScope(int c) => (t.Scope.Kind == ScopeKind.Component && c == target)
            || (t.Scope.Kind == ScopeKind.Components && t.Scope.Members.Contains(Components[c].Name))
            || SiteInScope(Components[c].Site);
        bool LocationInScope(CompiledLocation l) => l.Kind switch
        {
            LocationKind.Offsite => false,
            LocationKind.Site => SiteInScope(l.Index),
            LocationKind.Component => ComponentInScope(l.Index),
        };

        var reach = ImmutableArray.CreateBuilder<CompiledReach>();
        for (int d = 0; d < DataSets.Length; d++)
        {
            var set = DataSets[d];
            for (int b = 0; b < set.Backups.Length; b++)
            {
                var backup = set.Backups[b];
                if (backup.Exposure != BackupExposure.Immutable && (ComponentInScope(set.Storage) || LocationInScope(backup.Destination)))
                {
                    reach.Add(new CompiledReach(d, b));
                }
            }
        }

        return reach.ToImmutable();
    }

    private CompiledThreat CompileThreat(Threat t, Scenario scenario, Dictionary<string, int> regions, Dictionary<string, int> sites, Dictionary<string, int> components)
    {
        int target = t.Scope.Kind switch
        {
            ScopeKind.Component => components[t.Scope.Name],
            ScopeKind.Site => sites[t.Scope.Name],
            ScopeKind.Region => regions[t.Scope.Name],
            ScopeKind.Components => -1,
        };
        var length = t.Effect switch
        {
            Effect.Outage => t.Duration,
            Effect.Destroyed => t.Rebuild,
            Effect.Corruption => t.Cleanup,
        };

        // Arrivals fall only in the active months: draw at the rate that puts rate_per_year into them, then thin.
        var months = t.ActiveMonths.IsDefaultOrEmpty ? [] : t.ActiveMonths.Distinct().ToImmutableArray();
        double activeShare = months.IsEmpty ? 1 : months.Sum(m => m == 2 ? 28.25 : DateTime.DaysInMonth(2025, m)) / 365.25;
        double rate = t.RatePerYear / activeShare;

        // Sites the threat can reach (in scope order), and per site the components a kind filter selects. A group of
        // components (a common cause) reaches the sites of its members and, at each, hits exactly its members there.
        int[] members = [.. t.Scope.Members.Select(m => components[m])];
        int[] reach = t.Scope.Kind switch
        {
            ScopeKind.Site => [target],
            ScopeKind.Region => [.. Enumerable.Range(0, scenario.Sites.Length).Where(s => scenario.Sites[s].Region == t.Scope.Name)],
            ScopeKind.Component => [],
            ScopeKind.Components => [.. members.Select(c => Components[c].Site).Distinct()],
        };
        bool filtered = t.Affects is not null || t.Scope.Kind == ScopeKind.Components;
        var affected = reach.Select(site => !filtered
            ? ImmutableArray<int>.Empty
            : t.Scope.Kind == ScopeKind.Components
                ? [.. members.Where(c => Components[c].Site == site)]
                : Enumerable.Range(0, scenario.Components.Length)
                    .Where(c => sites[scenario.Components[c].Site] == site && string.Equals(scenario.Components[c].Kind, t.Affects, StringComparison.OrdinalIgnoreCase))
                    .ToImmutableArray()).ToImmutableArray();

        // Infections still hidden at hour 0 (warm start): rate × mean dwell of them on average.
        double hidden = t.Dwell is null || !months.IsEmpty || !(rate > 0) ? 0 : rate * t.Dwell.Mean / SimulationSettings.HoursPerYear;

        bool Reaches(int service)
        {
            var watch = PrimaryWatch[service];
            int primary = Services[service].Site;
            return t.Scope.Kind switch
            {
                ScopeKind.Component => watch[target],
                ScopeKind.Components => members.Any(c => watch[c]),
                ScopeKind.Site or ScopeKind.Region => t.Affects is null
                    ? reach.Any(site => site == primary || Enumerable.Range(0, Components.Length).Any(c => watch[c] && Components[c].Site == site))
                    : affected.Any(list => list.Any(c => watch[c])),
            };
        }

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
            AffectedComponents = filtered ? affected : default,
            SiteHitProbability = t.SiteHitProbability,
            FloodProbability = t.FloodProbability,
            FloodRebuild = t.FloodRebuild is null ? null : Sampler.From(t.FloodRebuild),
            Dwell = t.Dwell is null ? null : Sampler.From(t.Dwell),
            WarmUpHours = t.Dwell is null || months.IsEmpty ? 0 : Math.Min(10 * SimulationSettings.HoursPerYear, Quantile.Upper(t.Dwell, WarmUpQuantile)),
            HiddenAtStart = hidden,
            NoneHiddenProbability = Math.Exp(-hidden),
            HiddenDwell = t.Dwell is null || !(t.Dwell.Mean > 0) ? default : LengthBiased.From(t.Dwell),
            ScheduledStarts = t.Schedule is null ? default : ScheduleHours(t.Schedule, scenario.Simulation),
            PlannedFor = t.Schedule is null ? [] : [.. Enumerable.Range(0, Services.Length).Where(Reaches)],
            SideStream = RandomStreams.SourceKey($"threat:{t.Name}:side"),
            AftershockFactor = t.Aftermath?.Arrivals?.Factor ?? 1,
            AftershockHours = t.Aftermath?.Arrivals?.ForHours ?? 0,
            StressFactor = t.Aftermath?.Failures?.Factor ?? 1,
            StressHours = t.Aftermath?.Failures?.ForHours ?? 0,
            Stressed = t.Aftermath?.Failures is null ? default
                : t.Scope.Kind == ScopeKind.Component ? [[.. Failing([target])]]
                : [.. reach.Select((site, i) => Failing(filtered ? affected[i] : AtSite(site)))],
            FloodStressed = t.Aftermath?.Failures is null || t.FloodProbability <= 0 ? default : [.. reach.Select(site => Failing(AtSite(site)))],
            Encrypts = EncryptedBy(t, target),
            RebuildPriority = Enumerable.Range(0, Services.Length).Where(Reaches).Select(s => Services[s].Priority).DefaultIfEmpty(int.MaxValue).Min(),
        };

        IEnumerable<int> AtSite(int site) => Enumerable.Range(0, Components.Length).Where(c => Components[c].Site == site);
        ImmutableArray<int> Failing(IEnumerable<int> hit) => [.. hit.Where(c => Components[c].TimeToFailure is not null)];
    }

    /// <summary>
    /// Numbers the threats whose aftermath raises failure rates, and marks the components they can stress: only those
    /// schedule their failures on an accelerated age, so a scenario without such an aftermath keeps every failure as it was.
    /// </summary>
    private static (ImmutableArray<CompiledThreat>, ImmutableArray<CompiledComponent>, ImmutableArray<int>) NumberStresses(
        ImmutableArray<CompiledThreat> threats, ImmutableArray<CompiledComponent> components)
    {
        var stressThreats = ImmutableArray.CreateBuilder<int>();
        var stressable = new bool[components.Length];
        var numbered = threats.ToBuilder();
        for (int t = 0; t < numbered.Count; t++)
        {
            if (!numbered[t].Stressed.IsDefault)
            {
                numbered[t] = numbered[t] with { StressIndex = stressThreats.Count };
                stressThreats.Add(t);
                foreach (int c in numbered[t].Stressed.Concat(numbered[t].FloodStressed.IsDefault ? [] : numbered[t].FloodStressed).SelectMany(list => list))
                {
                    stressable[c] = true;
                }
            }
        }

        return (numbered.ToImmutable(), [.. components.Select((c, i) => stressable[i] ? c with { Stressable = true } : c)], stressThreats.ToImmutable());
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
        null => [],
        _ => throw new NotSupportedException($"Unknown requirement {requirement}."),
    };

}
