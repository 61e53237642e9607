using System.Globalization;

namespace DisasterSim.Cli.Charts;

/// <summary>A chart axis: its range, scale and label, and the ticks it shows.</summary>
/// <param name="Label">The label, with its unit ("downtime per year (hours)").</param>
/// <param name="Min">The smallest value shown. Range: &gt; 0 on a log axis.</param>
/// <param name="Max">The largest value shown. Range: &gt; <paramref name="Min"/>.</param>
/// <param name="Log">Whether the scale is logarithmic (base 10).</param>
public sealed record Axis(string Label, double Min, double Max, bool Log)
{
    /// <summary>An axis covering <paramref name="values"/>: logarithmic over whole decades when they span more than two, else linear from 0 with round ends.</summary>
    /// <param name="label">The label with its unit.</param>
    /// <param name="values">The values to show; non-positive ones are left off a log axis.</param>
    /// <param name="allowLog">Whether a log scale may be chosen.</param>
    public static Axis Fit(string label, IEnumerable<double> values, bool allowLog = true)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var positive = finite.Where(v => v > 0).ToList();
        if (allowLog && positive.Count > 0 && positive.Max() / positive.Min() > 100)
        {
            double lo = Math.Pow(10, Math.Floor(Math.Log10(positive.Min())));
            double hi = Math.Pow(10, Math.Ceiling(Math.Log10(positive.Max())));
            return new Axis(label, lo, hi <= lo ? lo * 10 : hi, true);
        }

        double max = finite.Count == 0 ? 1 : finite.Max();
        double min = finite.Count == 0 ? 0 : Math.Min(0, finite.Min());
        if (max <= min)
        {
            max = min + 1;
        }

        double step = NiceStep((max - min) / 5);
        return new Axis(label, Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, false);
    }

    /// <summary>Maps a value to a share of the axis length (0 at <see cref="Min"/>, 1 at <see cref="Max"/>); NaN if it cannot be shown.</summary>
    public double Fraction(double value)
    {
        if (Log)
        {
            return value <= 0 ? double.NaN : (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min));
        }

        return (value - Min) / (Max - Min);
    }

    /// <summary>The tick values: each decade on a log axis, round steps on a linear one.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        if (Log)
        {
            int first = (int)Math.Round(Math.Log10(Min));
            int last = (int)Math.Round(Math.Log10(Max));
            int stride = Math.Max(1, (last - first + 7) / 8);
            for (int k = first; k <= last; k += stride)
            {
                ticks.Add(Math.Pow(10, k));
            }

            return ticks;
        }

        double step = NiceStep((Max - Min) / 5);
        for (double v = Min; v <= Max + (step / 1e6); v += step)
        {
            ticks.Add(Math.Round(v / step) * step);
        }

        return ticks;
    }

    /// <summary>Formats a tick value briefly: 0.001, 0.5, 10, 1000, 1e+06.</summary>
    public static string FormatTick(double v)
    {
        if (v == 0)
        {
            return "0";
        }

        double a = Math.Abs(v);
        return a >= 1e5 || a < 1e-3 ? v.ToString("0.#e+0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double rough)
    {
        if (rough <= 0 || !double.IsFinite(rough))
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double r = rough / magnitude;
        double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
