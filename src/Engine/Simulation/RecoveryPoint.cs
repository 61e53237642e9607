namespace DisasterSim.Engine.Simulation;

/// <summary>Where a recovery point comes from.</summary>
internal enum RecoverySource : byte
{
    /// <summary>No usable copy survives: the data set is rebuilt empty (a total loss).</summary>
    Nothing,

    /// <summary>A job of one of the data set's backup policies.</summary>
    Backup,

    /// <summary>A copy kept in place at the primary (the storage, or a mirror beside it) that fell behind the live data.</summary>
    InPlaceCopy,

    /// <summary>The replica at the standby, promoted by a failover.</summary>
    Replica,

    /// <summary>A copy of a backup policy's job that a courier took to the policy's offsite vault.</summary>
    Vault,
}

/// <summary>A copy a data set can be recovered from, as the recovery decision sees it.</summary>
/// <param name="Source">A backup job, a copy in place, a replica, or nothing.</param>
/// <param name="Index">The backup policy or the copy's index; −1 for nothing.</param>
/// <param name="Position">The copy's position on the data set's change clock.</param>
/// <param name="Clock">The change clock when the copy's content was current (for checks: loss ≤ clock now − this).</param>
/// <param name="RestoreHours">How long restoring it takes once started.</param>
/// <param name="Reachable">Whether it can be read now (its destination is up).</param>
/// <param name="TakenAt">When its content was read from the live data (a backup job's start; −∞ when unknown).</param>
/// <param name="PickedUpAt">For a vault copy, the courier's pickup that took it there; NaN otherwise.</param>
/// <param name="KeptBy">For a backup job or a vault copy: −1 its plain retention, 0-3 the daily, weekly, monthly or yearly tier.</param>
internal readonly record struct RecoveryPoint(
    RecoverySource Source, int Index, double Position, double Clock, double RestoreHours, bool Reachable, double TakenAt = double.NegativeInfinity, double PickedUpAt = double.NaN, int KeptBy = -1)
{
    /// <summary>No usable copy: rebuild empty, at once.</summary>
    public static RecoveryPoint None { get; } = new(RecoverySource.Nothing, -1, double.NegativeInfinity, double.NegativeInfinity, 0, true);

    /// <summary>Gets whether it is clean of an infection at <paramref name="infectedAt"/>: only a backup job that started before it is.</summary>
    public bool CleanOf(double infectedAt) => Source switch
    {
        RecoverySource.Nothing => true,
        RecoverySource.Backup or RecoverySource.Vault => TakenAt < infectedAt,
        RecoverySource.InPlaceCopy or RecoverySource.Replica => false,
    };

    /// <summary>
    /// Gets the number the trace shows for it: the backup policy's index, −1 a replica, −2 nothing, −3 a copy in place,
    /// −4 − i the vault of backup policy i.
    /// </summary>
    public int TraceCode => Source switch
    {
        RecoverySource.Nothing => -2,
        RecoverySource.Backup => Index,
        RecoverySource.InPlaceCopy => -3,
        RecoverySource.Replica => -1,
        RecoverySource.Vault => VaultTraceCode(Index),
    };

    /// <summary>The trace code of a copy in the vault of backup policy <paramref name="backup"/>.</summary>
    public static int VaultTraceCode(int backup) => -4 - backup;

    /// <summary>
    /// Whether this copy is better than <paramref name="other"/>: newer; at the same position faster to restore (a copy whose
    /// destination is down is waited for, as the newest is), then reachable now.
    /// </summary>
    public bool IsBetterThan(in RecoveryPoint other) =>
        Position > other.Position
        || (Position == other.Position && (RestoreHours < other.RestoreHours || (RestoreHours == other.RestoreHours && Reachable && !other.Reachable)));
}

/// <summary>The data a recovery lost, in hours of changes and GB.</summary>
/// <param name="Hours">Hours of changes lost (for a total loss, the size over the change rate).</param>
/// <param name="Gb">GB lost.</param>
/// <param name="Total">Whether no recovery point survived.</param>
internal readonly record struct Loss(double Hours, double Gb, bool Total);
