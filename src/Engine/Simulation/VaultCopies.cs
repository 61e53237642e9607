using System.Collections.Immutable;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// A backup policy's offsite vault, computed from the courier's schedule, never simulated as events. At each pickup the
/// courier takes a copy of the newest job that worked and is still at the destination (the on-site staging copy, which
/// stays there under the policy's own retention), unless the destination is down; the copy is unusable in transit and
/// usable in the vault from <c>pickup + transit</c>, kept by the vault's retention (from its arrival, or by tiers filed
/// under the pickup's time). The vault is outside every scope. A restore asks for the most recent pickup that arrived, is
/// kept, and (for corrupt data) holds a job from before the infection.
/// </summary>
internal static class VaultCopies
{
    /// <summary>Finds the newest usable vault copy of <paramref name="backup"/>.</summary>
    /// <param name="backup">The policy, with a vault.</param>
    /// <param name="now">The time of the search, hours.</param>
    /// <param name="expiryFrozenAt">Copies that had not expired by then are kept (a declared disaster suspends expiry).</param>
    /// <param name="startsBefore">The job a copy holds must start before this (an infection's time; +∞ for clean data).</param>
    /// <param name="unreadable">The periods during which the policy's jobs could not read the live data.</param>
    /// <param name="estate">The estate, for the destination's down periods and destructions.</param>
    /// <param name="log">The data set's positions.</param>
    /// <param name="start">The start of the job the copy holds, when found.</param>
    /// <param name="pickedUpAt">The pickup that brought it, when found.</param>
    /// <param name="tier">What kept it: −1 its plain retention, 0-3 the daily, weekly, monthly or yearly tier.</param>
    /// <returns>Whether a usable vault copy exists.</returns>
    public static bool Newest(
        CompiledBackup backup, double now, double expiryFrozenAt, double startsBefore, IntervalLog unreadable, Estate estate, PositionLog log,
        out double start, out double pickedUpAt, out int tier)
    {
        var vault = backup.Vault!;
        var pickups = new Pickups(backup, unreadable, estate);
        double top = Pickups.AtOrBefore(vault.Pickups, now - vault.TransitHours);
        tier = -1;

        // Copies that arrived within the retention before the incident (or after it), newest pickup first.
        for (double j = pickups.NewestMade(top); !double.IsNaN(j); j = pickups.NewestMade(j - 1))
        {
            pickedUpAt = pickups.Label(j);
            if (pickedUpAt + vault.TransitHours + vault.RetentionHours < expiryFrozenAt)
            {
                break;
            }

            if (Usable(pickups.Content, startsBefore, log, out start))
            {
                return true;
            }
        }

        if (vault.Tiers.Any)
        {
            // Older copies are kept only by the tiers, ranked when the incident struck.
            Span<double> cursor = stackalloc double[RetentionTierWalk.Tiers];
            Span<int> left = stackalloc int[RetentionTierWalk.Tiers];
            double arrived = Pickups.AtOrBefore(vault.Pickups, expiryFrozenAt - vault.TransitHours);
            RetentionTierWalk.Begin(ref pickups, vault.Tiers, arrived, cursor, left);
            while (RetentionTierWalk.Next(ref pickups, backup.CalendarOriginHours, cursor, left, out double j, out tier))
            {
                pickedUpAt = pickups.Label(j);
                // Copies inside the plain retention were weighed above; the walk moved on, so the copy's content is found again.
                if (j <= top && pickedUpAt + vault.TransitHours + vault.RetentionHours < expiryFrozenAt
                    && pickups.NewestMade(j) == j && Usable(pickups.Content, startsBefore, log, out start))
                {
                    return true;
                }
            }
        }

        start = double.NaN;
        pickedUpAt = double.NaN;
        tier = -1;
        return false;
    }

    /// <summary>The newest pickup of <paramref name="backup"/>'s vault that is in transit at <paramref name="now"/>: its time, or NaN.</summary>
    /// <remarks>A copy picked up at <c>p</c> has arrived at <c>t</c> when <c>p ≤ t − transit</c>.</remarks>
    public static double InTransit(CompiledBackup backup, double now)
    {
        var vault = backup.Vault!;
        int j = Pickups.AtOrBefore(vault.Pickups, now);
        return j >= 0 && vault.Pickups[j] > now - vault.TransitHours ? vault.Pickups[j] : double.NaN;
    }

    private static bool Usable(double content, double startsBefore, PositionLog log, out double start)
    {
        start = content;
        return content < startsBefore && !double.IsNegativeInfinity(log.PositionAt(content));
    }

    /// <summary>A vault's copies as a series: pickup j is made when the courier found a job to take; its content is that job's start.</summary>
    private struct Pickups(CompiledBackup backup, IntervalLog unreadable, Estate estate) : ICopySeries
    {
        private readonly ImmutableArray<double> _times = backup.Vault!.Pickups;

        /// <summary>Gets the start of the job the last pickup found made holds.</summary>
        public double Content { get; private set; } = double.NaN;

        /// <summary>The index of the last time in <paramref name="times"/> at or before <paramref name="time"/>; −1 for none.</summary>
        public static int AtOrBefore(ImmutableArray<double> times, double time) => Last(times, time, inclusive: true);

        public readonly double Label(double k) => _times[(int)k];

        public readonly double NewestBefore(double time) => Last(_times, time, inclusive: false);

        private static int Last(ImmutableArray<double> times, double time, bool inclusive)
        {
            int lo = 0;
            int hi = times.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (times[mid] < time || (inclusive && times[mid] == time))
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo - 1;
        }

        public double NewestMade(double k)
        {
            for (int j = (int)Math.Min(k, _times.Length - 1); j >= 0; j--)
            {
                if (BackupJobs.AtPickup(backup, _times[j], unreadable, estate, out double start))
                {
                    Content = start;
                    return j;
                }
            }

            return double.NaN;
        }
    }
}
