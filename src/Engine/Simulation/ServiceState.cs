namespace DisasterSim.Engine.Simulation;

/// <summary>Where a service is in its lifecycle. Every phase but the two running ones is part of an open incident.</summary>
internal enum ServicePhase : byte
{
    /// <summary>Running at its primary (or, active-active, at its sites).</summary>
    RunningAtPrimary,

    /// <summary>Running at its standby after a failover or a planned switchover.</summary>
    RunningAtStandby,

    /// <summary>Down, and nobody knows yet.</summary>
    Undetected,

    /// <summary>Down and detected; nothing can be done until something it depends on changes.</summary>
    Waiting,

    /// <summary>Down and detected; a decision falls due at a time (a manual failover's wait, a person, a reassessment, the clean-up).</summary>
    DecisionDue,

    /// <summary>Failing over to the standby.</summary>
    FailingOver,

    /// <summary>Moving to the standby for planned maintenance of the primary.</summary>
    SwitchingOver,

    /// <summary>Restoring data from copies, at the primary or at the standby; paused while its target or a source is down.</summary>
    Restoring,

    /// <summary>Failing back to the primary as planned downtime.</summary>
    FailingBack,

    /// <summary>Down and detected; its failover or restore waits in the queue for a crew member.</summary>
    Queued,
}

/// <summary>One service's state in the current trial.</summary>
internal struct ServiceState
{
    public ServicePhase Phase;

    /// <summary>Whether its data lives at the standby (after a failover or switchover, until it fails back).</summary>
    public bool AtStandby;

    /// <summary>Changes whenever a scheduled event for this service becomes stale (a new incident, a new activity).</summary>
    public int Version;

    // The open incident.
    public Cause Cause;
    public bool Detected;
    public double DetectedAt;
    public double DetectionDelay;
    public int DetectedBy;

    /// <summary>When a person can act on the incident (detection plus the calendar's response time).</summary>
    public double PeopleReadyAt;
    public IncidentAction Action;

    /// <summary>Ransomware: nothing is restored before the estate is rebuilt and cleaned, until this time.</summary>
    public double CleanupUntil;

    /// <summary>Whether the decision that falls due is an estimate operator's reassessment (it comes sooner when no cause is left).</summary>
    public bool Reassessing;

    /// <summary>Whether the failover's first leg completed and its data must still be restored at the standby.</summary>
    public bool FailedOver;

    /// <summary>Whether that failover worked (else every data set is restored from backups at the standby).</summary>
    public bool FailoverWorked;

    // The restore in progress.
    public bool RestoreAtStandby;
    public double RestoreLeft;

    /// <summary>When the restore last resumed; NaN while it is paused.</summary>
    public double RestoreSince;
    public double RestoreStartedAt;

    /// <summary>Whether the restore reads from a place with a shared throughput (<see cref="SharedRestores"/> times it).</summary>
    public bool RestoreShared;

    /// <summary>Whether a planned failback waits for its time (a window, or now).</summary>
    public bool FailbackPending;

    /// <summary>The work it waits for a crew member to do (phase <see cref="ServicePhase.Queued"/>).</summary>
    public CrewWork QueuedWork;

    /// <summary>Restore-clock hours its member still spends on the restore's setup (crews with restore_work: setup).</summary>
    public double HandsOnLeft;

    /// <summary>Counts the schedulings and cancellations of the end of <see cref="HandsOnLeft"/>: a release event of an older count is stale.</summary>
    public int HandsOnEpoch;

    /// <summary>When the failover or planned failback under way ends.</summary>
    public double ActionEndsAt;

    /// <summary>Whether, when last evaluated, it was down only because a service it requires did not run.</summary>
    public bool HeldByServices;

    /// <summary>Whether it waits in line for a place at its standby site (see <see cref="StandbySites"/>).</summary>
    public bool PlaceQueued;

    /// <summary>When it first asked for the place it waits for.</summary>
    public double PlaceRequestedAt;

    /// <summary>Whether its wait in line has been traced.</summary>
    public bool PlaceWaitTraced;

    /// <summary>Whether a place is being offered to it now (only while it is evaluated to take it).</summary>
    public bool PlaceGranted;

    /// <summary>Gets whether the service runs.</summary>
    public readonly bool Running => Phase is ServicePhase.RunningAtPrimary or ServicePhase.RunningAtStandby;
}
