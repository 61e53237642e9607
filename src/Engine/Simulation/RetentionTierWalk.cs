using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// A periodic series of copies, numbered oldest to newest (backup jobs by job index, a vault's copies by pickup), that
/// grandfather-father-son retention walks without listing it: a copy is <em>made</em> when it succeeded (a job that read
/// its source and wrote its destination, a pickup that found a job to carry).
/// </summary>
internal interface ICopySeries
{
    /// <summary>The time copy <paramref name="k"/> is filed under (a job's start, a pickup's time): it decides its calendar period.</summary>
    double Label(double k);

    /// <summary>The newest copy at or before index <paramref name="k"/> that was made; NaN when none.</summary>
    double NewestMade(double k);

    /// <summary>The index of the newest copy filed before <paramref name="time"/>.</summary>
    double NewestBefore(double time);
}

/// <summary>
/// Grandfather-father-son retention: the copies that tiers keep at a moment <c>F</c> (the incident's start, when expiry
/// is frozen), newest first. For each tier (daily, weekly, monthly, yearly) the newest made copy completed by <c>F</c> of
/// each calendar period is kept, for the newest <c>N</c> periods that have one. The walk costs one step per kept copy
/// (and the failed copies it skips), whatever the copies' interval.
/// </summary>
internal static class RetentionTierWalk
{
    /// <summary>The number of tiers: daily, weekly, monthly, yearly.</summary>
    public const int Tiers = 4;

    /// <summary>Starts a walk: every tier's cursor at the newest copy made among those completed by <c>F</c>.</summary>
    /// <param name="series">The copies.</param>
    /// <param name="tiers">How many copies each tier keeps.</param>
    /// <param name="newestCompleted">The index of the newest copy completed by <c>F</c>.</param>
    /// <param name="cursor">Per tier, the next copy it keeps (NaN: none); <see cref="Tiers"/> long.</param>
    /// <param name="left">Per tier, how many copies it still keeps; <see cref="Tiers"/> long.</param>
    public static void Begin<T>(ref T series, in RetentionTiers tiers, double newestCompleted, Span<double> cursor, Span<int> left)
        where T : struct, ICopySeries
    {
        double first = series.NewestMade(newestCompleted);
        for (int t = 0; t < Tiers; t++)
        {
            left[t] = Count(tiers, (CalendarPeriod)t);
            cursor[t] = left[t] > 0 ? first : double.NaN;
        }
    }

    /// <summary>The next kept copy, newest first, and the finest tier that keeps it (0 daily, 1 weekly, 2 monthly, 3 yearly).</summary>
    /// <returns>False when no tier keeps another copy.</returns>
    public static bool Next<T>(ref T series, double origin, Span<double> cursor, Span<int> left, out double k, out int tier)
        where T : struct, ICopySeries
    {
        k = double.NaN;
        tier = -1;
        for (int t = 0; t < Tiers; t++)
        {
            if (!double.IsNaN(cursor[t]) && !(cursor[t] <= k))
            {
                k = cursor[t];
                tier = t;
            }
        }

        if (tier < 0)
        {
            return false;
        }

        for (int t = 0; t < Tiers; t++)
        {
            if (cursor[t] == k)
            {
                // The tier's next copy: the newest one made in an earlier period.
                left[t]--;
                cursor[t] = left[t] > 0 ? Previous(ref series, (CalendarPeriod)t, k, origin) : double.NaN;
            }
        }

        return true;
    }

    private static double Previous<T>(ref T series, CalendarPeriod period, double k, double origin)
        where T : struct, ICopySeries
    {
        double periodStart = CalendarPeriods.Start(period, series.Label(k), origin);
        return series.NewestMade(Math.Min(k - 1, series.NewestBefore(periodStart)));
    }

    /// <summary>How many copies the tier of <paramref name="period"/> keeps.</summary>
    internal static int Count(in RetentionTiers tiers, CalendarPeriod period) => period switch
    {
        CalendarPeriod.Day => tiers.Daily,
        CalendarPeriod.Week => tiers.Weekly,
        CalendarPeriod.Month => tiers.Monthly,
        CalendarPeriod.Year => tiers.Yearly,
    };
}
