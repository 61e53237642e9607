namespace DisasterSim.Engine.Simulation;

/// <summary>A calendar period that retention tiers group copies by.</summary>
internal enum CalendarPeriod : byte
{
    /// <summary>A calendar day, from midnight.</summary>
    Day,

    /// <summary>An ISO week, from Monday 00:00.</summary>
    Week,

    /// <summary>A calendar month.</summary>
    Month,

    /// <summary>A calendar year.</summary>
    Year,
}

/// <summary>
/// Where calendar periods start, in trial hours, by integer arithmetic on days (proleptic Gregorian calendar, no time
/// zone), so that any time a trial can reach has an answer without <see cref="DateTime"/>'s range.
/// </summary>
internal static class CalendarPeriods
{
    /// <summary>Gets the hours from 1970-01-01 00:00 to <paramref name="start"/>, the origin the periods are computed from.</summary>
    public static double OriginHours(DateTime start) => (start - DateTime.UnixEpoch).TotalHours;

    /// <summary>The start of the period of kind <paramref name="period"/> that holds trial hour <paramref name="time"/>.</summary>
    /// <param name="period">Day, week, month or year.</param>
    /// <param name="time">Hours since the trial's start.</param>
    /// <param name="origin">Hours from 1970-01-01 00:00 to the trial's start (<see cref="OriginHours"/>).</param>
    public static double Start(CalendarPeriod period, double time, double origin)
    {
        long day = (long)Math.Floor((time + origin) / 24);
        long first = period switch
        {
            CalendarPeriod.Day => day,

            // 1970-01-01 was a Thursday: Monday is three days before.
            CalendarPeriod.Week => day - FloorMod(day + 3, 7),
            CalendarPeriod.Month => FirstOfMonth(day),
            CalendarPeriod.Year => FirstOfYear(day),
        };
        return (first * 24.0) - origin;
    }

    private static long FloorMod(long a, long b) => ((a % b) + b) % b;

    private static long FirstOfMonth(long day)
    {
        var (year, month, _) = CivilFromDays(day);
        return DaysFromCivil(year, month, 1);
    }

    private static long FirstOfYear(long day) => DaysFromCivil(CivilFromDays(day).Year, 1, 1);

    /// <summary>Days since 1970-01-01 of a date (H. Hinnant's algorithm, valid for every day a long holds).</summary>
    internal static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        long era = (year >= 0 ? year : year - 399) / 400;
        long yearOfEra = year - (era * 400);
        long dayOfYear = ((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5 + day - 1;
        long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    /// <summary>The date of a day counted from 1970-01-01.</summary>
    internal static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719468;
        long era = (days >= 0 ? days : days - 146096) / 146097;
        long dayOfEra = days - (era * 146097);
        long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
        long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        long mp = ((5 * dayOfYear) + 2) / 153;
        int day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
        int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return ((yearOfEra + (era * 400)) + (month <= 2 ? 1 : 0), month, day);
    }
}
