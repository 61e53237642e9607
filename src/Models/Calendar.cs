using System.Collections.Immutable;

namespace DisasterSim.Models;

/// <summary>How a scheduled window recurs.</summary>
public enum Recurrence
{
    /// <summary>Every day.</summary>
    Daily,

    /// <summary>Every week on <see cref="MaintenanceSchedule.Weekday"/>.</summary>
    Weekly,

    /// <summary>Every month on the <see cref="MaintenanceSchedule.WeekOfMonth"/>-th <see cref="MaintenanceSchedule.Weekday"/>.</summary>
    Monthly,

    /// <summary>
    /// Every year in <see cref="MaintenanceSchedule.Month"/>: on day <see cref="MaintenanceSchedule.DayOfMonth"/>, or, when that
    /// is 0, on the <see cref="MaintenanceSchedule.WeekOfMonth"/>-th <see cref="MaintenanceSchedule.Weekday"/> of that month.
    /// </summary>
    Yearly,

    /// <summary>On each of <see cref="MaintenanceSchedule.Dates"/> and at no other time.</summary>
    Dates,
}

/// <summary>
/// A calendar rule for planned windows, e.g. patch Tuesday: monthly, the 2nd Tuesday, at 22:00; or twice a year on
/// given dates.
/// </summary>
/// <param name="Recurrence">Daily, weekly, monthly, yearly, or a list of dates.</param>
/// <param name="Weekday">Day of the week (weekly, monthly, and yearly by weekday).</param>
/// <param name="WeekOfMonth">Which occurrence of the weekday in the month (monthly, yearly by weekday). Range: 1-5; 5 stands for the last.</param>
/// <param name="TimeOfDay">Local start time of the window (every rule but <see cref="Recurrence.Dates"/>, whose dates carry their times).</param>
public sealed record MaintenanceSchedule(Recurrence Recurrence, DayOfWeek Weekday, int WeekOfMonth, TimeSpan TimeOfDay)
{
    /// <summary>Gets the month of a yearly window. Range: 1-12 (0 for the other rules).</summary>
    public int Month { get; init; }

    /// <summary>Gets the day of the month of a yearly window; 0 when it is given as a weekday. Range: 0-31.</summary>
    public int DayOfMonth { get; init; }

    /// <summary>Gets the window starts of <see cref="Recurrence.Dates"/>, in calendar time; empty for the other rules.</summary>
    public ImmutableArray<DateTime> Dates { get; init; } = [];

    /// <summary>Gets the months (1-12) in which windows fall; empty for every month.</summary>
    public ImmutableArray<int> Months { get; init; } = [];

    /// <summary>The window starts at or after <paramref name="from"/> and before <paramref name="until"/>, in calendar time, in order.</summary>
    public IEnumerable<DateTime> Starts(DateTime from, DateTime until)
    {
        var starts = Recurrence == Recurrence.Dates
            ? Dates.Where(d => d >= from && d < until).Order()
            : Days(from, until).Select(day => day + TimeOfDay).Where(start => start >= from && start < until);
        return starts.Where(start => Months.IsEmpty || Months.Contains(start.Month));
    }

    private IEnumerable<DateTime> Days(DateTime from, DateTime until)
    {
        for (var day = from.Date; day <= until; day = day.AddDays(1))
        {
            if (Matches(day))
            {
                yield return day;
            }
        }
    }

    private bool Matches(DateTime day) => Recurrence switch
    {
        Recurrence.Daily => true,
        Recurrence.Weekly => day.DayOfWeek == Weekday,
        Recurrence.Monthly => IsNthWeekday(day),
        Recurrence.Yearly => day.Month == Month && (DayOfMonth > 0 ? day.Day == DayOfMonth : IsNthWeekday(day)),
        Recurrence.Dates => false,
    };

    private bool IsNthWeekday(DateTime day) => day.DayOfWeek == Weekday && (WeekOfMonth == 5
        ? day.AddDays(7).Month != day.Month
        : ((day.Day - 1) / 7) + 1 == WeekOfMonth);

    /// <inheritdoc/>
    public bool Equals(MaintenanceSchedule? other) => other is not null && Recurrence == other.Recurrence && Weekday == other.Weekday
        && WeekOfMonth == other.WeekOfMonth && TimeOfDay == other.TimeOfDay && Month == other.Month && DayOfMonth == other.DayOfMonth
        && Dates.SequenceEqual(other.Dates) && Months.SequenceEqual(other.Months);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Recurrence, Weekday, WeekOfMonth, TimeOfDay, Month, DayOfMonth, Dates.Length, Months.Length);
}

/// <summary>When people are at work, and how long they take to act at other times.</summary>
/// <param name="BusinessDays">Working days.</param>
/// <param name="BusinessStart">Start of business hours.</param>
/// <param name="BusinessEnd">End of business hours.</param>
/// <param name="Holidays">Days off (dates).</param>
/// <param name="BusinessHoursResponse">Time for a person to start a manual action during business hours, hours.</param>
/// <param name="NightResponse">The same on a working day outside business hours.</param>
/// <param name="WeekendResponse">The same on weekends and holidays.</param>
public sealed record WorkCalendar(
    ImmutableArray<DayOfWeek> BusinessDays,
    TimeSpan BusinessStart,
    TimeSpan BusinessEnd,
    ImmutableArray<DateTime> Holidays,
    Distribution BusinessHoursResponse,
    Distribution NightResponse,
    Distribution WeekendResponse)
{
    /// <summary>
    /// Gets whether the day shift takes over an off-hours response still pending when business hours begin: a night or
    /// weekend response drawn longer than the time to the next business-hours start ends there, plus a business-hours response.
    /// </summary>
    public bool BusinessHoursTakeOver { get; init; }

    /// <summary>The first start of business hours after <paramref name="at"/>; null when no working day comes within 400 days.</summary>
    public DateTime? NextBusinessStart(DateTime at)
    {
        for (int i = 0; i <= 400; i++)
        {
            var day = at.Date.AddDays(i);
            if (BusinessDays.Contains(day.DayOfWeek) && !Holidays.Contains(day) && day + BusinessStart > at)
            {
                return day + BusinessStart;
            }
        }

        return null;
    }

    /// <summary>Which response applies at calendar time <paramref name="at"/>: 0 business hours, 1 night, 2 weekend or holiday.</summary>
    public int PeriodAt(DateTime at)
    {
        if (!BusinessDays.Contains(at.DayOfWeek) || Holidays.Contains(at.Date))
        {
            return 2;
        }

        return at.TimeOfDay >= BusinessStart && at.TimeOfDay < BusinessEnd ? 0 : 1;
    }
}

/// <summary>When a service goes back to its primary after a failover.</summary>
public enum FailbackTiming
{
    /// <summary>As soon as the primary is usable again.</summary>
    Immediate,

    /// <summary>At the next start of a named maintenance window.</summary>
    NextWindow,
}

/// <summary>How a service fails back: when, and the planned downtime it costs (the "second disruption" of a manual failover).</summary>
/// <param name="Timing">Immediately or in the next maintenance window.</param>
/// <param name="Window">The maintenance threat whose window is used (NextWindow only).</param>
/// <param name="Duration">Planned downtime of the failback, including copying the data back, hours.</param>
public sealed record Failback(FailbackTiming Timing, string? Window, Distribution Duration);
