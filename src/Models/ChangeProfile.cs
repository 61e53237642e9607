namespace DisasterSim.Models;

/// <summary>
/// How a data set's change rate follows the working day: its <c>change_rate_gb_per_hour</c> times a factor by the calendar
/// period (the scenario's <c>calendar</c>, or Monday to Friday 08:00-18:00 without one), so that an hour of changes lost
/// at night weighs what the night writes, not what the day does.
/// </summary>
/// <param name="BusinessHours">Factor during business hours. Range: [0, 10^6].</param>
/// <param name="Nights">Factor on a working day outside business hours. Range: [0, 10^6].</param>
/// <param name="Weekends">Factor on weekends and holidays. Range: [0, 10^6].</param>
public sealed record ChangeProfile(double BusinessHours, double Nights, double Weekends)
{
    /// <summary>Gets the factor of calendar period <paramref name="period"/> (as <see cref="WorkCalendar.PeriodAt"/>: 0 business hours, 1 night, 2 weekend).</summary>
    public double FactorOf(int period) => period switch
    {
        0 => BusinessHours,
        1 => Nights,
        2 => Weekends,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "a calendar period is 0, 1 or 2"),
    };
}
