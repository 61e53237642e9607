namespace DisasterSim.Engine.Simulation;

/// <summary>What happened at a step of a traced trial.</summary>
public enum TraceKind
{
    /// <summary>A threat struck. Subject: threat; Value: its outage duration or rebuild lead time, hours.</summary>
    ThreatArrived,

    /// <summary>A threat's outage ended or its rebuild completed. Subject: threat.</summary>
    ThreatEnded,

    /// <summary>A component's own failure process failed it. Subject: component; Value: time to repair, hours.</summary>
    ComponentFailed,

    /// <summary>A component's own failure was repaired. Subject: component.</summary>
    ComponentRepaired,

    /// <summary>A component stopped working (for any reason, dependencies included). Subject: component.</summary>
    ComponentDown,

    /// <summary>A component works again. Subject: component.</summary>
    ComponentUp,

    /// <summary>
    /// No current copy of a data set's live data is left: destroyed (Detail 0), or corrupted by ransomware (Detail 1). Subject: data set.
    /// </summary>
    DataDestroyed,

    /// <summary>A service stopped. Subject: service; Detail: cause kind; Value: the drawn detection delay, hours.</summary>
    ServiceDown,

    /// <summary>
    /// The outage was detected. Subject: service; Detail: the monitor that saw it, or −1 for manual discovery; Value: hours until a
    /// person acts; Value2: the off-hours response the day shift cut short (calendar business_hours_take_over), else 0.
    /// </summary>
    Detected,

    /// <summary>A failover waits for its decision time. Subject: service; Value: decision time.</summary>
    FailoverScheduled,

    /// <summary>Failover started. Subject: service; Detail: 1 for a planned switchover; Value: its drawn duration, hours.</summary>
    FailoverStarted,

    /// <summary>Failover completed onto the standby. Subject: service.</summary>
    FailoverCompleted,

    /// <summary>The failover did not work (by its success probability): its data is restored at the standby. Subject: service.</summary>
    FailoverFailed,

    /// <summary>
    /// A recovery point was chosen. Subject: data set; Detail: backup index, −1 for the replica at the standby, −2 for none
    /// (total loss), −3 for a copy kept in place at the primary, −4 − index for the vault of a backup; Value: hours of changes
    /// it is behind; Value2: restore hours (with a vault's drawn retrieval).
    /// </summary>
    RecoveryPoint,

    /// <summary>A restore started. Subject: service; Detail: 0 at the primary, 1 at the standby; Value: its duration, hours.</summary>
    RestoreStarted,

    /// <summary>The service runs again. Subject: service; Detail: the incident action; Value: the incident's downtime, hours.</summary>
    ServiceUp,

    /// <summary>The service moved back from the standby to the primary. Subject: service.</summary>
    FailedBack,

    /// <summary>
    /// A power component's utility feed failed and its UPS/generator took over. Subject: component; Detail: 0 if the
    /// generator failed to start, 1 if it started, 2 if it started and fails while running; Value: hours until power is
    /// lost (∞ if never); Value2: with Detail 2, how long the generator runs before it fails, hours.
    /// </summary>
    BackupPower,

    /// <summary>A hidden infection detonated. Subject: threat; Value: clean-up time, hours; Value2: infection time.</summary>
    Detonated,

    /// <summary>A planned failback started. Subject: service; Value: its duration, hours.</summary>
    FailbackStarted,

    /// <summary>The operator estimated the remaining outage. Subject: service; Detail: 1 if failing over; Value: the estimate; Value2: the true remaining time, hours.</summary>
    Estimated,

    /// <summary>A failover stopped: the standby went down during it. Subject: service.</summary>
    FailoverAborted,

    /// <summary>A restore's clock stopped: its target or a source is down. Subject: service; Value: hours left.</summary>
    RestorePaused,

    /// <summary>A paused restore goes on. Subject: service; Value: hours left.</summary>
    RestoreResumed,

    /// <summary>A restore starts over: its target or its source was destroyed. Subject: service.</summary>
    RestoreRestarted,

    /// <summary>A planned failback waits for its time. Subject: service; Value: the time, hours.</summary>
    FailbackScheduled,

    /// <summary>A planned failback was abandoned: the primary or the standby's copy stopped working during it. Subject: service.</summary>
    FailbackAborted,

    /// <summary>
    /// A threat's aftermath raised a rate for a while. Subject: threat; Detail: 0 for its own arrival rate (aftershocks, from
    /// an arrival), 1 for the failure rates of what it hit (from the end of its outage or rebuild); Value: the factor;
    /// Value2: when the window closes, hours.
    /// </summary>
    RatesRaised,

    /// <summary>
    /// A restore attempt ended and its copy did not restore. Subject: data set; Detail: backup index; Value: the copy's job start,
    /// hours; Value2: 1 when a silent chain break spoiled it, 0 when it failed alone.
    /// </summary>
    RestoreFailed,

    /// <summary>A restore goes on with older copies for the data sets whose copy failed. Subject: service; Value: the new attempt's duration, hours.</summary>
    RestoreRetried,

    /// <summary>
    /// A chain break found by a restore test or a failed restore spoils a policy's newest job. Subject: data set; Detail: backup
    /// index; Value: when the chain broke, hours; Value2: when the break was found, hours.
    /// </summary>
    ChainBreakFound,

    /// <summary>Ransomware encrypted a backup policy's copies within its reach. Subject: data set; Detail: backup index.</summary>
    BackupsEncrypted,

    /// <summary>
    /// The backup job a restore reads, for a policy with retention tiers, a vault or jobs at the standby. Subject: data set;
    /// Detail: as <see cref="RecoveryPoint"/> (the backup's index, or −4 − index for its vault); Value: the job's start;
    /// Value2: what kept it (0 its plain retention, 1 the daily, 2 the weekly, 3 the monthly, 4 the yearly tier), plus 10
    /// when the job ran while the data lived at the standby.
    /// </summary>
    BackupJob,

    /// <summary>A copy is brought back from a vault for a restore. Subject: data set; Detail: backup index; Value: the drawn retrieval time, hours; Value2: the pickup that took it there.</summary>
    VaultRetrieval,

    /// <summary>A newer copy is still on the road to a vault when a restore starts. Subject: data set; Detail: backup index; Value: when it arrives; Value2: its pickup.</summary>
    VaultInTransit,

    /// <summary>
    /// Work waits for a crew member: nobody able to do it is free or present. Subject: service (a failover or a restore) or threat
    /// (a rebuild); Detail: the work (0 failover, 1 restore, 2 rebuild) + 4 × the members skilled for it who are away; Value: its
    /// priority (2147483647 for none); Value2: the pieces of work ahead of it.
    /// </summary>
    CrewQueued,

    /// <summary>
    /// A crew member starts a piece of work. Subject: service or threat, as for <see cref="CrewQueued"/>; Detail: member × 4 + the
    /// work (members numbered crew after crew from 0); Value: hours it waited.
    /// </summary>
    CrewAssigned,

    /// <summary>A crew member is free again. Subject: member; Detail: the work; Value: hours it took; Value2: the service, or −1 for a rebuild.</summary>
    CrewReleased,

    /// <summary>
    /// A replica behind a link has a backlog to receive (it could not receive for a while, or its link is slower than the change
    /// rate). Subject: data set; Detail: replica index; Value: the backlog, GB; Value2: hours until it is in sync (∞: not while the service writes).
    /// </summary>
    ReplicaBehind,

    /// <summary>A replica behind a link drained its backlog: it is in sync. Subject: data set; Detail: replica index.</summary>
    ReplicaCaughtUp,

    /// <summary>An empty replica behind a link is being seeded (starts or resumes). Subject: data set; Detail: replica index; Value: GB left; Value2: hours left.</summary>
    ReplicaSeeding,

    /// <summary>A replica's seeding completed: it holds the data as of the seeding's start. Subject: data set; Detail: replica index; Value: GB copied.</summary>
    ReplicaSeeded,

    /// <summary>
    /// A restore reading from a place with a shared restore throughput got a new share (a restore there started, ended, paused
    /// or resumed). Subject: data set; Detail: restores reading there now; Value: its throughput, GB an hour; Value2: hours of transfer left at it.
    /// </summary>
    RestoreShared,

    /// <summary>A down service's own primary (or standby) is ready, but a service it requires does not run: it waits for it. Subject: service; Detail: the required service; Value: 1 when it waits at its standby.</summary>
    WaitingForService,

    /// <summary>A failover or switchover waits for a place at its standby site, which is full. Subject: service; Detail: the site; Value: places taken or kept for services of higher priority.</summary>
    WaitingForPlace,

    /// <summary>The service runs at a standby that carries part of its load. Subject: service; Value: the share it cannot carry (each hour counts that much downtime-equivalent).</summary>
    RunningDegraded,
}

/// <summary>One step of a traced trial, in simulated time.</summary>
/// <param name="Time">Hours since the trial's start.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Subject">Index of the threat, component, service or data set (see <see cref="TraceKind"/>).</param>
/// <param name="Detail">A kind-specific detail (see <see cref="TraceKind"/>).</param>
/// <param name="Value">A kind-specific value (see <see cref="TraceKind"/>).</param>
/// <param name="Value2">A second kind-specific value.</param>
public readonly record struct TraceEvent(double Time, TraceKind Kind, int Subject, int Detail = 0, double Value = 0, double Value2 = 0);
