namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Backups are computed, never simulated as events: job k of a policy starts at <c>offset + k × interval</c>, holds the live
/// data's position at its start, and is usable from <c>start + duration</c>. When a copy is needed, the newest job is
/// searched that completed, read its source for the whole job (the live data was served where the policy runs: at the
/// primary, at the standby, or either), wrote to a destination that was up for the whole job and has not been destroyed
/// since, had not expired when the incident started (its plain retention, or a retention tier that keeps the newest job of
/// its day, week, month or year), and (for corrupted data) started before the infection. Jobs before hour 0 exist (warm
/// start). A policy that models faults also skips the jobs the operator knows are bad (<see cref="BackupFaults.Policy.Next"/>).
/// </summary>
internal static class BackupJobs
{
    /// <summary>Finds the newest usable job of <paramref name="backup"/>.</summary>
    /// <param name="backup">The policy.</param>
    /// <param name="now">The time of the search, hours.</param>
    /// <param name="expiryFrozenAt">Copies that had not expired by then are kept (a declared disaster suspends expiry).</param>
    /// <param name="startsBefore">Jobs must start before this (an infection's time; +∞ for clean data).</param>
    /// <param name="unreadable">The periods during which the policy's jobs could not read the data set's live data.</param>
    /// <param name="estate">The estate, for the destination's down periods and destruction.</param>
    /// <param name="log">The data set's positions.</param>
    /// <param name="faults">The policy's faults; null when it models none.</param>
    /// <param name="start">The job's start, when found.</param>
    /// <param name="tier">What kept it: −1 its plain retention, 0-3 the daily, weekly, monthly or yearly tier.</param>
    /// <returns>Whether a usable job exists.</returns>
    public static bool Newest(
        CompiledBackup backup, double now, double expiryFrozenAt, double startsBefore, IntervalLog unreadable, Estate estate, PositionLog log, BackupFaults.Policy? faults, out double start, out int tier)
    {
        var jobs = new Jobs(backup, unreadable, estate);
        double destroyedAt = estate.LocationDestroyedAt(backup.Destination);
        double top = Math.Floor((now - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours);
        if (double.IsFinite(startsBefore))
        {
            top = Math.Min(top, jobs.NewestBefore(startsBefore));
        }

        // The newest job that worked; older copies were destroyed with the destination, or had expired when the incident struck.
        double k = jobs.NewestMade(top);
        tier = -1;
        while (true)
        {
            start = jobs.Label(k);
            double end = start + backup.DurationHours;
            if (double.IsNaN(k) || end <= destroyedAt)
            {
                return false;
            }

            if (end + backup.RetentionHours < expiryFrozenAt)
            {
                break;
            }

            // A job the operator knows to be bad (it failed, a failed restore tried it, a found break spoiled it, it was
            // encrypted) is passed over for the next older one the faults allow.
            double next = faults is null ? k : faults.Next(k, start, end, now);
            if (next >= k)
            {
                return !double.IsNegativeInfinity(log.PositionAt(start));
            }

            if (double.IsNegativeInfinity(next))
            {
                return false;
            }

            k = jobs.NewestMade(next);
        }

        if (!backup.Tiers.Any)
        {
            return false;
        }

        // Older jobs are kept only by the tiers, ranked when the incident struck: the newest of those that qualify.
        Span<double> cursor = stackalloc double[RetentionTierWalk.Tiers];
        Span<int> left = stackalloc int[RetentionTierWalk.Tiers];
        double completed = Math.Floor((expiryFrozenAt - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours);
        RetentionTierWalk.Begin(ref jobs, backup.Tiers, completed, cursor, left);
        while (RetentionTierWalk.Next(ref jobs, backup.CalendarOriginHours, cursor, left, out k, out tier))
        {
            if (k > top)
            {
                // Not complete now, or not clean of the infection.
                continue;
            }

            start = jobs.Label(k);
            if (faults is not null && faults.Next(k, start, start + backup.DurationHours, now) != k)
            {
                // Kept by a tier, but known to be bad: the next older kept copy.
                continue;
            }

            return start + backup.DurationHours > destroyedAt && !double.IsNegativeInfinity(log.PositionAt(start));
        }

        return false;
    }

    /// <summary>
    /// The job a courier calling at <paramref name="pickup"/> takes from the destination: the newest that worked and is still
    /// there (not destroyed, not expired), provided the destination is up for the courier.
    /// </summary>
    /// <param name="backup">The policy.</param>
    /// <param name="pickup">The courier's call, hours.</param>
    /// <param name="unreadable">The periods during which the policy's jobs could not read the live data.</param>
    /// <param name="estate">The estate, for the destination's down periods and destructions.</param>
    /// <param name="start">The job's start, when one is taken.</param>
    /// <returns>Whether the courier takes a copy.</returns>
    public static bool AtPickup(CompiledBackup backup, double pickup, IntervalLog unreadable, Estate estate, out double start)
    {
        var destination = backup.Destination;
        var jobs = new Jobs(backup, unreadable, estate);
        double k = double.IsNaN(estate.LocationDownDuring(destination, pickup, pickup))
            ? jobs.NewestMade(Math.Floor((pickup - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours))
            : double.NaN;
        start = jobs.Label(k);
        double end = start + backup.DurationHours;

        // With tiers the newest job is always kept: it is the newest of its day.
        return !double.IsNaN(k) && end > estate.LastDestroyedBy(destination, pickup) && (backup.Tiers.Any || end + backup.RetentionHours >= pickup);
    }

    /// <summary>A policy's jobs as a series of copies: made when the job read its source and wrote its destination throughout.</summary>
    internal readonly struct Jobs(CompiledBackup backup, IntervalLog unreadable, Estate estate) : ICopySeries
    {
        public double Label(double k) => backup.OffsetHours + (k * backup.IntervalHours);

        public double NewestBefore(double time) => Math.Ceiling((time - backup.OffsetHours) / backup.IntervalHours) - 1;

        public double NewestMade(double k)
        {
            while (double.IsFinite(k))
            {
                double start = Label(k);
                double end = start + backup.DurationHours;
                double blocked = unreadable.LatestOverlapStart(start, end);
                if (double.IsNaN(blocked))
                {
                    blocked = estate.LocationDownDuring(backup.Destination, start, end);
                }

                if (double.IsNaN(blocked))
                {
                    return k;
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

            return double.NaN;
        }
    }
}
