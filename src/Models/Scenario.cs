using System.Collections.Immutable;

namespace DisasterSim.Models;

/// <summary>A whole scenario: the estate, its threats and its protection. Immutable and validated at load.</summary>
/// <remarks>Every time and duration is in hours; a year is 8,766 hours (365.25 days).</remarks>
public sealed record Scenario
{
    /// <summary>Gets the scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the free-text description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the trial settings.</summary>
    public required SimulationSettings Simulation { get; init; }

    /// <summary>Gets the regions.</summary>
    public ImmutableArray<Region> Regions { get; init; } = [];

    /// <summary>Gets the sites.</summary>
    public ImmutableArray<Site> Sites { get; init; } = [];

    /// <summary>Gets the components.</summary>
    public ImmutableArray<Component> Components { get; init; } = [];

    /// <summary>Gets the services.</summary>
    public ImmutableArray<Service> Services { get; init; } = [];

    /// <summary>Gets the data sets.</summary>
    public ImmutableArray<DataSet> DataSets { get; init; } = [];

    /// <summary>Gets the threats.</summary>
    public ImmutableArray<Threat> Threats { get; init; } = [];

    /// <summary>Gets the monitors. Without any, every outage is found after the services' own detection delay.</summary>
    public ImmutableArray<Monitor> Monitors { get; init; } = [];

    /// <summary>Gets the people's calendar; null when manual actions start without delay.</summary>
    public WorkCalendar? Calendar { get; init; }

    /// <summary>Gets the endpoint fleets, already expanded into components, services, data sets and threats (see <see cref="EndpointFleets"/>).</summary>
    public ImmutableArray<EndpointFleet> Endpoints { get; init; } = [];

    /// <summary>Gets the label of the scenario's one currency (USD, EUR, ...), used in headers; null when none is given.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the yearly costs not tied to one protection.</summary>
    public ImmutableArray<OtherCost> OtherCosts { get; init; } = [];

    /// <summary>Gets the crews that do manual recovery work; empty when people are unlimited.</summary>
    public ImmutableArray<Crew> Crews { get; init; } = [];

    /// <summary>Gets the restore throughput that every restore from <c>offsite</c> shares, GB per hour; null when unshared.</summary>
    public double? OffsiteRestoreThroughputGbPerHour { get; init; }
}

/// <summary>How each trial is run.</summary>
/// <param name="HorizonHours">Length of one trial. Range: &gt; 0.</param>
/// <param name="Start">Calendar time of the trial's hour 0.</param>
/// <param name="Trials">Default number of trials. Range: ≥ 1.</param>
/// <param name="Seed">Default seed.</param>
public sealed record SimulationSettings(double HorizonHours, DateTime Start, long Trials, ulong Seed)
{
    /// <summary>Hours in a year (365.25 days).</summary>
    public const double HoursPerYear = 8766;

    /// <summary>The defaults: one year from 2026-01-01, 10,000 trials, seed 1.</summary>
    public static SimulationSettings Default { get; } = new(HoursPerYear, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), 10_000, 1);
}

/// <summary>A geographic region; a regional threat hits every site in it.</summary>
public sealed record Region(string Name);

/// <summary>A site (data center, office, cloud region) in a region.</summary>
public sealed record Site(string Name, string Region)
{
    /// <summary>Gets the restore throughput that every restore from a backup kept at the site shares, GB per hour; null when unshared.</summary>
    public double? RestoreThroughputGbPerHour { get; init; }

    /// <summary>
    /// Gets how many services may use the site as their standby at once (running there, failing over to it, restoring
    /// there, or failing back from it); null places no bound. Range: ≥ 1.
    /// </summary>
    public int? Capacity { get; init; }
}

/// <summary>A piece of infrastructure at a site: power, storage, host, network link, DNS, ...</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Site">Site it stands at.</param>
/// <param name="Kind">Free-text kind (power, storage, host, network, dns, ...).</param>
/// <param name="Failure">Its own failure process, if any.</param>
/// <param name="Requires">What must be up for it to work, if anything.</param>
public sealed record Component(string Name, string Site, string Kind, FailureProcess? Failure, Requirement? Requires)
{
    /// <summary>Gets the batteries and generator that bridge outages of this (power) component, if any.</summary>
    public BackupPower? BackupPower { get; init; }

    /// <summary>Gets the restore throughput that every restore from a backup kept on it shares, GB per hour; null when unshared.</summary>
    public double? RestoreThroughputGbPerHour { get; init; }
}

/// <summary>An alternating renewal process: up for a time to failure, down for a time to repair, again.</summary>
/// <param name="TimeToFailure">Time between a repair and the next failure, hours.</param>
/// <param name="TimeToRepair">Time from failure to repair, hours.</param>
/// <param name="Effect">Whether a failure only stops the component or also destroys the data on it.</param>
public sealed record FailureProcess(Distribution TimeToFailure, Distribution TimeToRepair, Effect Effect)
{
    /// <summary>Gets the chance that a failure is silent (a gray failure: alive but not working). Range: [0, 1].</summary>
    public double SilentProbability { get; init; }
}

/// <summary>What a threat or failure does to what it hits.</summary>
public enum Effect
{
    /// <summary>Unavailable for the duration; data intact.</summary>
    Outage,

    /// <summary>Hardware and the data stored on it are gone; usable again after a rebuild lead time.</summary>
    Destroyed,

    /// <summary>
    /// Ransomware or hacking: an infection that stays hidden for a dwell time, then detonates. Data written since
    /// the infection is corrupt, and so is every replica and every backup taken after it.
    /// </summary>
    Corruption,
}

/// <summary>A dependency expression.</summary>
public abstract record Requirement;

/// <summary>Requires one component.</summary>
public sealed record RequireComponent(string Component) : Requirement;

/// <summary>Requires at least <paramref name="K"/> of <paramref name="Items"/>; all of them when K equals their count.</summary>
/// <param name="K">How many must be up. Range: 1 ≤ K ≤ Items.Length.</param>
/// <param name="Items">The alternatives.</param>
public sealed record RequireAtLeast(int K, ImmutableArray<Requirement> Items) : Requirement;

/// <summary>A business service running at a primary site.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Site">Primary site.</param>
/// <param name="Requires">Components it needs at the primary.</param>
/// <param name="Standby">Where it can fail over to, if anywhere.</param>
/// <param name="Recovery">How an outage is handled; <see cref="Recovery.Detection"/> is the manual-discovery delay.</param>
/// <param name="RtoHours">Recovery time objective, if set.</param>
public sealed record Service(string Name, string Site, Requirement? Requires, Standby? Standby, Recovery Recovery, double? RtoHours)
{
    /// <summary>Gets whether the service moves to its standby for planned maintenance of the primary instead of stopping.</summary>
    public bool MoveForMaintenance { get; init; }

    /// <summary>Gets how it fails back; null fails back at once without downtime.</summary>
    public Failback? Failback { get; init; }

    /// <summary>
    /// Gets the sites of an active-active service, each carrying a share of the load; empty for a primary/standby service.
    /// Such a service runs while the sites that work can carry the whole load together (capacities add up to 1 or more).
    /// </summary>
    public ImmutableArray<ActiveSite> ActiveSites { get; init; } = [];

    /// <summary>Gets the penalties of its outages; none by default.</summary>
    public ServiceCosts Costs { get; init; } = ServiceCosts.None;

    /// <summary>
    /// Gets the services it requires: it runs, wherever it runs, only while each of them runs; empty for none. The graph of
    /// these requirements is acyclic.
    /// </summary>
    public ImmutableArray<string> RequiresServices { get; init; } = [];

    /// <summary>
    /// Gets its priority (lower first) when work competes for people and, at a full standby site, for a place (its place in
    /// the recovery order); null comes after every service that has one.
    /// </summary>
    public int? Priority { get; init; }
}

/// <summary>One live site of an active-active service.</summary>
/// <param name="Site">The site.</param>
/// <param name="Capacity">Share of the full load it can carry alone. Range: &gt; 0.</param>
/// <param name="Requires">What the service needs at that site.</param>
public sealed record ActiveSite(string Site, double Capacity, Requirement? Requires);

/// <summary>A standby site and what the service needs there.</summary>
public sealed record Standby(string Site, Requirement? Requires)
{
    /// <summary>Gets what keeping the standby costs per year (DR site, standby licences). Range: ≥ 0.</summary>
    public double CostPerYear { get; init; }

    /// <summary>
    /// Gets the share of the full load the standby carries. Below 1 the service runs degraded there: each hour at the
    /// standby counts 1 − capacity hours of downtime-equivalent. Range: (0, 1].
    /// </summary>
    public double Capacity { get; init; } = 1;
}

/// <summary>How a service's outage is detected and handled.</summary>
/// <param name="Detection">Delay from the outage's start until someone notices without help from a monitor (users complain), hours.</param>
/// <param name="Failover">Failover to the standby, if the service has one.</param>
public sealed record Recovery(Distribution Detection, Failover? Failover);

/// <summary>Whether failover starts on its own or waits for a person.</summary>
public enum FailoverMode
{
    /// <summary>Starts as soon as the outage is detected.</summary>
    Automatic,

    /// <summary>Starts once the outage has lasted <see cref="Failover.AfterHours"/> since detection.</summary>
    Manual,

    /// <summary>
    /// Starts at detection if the operator's estimate of the remaining outage (the true remaining time times a noisy
    /// factor) exceeds the failover time plus a margin; otherwise waits and reassesses.
    /// </summary>
    Estimate,

    /// <summary>Never fails over: the standby is not used for unplanned outages.</summary>
    Never,
}

/// <summary>Failover to the standby site.</summary>
/// <param name="Mode">Automatic or manual.</param>
/// <param name="AfterHours">Manual only: wait this long after detection before starting.</param>
/// <param name="Duration">How long the failover takes, hours.</param>
public sealed record Failover(FailoverMode Mode, double AfterHours, Distribution Duration)
{
    /// <summary>Gets the chance that a failover works; when it does not, the service is restored from backup at the standby. Range: [0, 1].</summary>
    public double SuccessProbability { get; init; } = 1;

    /// <summary>Gets, for <see cref="FailoverMode.Estimate"/>, the factor by which the operator's estimate misjudges the true remaining outage.</summary>
    public Distribution? EstimateNoise { get; init; }

    /// <summary>Gets, for <see cref="FailoverMode.Estimate"/>, the margin by which the estimate must exceed the expected failover time.</summary>
    public double MarginHours { get; init; }

    /// <summary>Gets, for <see cref="FailoverMode.Estimate"/>, how often the operator reassesses after deciding to wait.</summary>
    public double ReassessHours { get; init; } = 1;
}

/// <summary>Data belonging to a service, stored on a storage component.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Service">Owning service.</param>
/// <param name="Storage">Storage component holding the live copy.</param>
/// <param name="SizeGb">Size, GB.</param>
/// <param name="ChangeRateGbPerHour">Rate of new or changed data while the service runs, GB per hour.</param>
/// <param name="RpoHours">Recovery point objective, if set.</param>
/// <param name="Backups">Backup policies.</param>
/// <param name="Replications">Replicas.</param>
public sealed record DataSet(
    string Name,
    string Service,
    string Storage,
    double SizeGb,
    double ChangeRateGbPerHour,
    double? RpoHours,
    ImmutableArray<Backup> Backups,
    ImmutableArray<Replication> Replications)
{
    /// <summary>Gets the penalties of losing its data; none by default.</summary>
    public DataSetCosts Costs { get; init; } = DataSetCosts.None;

    /// <summary>Gets how its change rate follows the working day; null for a constant rate.</summary>
    public ChangeProfile? ChangeProfile { get; init; }
}

/// <summary>Where a copy is kept.</summary>
public enum LocationKind
{
    /// <summary>At a site: lost when the site is destroyed.</summary>
    Site,

    /// <summary>On a component: lost when that component (or its site) is destroyed.</summary>
    Component,

    /// <summary>Offsite vault or cloud object storage: outside every scope of the scenario.</summary>
    Offsite,
}

/// <summary>A place a copy is kept.</summary>
/// <param name="Kind">Site, component or offsite.</param>
/// <param name="Name">The site or component name; empty for offsite.</param>
public sealed record Location(LocationKind Kind, string Name)
{
    /// <summary>The offsite location.</summary>
    public static Location Offsite { get; } = new(LocationKind.Offsite, "");

    /// <inheritdoc/>
    public override string ToString() => Kind == LocationKind.Offsite ? "offsite" : $"{Kind.ToString().ToLowerInvariant()} {Name}";
}

/// <summary>A periodic backup policy.</summary>
/// <param name="Name">Name, unique within the data set.</param>
/// <param name="IntervalHours">Time between job starts. Range: &gt; 0.</param>
/// <param name="OffsetHours">Start of the first job after hour 0. Range: [0, interval).</param>
/// <param name="DurationHours">Job duration; the copy is usable once the job ends and holds the state at its start.</param>
/// <param name="Destination">Where the copies are kept.</param>
/// <param name="RestoreThroughputGbPerHour">Restore speed. Range: &gt; 0.</param>
/// <param name="RestoreSetupHours">Fixed time before bytes flow (recall tapes, provision, ...).</param>
/// <param name="RetentionHours">How long every copy is kept; null keeps every copy (with <see cref="RetentionTiers"/>, 0 unless given).</param>
public sealed record Backup(
    string Name,
    double IntervalHours,
    double OffsetHours,
    double DurationHours,
    Location Destination,
    double RestoreThroughputGbPerHour,
    double RestoreSetupHours,
    double? RetentionHours)
{
    /// <summary>Gets what the policy costs per year (backup service, storage, licences). Range: ≥ 0.</summary>
    public double CostPerYear { get; init; }

    /// <summary>Gets the chance that a job fails and reports it (no copy). Range: [0, 1].</summary>
    public double FailureProbability { get; init; }

    /// <summary>Gets whether ransomware can reach its copies; null when not stated (out of reach, as immutable).</summary>
    public BackupExposure? Exposure { get; init; }

    /// <summary>Gets the setup time of a restore when it varies (drawn per attempt); null for the fixed <see cref="RestoreSetupHours"/>, which is otherwise its mean.</summary>
    public Distribution? RestoreSetup { get; init; }

    /// <summary>Gets the restore throughput, GB an hour, when it varies (drawn per attempt); null for the fixed <see cref="RestoreThroughputGbPerHour"/>, which is otherwise its mean.</summary>
    public Distribution? RestoreThroughput { get; init; }

    /// <summary>Gets the chance that a copy fails its restore (found at the end of the attempt). Range: [0, 1].</summary>
    public double RestoreFailureProbability { get; init; }

    /// <summary>Gets the silent breaks of its chain, if modelled.</summary>
    public ChainBreaks? ChainBreaks { get; init; }

    /// <summary>Gets its periodic restore tests, if any.</summary>
    public RestoreTest? RestoreTest { get; init; }

    /// <summary>Gets the grandfather-father-son tiers that keep older copies beyond <see cref="RetentionHours"/>; none by default.</summary>
    public RetentionTiers RetentionTiers { get; init; }

    /// <summary>Gets the offsite vault a courier fills from the destination; null for none.</summary>
    public Vault? Vault { get; init; }

    /// <summary>Gets where the jobs read the live data: at the primary (default), at the standby, or both.</summary>
    public BackupRunsAt RunsAt { get; init; }
}

/// <summary>Synchronous or asynchronous replication.</summary>
public enum ReplicationMode
{
    /// <summary>A write completes only when the replica has it: no lag.</summary>
    Sync,

    /// <summary>Shipped after the write completes: the replica lags.</summary>
    Async,
}

/// <summary>A continuously maintained replica.</summary>
/// <param name="Mode">Sync or async.</param>
/// <param name="Target">Where the replica lives (a site or a component).</param>
/// <param name="Lag">Async only: the replica's lag at a random moment, hours.</param>
public sealed record Replication(ReplicationMode Mode, Location Target, Distribution? Lag)
{
    /// <summary>Gets what the replica costs per year (link, licences, target storage). Range: ≥ 0.</summary>
    public double CostPerYear { get; init; }

    /// <summary>Gets the link an asynchronous replica is shipped over; null when its bandwidth is not modelled.</summary>
    public ReplicationLink? Link { get; init; }
}

/// <summary>What a threat hits.</summary>
public enum ScopeKind
{
    /// <summary>One component.</summary>
    Component,

    /// <summary>A site: every component at it.</summary>
    Site,

    /// <summary>A region: every site in it.</summary>
    Region,

    /// <summary>
    /// A named group of components that fail together, wherever they stand: a common cause (a bad firmware batch, one
    /// power distribution unit, a shared hypervisor).
    /// </summary>
    Components,
}

/// <summary>The target of a threat.</summary>
/// <param name="Kind">Component, site, region or a group of components.</param>
/// <param name="Name">The component, site or region; for a group, its members' names joined by ", ".</param>
public sealed record Scope(ScopeKind Kind, string Name)
{
    /// <summary>Gets, for a group of components, their names in order; empty for the other kinds.</summary>
    public ImmutableArray<string> Members { get; init; } = [];

    /// <summary>A group of components that one arrival hits together (a common cause).</summary>
    public static Scope Group(IEnumerable<string> components)
    {
        ImmutableArray<string> members = [.. components];
        return new Scope(ScopeKind.Components, string.Join(", ", members)) { Members = members };
    }

    /// <inheritdoc/>
    public bool Equals(Scope? other) => other is not null && Kind == other.Kind && Name == other.Name && Members.SequenceEqual(other.Members);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Name, Members.Length);

    /// <inheritdoc/>
    public override string ToString() => Kind == ScopeKind.Components ? $"components [{Name}]" : $"{Kind.ToString().ToLowerInvariant()} {Name}";
}

/// <summary>A threat: arrivals as a Poisson process, each with an effect on a scope.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Kind">Free-text kind (power, fire, flood, hurricane, hardware, ...).</param>
/// <param name="RatePerYear">Poisson arrival rate, per year. Range: ≥ 0.</param>
/// <param name="Scope">What it hits.</param>
/// <param name="Effect">Outage or destruction.</param>
/// <param name="Duration">Outage only: how long the scope is unavailable, hours.</param>
/// <param name="Rebuild">Destroyed only: the lead time until the scope is usable again, hours.</param>
public sealed record Threat(string Name, string Kind, double RatePerYear, Scope Scope, Effect Effect, Distribution? Duration, Distribution? Rebuild)
{
    /// <summary>Gets whether the failure it causes is silent (gray): liveness checks miss it.</summary>
    public bool Silent { get; init; }

    /// <summary>
    /// Gets whether the outage lasts until someone detects an incident it caused, and then <see cref="Duration"/> more
    /// (a hung process that nobody restarts until they notice). When it causes no incident, it lasts its duration.
    /// </summary>
    public bool EndsAfterDetection { get; init; }

    /// <summary>Gets, when set, the component kind it hits inside its scope (e.g. power: only the utility feeds); null hits everything.</summary>
    public string? Affects { get; init; }

    /// <summary>Gets the calendar months (1-12) in which it can strike; empty means all year.</summary>
    public ImmutableArray<int> ActiveMonths { get; init; } = [];

    /// <summary>Gets, for a region scope, the chance that each site in the region is hit by a given arrival. Range: [0, 1].</summary>
    public double SiteHitProbability { get; init; } = 1;

    /// <summary>Gets the chance that a hit site is also flooded (destroyed). Range: [0, 1].</summary>
    public double FloodProbability { get; init; }

    /// <summary>Gets the rebuild lead time of a flooded site, hours.</summary>
    public Distribution? FloodRebuild { get; init; }

    /// <summary>Gets, for <see cref="Effect.Corruption"/>, the time from infection to detonation, hours.</summary>
    public Distribution? Dwell { get; init; }

    /// <summary>Gets, for <see cref="Effect.Corruption"/>, the rebuild and clean-up time before restores can start, hours.</summary>
    public Distribution? Cleanup { get; init; }

    /// <summary>Gets the calendar of a planned maintenance window; null for a random (Poisson) threat.</summary>
    public MaintenanceSchedule? Schedule { get; init; }

    /// <summary>Gets the rates it raises for a while after it strikes (aftershocks, stressed hardware); null raises none.</summary>
    public Aftermath? Aftermath { get; init; }

    /// <summary>Gets whether its outages are planned (scheduled maintenance): reported apart, known at once, no data lost.</summary>
    public bool Planned => Schedule is not null;
}
