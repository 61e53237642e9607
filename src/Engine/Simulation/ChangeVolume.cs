using System.Collections.Frozen;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// A data set's change rate shaped by the working day: the factor of each calendar period (business hours, nights,
/// weekends and holidays) integrated over simulated time, so that the GB of an hour of changes lost depend on when that
/// hour was written.
/// </summary>
/// <remarks>
/// The periods are those of the scenario's <c>calendar</c> (the ones that decide a person's response), or, without one,
/// Monday to Friday 08:00-18:00 with no holidays. Time is the simulated hour from <c>simulation.start</c>, whose calendar
/// day is found by whole days (no clock changes), as everywhere else in the engine.
/// </remarks>
public sealed class ChangeVolume
{
    private static readonly DayOfWeek[] WorkingWeek = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private readonly double _business;
    private readonly double _night;
    private readonly double _weekend;
    private readonly DateTime _startDate;
    private readonly double _startHourOfDay;
    private readonly bool[] _workingDay = new bool[7];
    private readonly FrozenSet<DateTime> _holidays;
    private readonly double _opens;
    private readonly double _closes;

    public ChangeVolume(ChangeProfile profile, WorkCalendar? calendar, DateTime start)
    {
        _business = profile.BusinessHours;
        _night = profile.Nights;
        _weekend = profile.Weekends;
        _startDate = start.Date;
        _startHourOfDay = start.TimeOfDay.TotalHours;
        foreach (var day in calendar?.BusinessDays ?? [.. WorkingWeek])
        {
            _workingDay[(int)day] = true;
        }

        _holidays = (calendar?.Holidays ?? []).Select(h => h.Date).ToFrozenSet();
        _opens = calendar?.BusinessStart.TotalHours ?? 8;
        _closes = calendar?.BusinessEnd.TotalHours ?? 18;
        MaxFactor = Math.Max(_business, Math.Max(_night, _weekend));
        MinFactor = Math.Min(_business, Math.Min(_night, _weekend));
    }

    /// <summary>Gets the largest factor of any period.</summary>
    public double MaxFactor { get; }

    /// <summary>Gets the smallest factor of any period.</summary>
    public double MinFactor { get; }

    /// <summary>
    /// Gets ∫ factor(t) dt from <paramref name="from"/> to <paramref name="to"/> (simulated hours): the hours of changes
    /// at the full <c>change_rate_gb_per_hour</c> that the interval writes. 0 when the interval is empty.
    /// </summary>
    public double Integral(double from, double to)
    {
        double sum = 0;
        double t = from;
        while (t < to)
        {
            double day = Math.Floor((t + _startHourOfDay) / 24);
            double dayStart = (day * 24) - _startHourOfDay;
            double hour = t - dayStart;
            var date = _startDate.AddDays(day);
            bool working = _workingDay[(int)date.DayOfWeek] && !_holidays.Contains(date);

            // The next boundary of a period strictly after t: opening, closing, or midnight.
            double next = dayStart + (hour < _opens ? _opens : hour < _closes ? _closes : 24);
            double factor = !working ? _weekend : hour >= _opens && hour < _closes ? _business : _night;
            if (!(next > t))
            {
                next = dayStart + 24;
            }

            double end = Math.Min(next, to);
            sum += factor * (end - t);
            t = end;
        }

        return sum;
    }
}
