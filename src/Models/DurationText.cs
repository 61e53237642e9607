using System.Globalization;

namespace DisasterSim.Models;

/// <summary>Reads and writes durations written as a number and a unit (<c>15m</c>, <c>1.5h</c>, <c>30d</c>).</summary>
/// <remarks>
/// Units: s (second), m (minute), h (hour), d (24 h), w (168 h), y (8,766 h = 365.25 days). The number uses the
/// invariant culture (a dot as decimal separator), has no sign and no exponent, and must be finite.
/// </remarks>
public static class DurationText
{
    /// <summary>The units accepted, for messages: <c>s, m, h, d, w or y</c>.</summary>
    public const string UnitList = "s, m, h, d, w or y";

    /// <summary>Converts a duration text to hours. Surrounding whitespace is ignored.</summary>
    /// <param name="text">The text, e.g. <c>15m</c>.</param>
    /// <param name="hours">The duration in hours when the text is valid. Range: ≥ 0, finite.</param>
    /// <returns>Whether the text is a valid duration.</returns>
    public static bool TryParseHours(string? text, out double hours)
    {
        hours = 0;
        if (text is null)
        {
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.Length < 2)
        {
            return false;
        }

        double unit = HoursPerUnit(s[^1]);
        ReadOnlySpan<char> number = s[..^1].TrimEnd();
        if (unit == 0 || !IsPlainDecimal(number))
        {
            return false;
        }

        double value = double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        hours = value * unit;
        return double.IsFinite(hours);
    }

    /// <summary>Converts a duration text to hours, or throws <see cref="FormatException"/>.</summary>
    /// <param name="text">The text, e.g. <c>15m</c>.</param>
    /// <returns>The duration in hours.</returns>
    public static double ParseHours(string text) =>
        TryParseHours(text, out double hours)
            ? hours
            : throw new FormatException($"'{text}' is not a valid duration; expected a non-negative number with a unit {UnitList} (e.g. 15m, 4h).");

    /// <summary>Gets whether the text is a plain number without a unit (a common mistake worth its own message).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether the trimmed text is a number with no unit.</returns>
    public static bool IsBareNumber(string? text) =>
        text is not null && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Formats hours in the largest unit that keeps the number short, e.g. <c>1.5h</c>, <c>30d</c>, <c>15m</c>.</summary>
    /// <param name="hours">Hours. Range: ≥ 0, finite.</param>
    /// <returns>The text, which <see cref="TryParseHours"/> reads back to about the same value.</returns>
    public static string Format(double hours)
    {
        if (!double.IsFinite(hours))
        {
            return hours.ToString(CultureInfo.InvariantCulture);
        }

        (double size, char unit)[] units = [(SimulationSettings.HoursPerYear, 'y'), (168, 'w'), (24, 'd'), (1, 'h'), (1.0 / 60, 'm'), (1.0 / 3600, 's')];
        foreach ((double size, char unit) in units)
        {
            double n = hours / size;
            if (n >= 1 && Math.Abs(n - Math.Round(n, 2)) < 1e-9)
            {
                return Math.Round(n, 2).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return hours == 0 ? "0h" : hours.ToString("0.######", CultureInfo.InvariantCulture) + "h";
    }

    private static double HoursPerUnit(char unit) => unit switch
    {
        's' => 1.0 / 3600,
        'm' => 1.0 / 60,
        'h' => 1,
        'd' => 24,
        'w' => 168,
        'y' => SimulationSettings.HoursPerYear,
        _ => 0,
    };

    // Digits with at most one dot and at least one digit: no sign, exponent, NaN or Infinity reaches double.Parse.
    private static bool IsPlainDecimal(ReadOnlySpan<char> s)
    {
        int digits = 0;
        int dots = 0;
        foreach (char c in s)
        {
            if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else if (c == '.')
            {
                dots++;
            }
            else
            {
                return false;
            }
        }

        return digits > 0 && dots <= 1;
    }
}
