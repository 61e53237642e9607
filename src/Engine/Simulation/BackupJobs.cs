namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Backups are computed, never simulated as events: job k of a policy starts at <c>offset + k × interval</c>, holds the live
/// data's position at its start, and is usable from <c>start + duration</c>. When a copy is needed, the newest job is
/// searched that completed, read its source for the whole job (the live data was served at the primary), wrote to a
/// destination that was up for the whole job and has not been destroyed since, had not expired when the incident started,
/// and (for corrupted data) started before the infection. Jobs before hour 0 exist (warm start). A policy that models faults
/// also skips the jobs the operator knows are bad (<see cref="BackupFaults.Policy.Next"/>).
/// </summary>
internal static class BackupJobs
{
    /// <summary>Finds the newest usable job of <paramref name="backup"/>.</summary>
    /// <param name="backup">The policy.</param>
    /// <param name="now">The time of the search, hours.</param>
    /// <param name="expiryFrozenAt">Copies that had not expired by then are kept (a declared disaster suspends expiry).</param>
    /// <param name="startsBefore">Jobs must start before this (an infection's time; +∞ for clean data).</param>
    /// <param name="unreadable">The periods during which the data set's live data could not be read at the primary.</param>
    /// <param name="estate">The estate, for the destination's down periods and destruction.</param>
    /// <param name="log">The data set's positions.</param>
    /// <param name="faults">The policy's faults; null when it models none.</param>
    /// <param name="start">The job's start, when found.</param>
    /// <returns>Whether a usable job exists.</returns>
    public static bool Newest(
        CompiledBackup backup, double now, double expiryFrozenAt, double startsBefore, IntervalLog unreadable, Estate estate, PositionLog log, BackupFaults.Policy? faults, out double start)
    {
        var destination = backup.Destination;
        double destroyedAt = estate.LocationDestroyedAt(destination);
        double k = Math.Floor((now - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours);
        if (double.IsFinite(startsBefore))
        {
            k = Math.Min(k, Math.Ceiling((startsBefore - backup.OffsetHours) / backup.IntervalHours) - 1);
        }

        while (double.IsFinite(k))
        {
            start = backup.OffsetHours + (k * backup.IntervalHours);
            double end = start + backup.DurationHours;
            if (end <= destroyedAt || end + backup.RetentionHours < expiryFrozenAt)
            {
                // Older copies were destroyed with the destination, or had expired when the incident struck.
                break;
            }

            double blocked = unreadable.LatestOverlapStart(start, end);
            if (double.IsNaN(blocked))
            {
                blocked = estate.LocationDownDuring(destination, start, end);
            }

            if (double.IsNaN(blocked))
            {
                double next = faults is null ? k : faults.Next(k, start, end, now);
                if (next < k)
                {
                    k = next;
                    continue;
                }

                return !double.IsNegativeInfinity(log.PositionAt(start));
            }

            // The job failed (its source or destination was down): jump to the last job that ended before that.
            double before = Math.Min(k - 1, Math.Floor((blocked - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours));
            if (!(before < k))
            {
                // No progress is possible in floating point: treat the schedule as having no usable job.
                break;
            }

            k = before;
        }

        start = double.NaN;
        return false;
    }
}
