namespace DisasterSim.Engine.Simulation;

/// <summary>How an incident ended.</summary>
public enum IncidentAction
{
    /// <summary>The cause went away before anyone detected it.</summary>
    SelfRecovered,

    /// <summary>Detected; waited for the primary to come back.</summary>
    WaitedForPrimary,

    /// <summary>Failed over to the standby site.</summary>
    FailedOver,

    /// <summary>Restored from backup at the primary once it was usable.</summary>
    Restored,

    /// <summary>Failed over to the standby and restored from backup there (no replica there).</summary>
    FailedOverAndRestored,

    /// <summary>No recovery point survived: rebuilt empty.</summary>
    RebuiltEmpty,

    /// <summary>Still open when the follow-up after the horizon ended.</summary>
    Unresolved,

    /// <summary>The failover did not work; the data was restored from backup at the standby instead.</summary>
    FailoverFailedThenRestored,

    /// <summary>A planned failback to the primary (its own planned outage).</summary>
    FailedBack,

    /// <summary>Detected while running at the standby; waited for the standby to come back, where the data was.</summary>
    WaitedForStandby,

    /// <summary>Its own primary (or standby) was ready; it waited for a service it requires to run again.</summary>
    WaitedForDependency,
}

/// <summary>One incident of one service: a maximal period during which the service did not run.</summary>
/// <param name="Trial">Trial index.</param>
/// <param name="Service">Service index.</param>
/// <param name="StartHours">Start, hours since the trial's start.</param>
/// <param name="CauseKind">Threat or component failure.</param>
/// <param name="CauseIndex">Index of the threat or component.</param>
/// <param name="Detected">Whether the outage was detected before it ended.</param>
/// <param name="DetectionDelayHours">Delay from start to detection (the drawn delay, even if it ended first).</param>
/// <param name="Action">How it ended.</param>
/// <param name="DowntimeHours">From start until the service ran again.</param>
/// <param name="DataLossHours">Largest data loss over the service's data sets, hours of changes.</param>
/// <param name="DataLossGb">Total data loss over the service's data sets, GB.</param>
/// <param name="TotalLoss">Whether some data set had no recovery point at all.</param>
/// <param name="PlannedHours">
/// The part of <paramref name="DowntimeHours"/> during which planned work (a maintenance window on what the primary needs, or a
/// planned failback) held the service down: planned hours stay planned when an unplanned outage merges with them.
/// </param>
public readonly record struct IncidentRecord(
    long Trial,
    int Service,
    double StartHours,
    CauseKind CauseKind,
    int CauseIndex,
    bool Detected,
    double DetectionDelayHours,
    IncidentAction Action,
    double DowntimeHours,
    double DataLossHours,
    double DataLossGb,
    bool TotalLoss,
    double PlannedHours = 0)
{
    /// <summary>Gets the hours of the incident that no planned work explains: what counts towards downtime and RTO.</summary>
    public double UnplannedHours => Math.Max(0, DowntimeHours - PlannedHours);

    /// <summary>
    /// Gets whether planned work explains the whole incident: it is then reported as planned downtime only, and is not an
    /// incident of the service's statistics. An incident of no length is planned when planned work started it.
    /// </summary>
    public bool IsPlanned => DowntimeHours > 0 ? PlannedHours >= DowntimeHours : CauseKind is CauseKind.Maintenance or CauseKind.Failback;
}

/// <summary>Data lost from one data set in one incident.</summary>
/// <param name="Trial">Trial index.</param>
/// <param name="DataSet">Data set index.</param>
/// <param name="StartHours">When the data was lost (the incident's start), hours since the trial's start.</param>
/// <param name="LossHours">Hours of changes lost.</param>
/// <param name="LossGb">GB lost.</param>
/// <param name="TotalLoss">No recovery point survived.</param>
public readonly record struct DataLossRecord(long Trial, int DataSet, double StartHours, double LossHours, double LossGb, bool TotalLoss);
