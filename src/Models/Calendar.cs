using System.Collections.Immutable;

namespace DisasterSim.Models;

/// <summary>How often a scheduled window recurs.</summary>
public enum Recurrence
{
    /// <summary>Every day.</summary>
    Daily,

    /// <summary>Every week on <see cref="MaintenanceSchedule.Weekday"/>.</summary>
    Weekly,

    /// <summary>Every month on the <see cref="MaintenanceSchedule.WeekOfMonth"/>-th <see cref="MaintenanceSchedule.Weekday"/>.</summary>
    Monthly,
}

/// <summary>
/// A calendar rule for planned windows, e.g. patch Tuesday: monthly, the 2nd Tuesday, at 22:00.
/// </summary>
/// <param name="Recurrence">Daily, weekly or monthly.</param>
/// <param name="Weekday">Day of the week (weekly and monthly).</param>
/// <param name="WeekOfMonth">Which occurrence of the weekday in the month (monthly). Range: 1-5; 5 stands for the last.</param>
/// <param name="TimeOfDay">Local start time of the window.</param>
public sealed record MaintenanceSchedule(Recurrence Recurrence, DayOfWeek Weekday, int WeekOfMonth, TimeSpan TimeOfDay)
{
    /// <summary>The window starts at or after <paramref name="from"/> up to <paramref name="until"/>, in calendar time.</summary>
    public IEnumerable<DateTime> Starts(DateTime from, DateTime until)
    {
        for (var day = from.Date; day <= until; day = day.AddDays(1))
        {
            var start = day + TimeOfDay;
            if (start >= from && start < until && Matches(day))
            {
                yield return start;
            }
        }
    }

    private bool Matches(DateTime day) => Recurrence switch
    {
        Recurrence.Daily => true,
        Recurrence.Weekly => day.DayOfWeek == Weekday,
        _ => day.DayOfWeek == Weekday && (WeekOfMonth == 5
            ? day.AddDays(7).Month != day.Month
            : ((day.Day - 1) / 7) + 1 == WeekOfMonth),
    };
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
