using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Which copy a recovery uses: the newest usable one at the place the service is recovered (replica, kept copy, backup
/// job, retention tier or vault copy; at equal position the faster restore), and what a restore from it will take.
/// </summary>
internal sealed partial class DataCopies
{
    /// <summary>
    /// The newest copy to recover data set <paramref name="d"/> from: at the primary, a backup job or a copy kept in place;
    /// at the standby, a backup job. Corrupt data is recovered only from jobs that started before the infection.
    /// </summary>
    /// <param name="d">The data set.</param>
    /// <param name="now">The time, hours.</param>
    /// <param name="atStandby">Whether the restore's target is the standby.</param>
    /// <param name="expiryFrozenAt">The incident's start: copies that had not expired then are kept.</param>
    public RecoveryPoint NewestCopy(int d, double now, bool atStandby, double expiryFrozenAt)
    {
        var set = _sets[d];
        ref readonly var data = ref _data[d];
        var log = _logs[d];
        double startsBefore = data.Corrupt ? data.InfectedAt : double.PositiveInfinity;
        var best = RecoveryPoint.None;
        for (int b = 0; b < set.Backups.Length; b++)
        {
            var backup = set.Backups[b];
            var unreadable = Unreadable(d, backup.RunsAt);
            if (BackupJobs.Newest(backup, now, expiryFrozenAt, startsBefore, unreadable, _estate, log, backup.HasFaults ? Faults.Of(d, b) : null, out double start, out int tier))
            {
                var point = new RecoveryPoint(RecoverySource.Backup, b, log.PositionAt(start), log.ClockAt(start), backup.RestoreHours, _estate.LocationUp(backup.Destination), start, KeptBy: tier);
                if (point.IsBetterThan(best))
                {
                    best = point;
                }
            }

            if (backup.Vault is { } vault && VaultCopies.Newest(backup, now, expiryFrozenAt, startsBefore, unreadable, _estate, log, out start, out double pickedUpAt, out tier))
            {
                // The vault is outside every scope; the mean retrieval is what the choice (and an estimate) weighs.
                var point = new RecoveryPoint(
                    RecoverySource.Vault, b, log.PositionAt(start), log.ClockAt(start), vault.RetrievalMeanHours + backup.RestoreHours, true, start, pickedUpAt, tier);
                if (point.IsBetterThan(best))
                {
                    best = point;
                }
            }
        }

        if (!atStandby && !data.Corrupt && data.StandbyCopy < 0)
        {
            var copies = Copies(d);
            for (int i = 0; i < copies.Length; i++)
            {
                if (set.Copies[i].LiveMember && copies[i].Present && !copies[i].Tracking)
                {
                    var point = new RecoveryPoint(RecoverySource.InPlaceCopy, i, copies[i].Position, copies[i].Clock, 0, _estate.LocationUp(set.Copies[i].Location));
                    if (point.IsBetterThan(best))
                    {
                        best = point;
                    }
                }
            }
        }

        return best;
    }

    /// <summary>
    /// A restore starts from <paramref name="point"/>: a vault copy's retrieval time is drawn now and added to its restore; the
    /// trace says which job the copy holds, what kept it, where it was taken, and which pickup is still in transit.
    /// </summary>
    /// <param name="d">The data set.</param>
    /// <param name="point">The copy chosen by <see cref="NewestCopy"/>.</param>
    /// <param name="now">The time, hours.</param>
    /// <param name="expiryFrozenAt">The incident's start, which the choice kept copies by (for checks).</param>
    /// <returns>The copy, with the restore time it will take.</returns>
    public RecoveryPoint ForRestore(int d, RecoveryPoint point, double now, double expiryFrozenAt)
    {
        var set = _sets[d];
        if (!set.ExplainsCopies)
        {
            return point;
        }

        Choices?.Add(new CopyChoice(d, point, now, expiryFrozenAt));
        if (point.Source is RecoverySource.Backup or RecoverySource.Vault)
        {
            // Where the data lived when the job started: jobs at the primary read it there.
            bool atStandby = !double.IsNaN(_unreadable[d].LatestOverlapStart(point.TakenAt, point.TakenAt));
            _kernel.Trace(now, TraceKind.BackupJob, d, point.TraceCode, point.TakenAt, (atStandby ? 10 : 0) + point.KeptBy + 1);
        }

        if (point.Source == RecoverySource.Vault)
        {
            var backup = set.Backups[point.Index];
            double retrieval = _kernel.Sample(backup.Vault!.Retrieval, ref _retrievalRng[d]![point.Index]);
            _kernel.Trace(now, TraceKind.VaultRetrieval, d, point.Index, retrieval, point.PickedUpAt);
            point = point with { RestoreHours = retrieval + backup.RestoreHours };
        }

        for (int b = 0; b < set.Backups.Length && _kernel.Tracing; b++)
        {
            // A newer copy on the road cannot be used yet.
            var backup = set.Backups[b];
            if (backup.Vault is { } vault && VaultCopies.InTransit(backup, now) is var pickup && !double.IsNaN(pickup)
                && BackupJobs.AtPickup(backup, pickup, Unreadable(d, backup.RunsAt), _estate, out double content) && content > point.TakenAt)
            {
                _kernel.Trace(now, TraceKind.VaultInTransit, d, b, pickup + vault.TransitHours, pickup);
            }
        }

        return point;
    }

    /// <summary>The periods during which the jobs of a policy that runs at <paramref name="runsAt"/> could not read data set <paramref name="d"/>.</summary>
    internal IntervalLog Unreadable(int d, BackupRunsAt runsAt) => runsAt switch
    {
        BackupRunsAt.Primary => _unreadable[d],
        BackupRunsAt.Standby => _unreadableAtStandby[d]!,
        BackupRunsAt.Both => _unreadableAnywhere[d]!,
    };
}
