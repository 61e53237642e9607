using System.Collections.Immutable;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

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

    /// <summary>Gets its generator's time to failure while running, if it can fail so.</summary>
    public Sampler? GeneratorTimeToFailure { get; init; }

    /// <summary>Gets the stream of its generator's running time to failure.</summary>
    public ulong GeneratorRunStream { get; init; }

    /// <summary>Gets the index of the data location it is (storage, replica target, backup destination), or −1.</summary>
    public int DataLocation { get; init; } = -1;

    /// <summary>Gets whether a threat's aftermath can raise its failure rate (its failures are then scheduled on an accelerated age).</summary>
    public bool Stressable { get; init; }
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

    /// <summary>Gets its priority when work competes for people, lower first; <see cref="int.MaxValue"/> when it has none.</summary>
    public int Priority { get; init; } = int.MaxValue;
}

/// <summary>A live site of an active-active service.</summary>
public readonly record struct CompiledActiveSite(int Site, int Requires, double Capacity);

/// <summary>A place a copy is kept, resolved: <paramref name="Index"/> is a component or site index (−1 offsite).</summary>
/// <param name="Kind">Site, component or offsite.</param>
/// <param name="Index">The component or site index; −1 for offsite.</param>
/// <param name="Log">The index of its down-period log among the data locations; −1 for offsite.</param>
public readonly record struct CompiledLocation(LocationKind Kind, int Index, int Log);

/// <summary>A backup policy ready for simulation.</summary>
/// <param name="RestoreHours">Setup plus size over throughput: with varying ones, the nominal time (mean setup plus size over mean throughput).</param>
public sealed record CompiledBackup(string Name, double IntervalHours, double OffsetHours, double DurationHours, CompiledLocation Destination, double RestoreHours, double RetentionHours)
{
    /// <summary>Gets the shared restore throughput its restores read through (<see cref="SimulationModel.RestorePools"/>); −1 for none.</summary>
    public int Pool { get; init; } = -1;

    /// <summary>Gets the restore's setup, hours: not shared.</summary>
    public double RestoreSetupHours { get; init; }

    /// <summary>Gets the restore's own throughput, GB an hour: the most it gets of a shared throughput.</summary>
    public double RestoreThroughputGbPerHour { get; init; }

    /// <summary>Gets whether a restore's setup or throughput varies: each attempt draws them (see <see cref="RestoreAttempts"/>).</summary>
    public bool RestoreVaries { get; init; }

    /// <summary>Gets the restore's setup time, hours.</summary>
    public Sampler RestoreSetup { get; init; }

    /// <summary>Gets the restore's throughput, GB an hour.</summary>
    public Sampler RestoreThroughput { get; init; }

    /// <summary>Gets the size a restore transfers, GB.</summary>
    public double SizeGb { get; init; }

    /// <summary>Gets the stream of its restores' setups and throughputs.</summary>
    public ulong RestoreStream { get; init; }

    /// <summary>Gets whether any fault of <see cref="BackupFaults"/> applies: failing jobs or copies, chain breaks, or copies ransomware reaches.</summary>
    public bool HasFaults { get; init; }

    /// <summary>Gets the chance that a job fails and reports it.</summary>
    public double JobFailureProbability { get; init; }

    /// <summary>Gets the chance that a copy fails to restore.</summary>
    public double CopyFailureProbability { get; init; }

    /// <summary>Gets the key of its jobs' and copies' fates (a hash of the trial, this key and the job's index).</summary>
    public ulong FateKey { get; init; }

    /// <summary>Gets whether ransomware can reach its copies (not stated: as immutable).</summary>
    public BackupExposure Exposure { get; init; } = BackupExposure.Immutable;

    /// <summary>Gets the mean time between silent breaks of its chain, hours; +∞ without breaks.</summary>
    public double BreakMeanHours { get; init; } = double.PositiveInfinity;

    /// <summary>Gets the time from a break's discovery until jobs are good again, hours.</summary>
    public double FixHours { get; init; }

    /// <summary>Gets the time between restore tests, hours; +∞ without tests.</summary>
    public double TestEveryHours { get; init; } = double.PositiveInfinity;

    /// <summary>Gets the first restore test's time after hour 0, hours.</summary>
    public double TestOffsetHours { get; init; }

    /// <summary>Gets the streams of its chain's breaks in the trial and before it.</summary>
    public ulong BreakStream { get; init; }

    /// <inheritdoc cref="BreakStream"/>
    public ulong PastBreakStream { get; init; }

    /// <summary>Gets the grandfather-father-son tiers that keep older jobs; none by default.</summary>
    public RetentionTiers Tiers { get; init; }

    /// <summary>Gets the hours from 1970-01-01 00:00 to the trial's start, which the tiers' calendar periods are counted from.</summary>
    public double CalendarOriginHours { get; init; }

    /// <summary>Gets the offsite vault a courier fills from the destination; null for none.</summary>
    public CompiledVault? Vault { get; init; }

    /// <summary>Gets where the jobs read the live data.</summary>
    public BackupRunsAt RunsAt { get; init; }
}

/// <summary>A backup policy whose copies a corruption threat encrypts when it detonates.</summary>
/// <param name="DataSet">The data set.</param>
/// <param name="Backup">The policy's index in the data set.</param>
public readonly record struct CompiledReach(int DataSet, int Backup);

/// <summary>An offsite vault ready for simulation (see <see cref="VaultCopies"/>).</summary>
/// <param name="Pickups">The courier's calls, hours from the trial's start, in order: from before hour 0 (so that a trial starts with a filled vault) to the end of the follow-up.</param>
/// <param name="TransitHours">From a pickup until the copy is in the vault.</param>
/// <param name="Retrieval">The lead time of bringing a copy back for a restore.</param>
/// <param name="RetrievalMeanHours">Its mean, which the choice of a copy and the operator's estimate weigh.</param>
/// <param name="RetentionHours">How long every vault copy is kept after it arrives (+∞ keeps all).</param>
/// <param name="Tiers">Grandfather-father-son tiers of the vault's copies, by pickup time.</param>
/// <param name="RetrievalStream">The stream of the retrieval lead times.</param>
public sealed record CompiledVault(ImmutableArray<double> Pickups, double TransitHours, Sampler Retrieval, double RetrievalMeanHours, double RetentionHours, RetentionTiers Tiers, ulong RetrievalStream);

/// <summary>A replica ready for simulation.</summary>
public sealed record CompiledReplica(ReplicationMode Mode, CompiledLocation Target, Sampler Lag)
{
    /// <summary>Gets the bandwidth of its link, GB an hour; 0 when the link is not modelled (it keeps up with any change rate).</summary>
    public double LinkBandwidthGbPerHour { get; init; }

    /// <summary>Gets the component that is its link; −1 for none.</summary>
    public int LinkVia { get; init; } = -1;
}

/// <summary>A restore throughput shared by every restore from one place (processor sharing).</summary>
/// <param name="Place">What shares it: <c>offsite</c>, <c>site NAME</c> or <c>component NAME</c>.</param>
/// <param name="CapacityGbPerHour">GB an hour, split evenly among the restores reading at once, each getting at most its own throughput.</param>
public sealed record CompiledRestorePool(string Place, double CapacityGbPerHour);

/// <summary>What a copy of a data set is.</summary>
public enum CopyRole
{
    /// <summary>The data set's storage: its home at the primary.</summary>
    Storage,

    /// <summary>A continuously maintained replica.</summary>
    Replica,

    /// <summary>Storage at the standby site that a restore there fills (when no replica is usable).</summary>
    StandbyWorkingCopy,
}

/// <summary>One copy of a data set that the simulation tracks position by position (backups are computed instead).</summary>
/// <param name="Role">Storage, replica or standby working copy.</param>
/// <param name="Location">Where it is kept.</param>
/// <param name="Replica">The index of the replica among the data set's replicas; −1 for the others.</param>
/// <param name="LiveMember">
/// Whether it holds the live data while the service runs at its primary: the storage, and a synchronous mirror at the
/// storage's site (at any site for an active-active service).
/// </param>
/// <param name="AtStandby">Whether it stands at the service's standby site.</param>
public readonly record struct CompiledCopy(CopyRole Role, CompiledLocation Location, int Replica, bool LiveMember, bool AtStandby);

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
    ulong LagStream)
{
    /// <summary>Gets its copies: the storage first, then each replica, then the standby working copy if the service has a standby.</summary>
    public ImmutableArray<CompiledCopy> Copies { get; init; } = [];

    /// <summary>Gets the first replica at the standby site; −1 for none.</summary>
    public int StandbyReplica { get; init; } = -1;

    /// <summary>Gets whether more than one replica is kept at the standby site (a failover then promotes the newest of them).</summary>
    public bool SeveralStandbyReplicas { get; init; }

    /// <summary>Gets the standby working copy; −1 when the service has no standby.</summary>
    public int StandbyWorkingCopy { get; init; } = -1;

    /// <summary>Gets how its change rate follows the working day (the GB of a loss); null for a constant rate.</summary>
    public ChangeVolume? ChangeVolume { get; init; }

    /// <summary>Gets whether some backup policy runs while the data lives at the standby (its jobs read it there).</summary>
    public bool BackedUpAtStandby { get; init; }

    /// <summary>Gets whether some backup policy runs wherever the data lives.</summary>
    public bool BackedUpAnywhere { get; init; }

    /// <summary>
    /// Gets whether some backup policy has retention tiers, a vault or runs at the standby: a restore then says which job
    /// it reads and from where (<see cref="TraceKind.BackupJob"/>), and draws a vault's retrieval time.
    /// </summary>
    public bool ExplainsCopies { get; init; }

    /// <summary>Gets its loss when no recovery point survives: the whole data set, in hours of changes.</summary>
    public double TotalLossHours => ChangeRateGbPerHour > 0 ? SizeGb / ChangeRateGbPerHour : 0;
}

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

    /// <summary>
    /// Gets, for a seasonal infection, how far before hour 0 infections are drawn (and thinned by month), so that a trial starts
    /// in steady state: the dwell time's 1 − 10⁻⁶ quantile, at most ten years. 0 otherwise.
    /// </summary>
    public double WarmUpHours { get; init; }

    /// <summary>
    /// Gets, for an infection that strikes all year, the mean number of infections still hidden at hour 0 (arrival rate
    /// times mean dwell): in steady state their number is Poisson with this mean, each dwell length-biased and each
    /// infection uniformly placed in it (see <see cref="Threats"/>).
    /// </summary>
    public double HiddenAtStart { get; init; }

    /// <summary>Gets the chance that no infection is hidden at hour 0: exp(−<see cref="HiddenAtStart"/>).</summary>
    public double NoneHiddenProbability { get; init; } = 1;

    /// <summary>Gets the length-biased dwell time, for the infections hidden at hour 0.</summary>
    public LengthBiased HiddenDwell { get; init; }

    /// <summary>Gets the window starts of a planned threat, hours; default for a Poisson threat.</summary>
    public ImmutableArray<double> ScheduledStarts { get; init; }

    /// <summary>Gets whether it is planned maintenance.</summary>
    public bool Planned => !ScheduledStarts.IsDefault;

    /// <summary>Gets, for planned maintenance, the services whose primary its windows hold down (planned hours).</summary>
    public ImmutableArray<int> PlannedFor { get; init; } = [];

    /// <summary>Gets the stream for secondary draws (which sites, floods, dwell).</summary>
    public ulong SideStream { get; init; }

    /// <summary>Gets the factor of its own arrival rate during the window after each arrival (aftershocks); 1 for none.</summary>
    public double AftershockFactor { get; init; } = 1;

    /// <summary>Gets the length of the aftershock window, hours.</summary>
    public double AftershockHours { get; init; }

    /// <summary>Gets its index among the threats that raise failure rates (<see cref="SimulationModel.StressThreats"/>); −1 for none.</summary>
    public int StressIndex { get; init; } = -1;

    /// <summary>Gets the factor of the failure rates of what it hit, once it ends; 1 for none.</summary>
    public double StressFactor { get; init; } = 1;

    /// <summary>Gets how long the failure rates of what it hit stay raised, hours.</summary>
    public double StressHours { get; init; }

    /// <summary>
    /// Gets, per reached site (a single entry for a component scope), the components with a failure process that an arrival
    /// hits there: their failure rates are raised once the outage or rebuild ends. Default without a raise.
    /// </summary>
    public ImmutableArray<ImmutableArray<int>> Stressed { get; init; }

    /// <summary>Gets, per reached site, the components with a failure process at the whole site: those a flood of it stresses.</summary>
    public ImmutableArray<ImmutableArray<int>> FloodStressed { get; init; }

    /// <summary>Gets, for a corruption threat, the backup policies (online or offline) whose copies its detonation encrypts.</summary>
    public ImmutableArray<CompiledReach> Encrypts { get; init; } = [];

    /// <summary>Gets the priority of its rebuild work: the most urgent of the services whose primary it reaches.</summary>
    public int RebuildPriority { get; init; } = int.MaxValue;
}

/// <summary>A monitor check resolved to an index.</summary>
public readonly record struct CompiledCheck(CheckTarget Target, int Index, CheckType Type);

/// <summary>A monitor ready for simulation.</summary>
public sealed record CompiledMonitor(string Name, int Site, int Requires, Sampler Delay, ImmutableArray<CompiledCheck> Checks, ulong DelayStream);
