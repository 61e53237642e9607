namespace DisasterSim.Engine.Comparison;

/// <summary>One point of an exceedance curve.</summary>
/// <param name="X">The level, in the metric's unit.</param>
/// <param name="Probability">The share of values strictly above <paramref name="X"/>.</param>
/// <param name="Count">The number of values strictly above <paramref name="X"/>.</param>
public readonly record struct ExceedancePoint(double X, double Probability, long Count);

/// <summary>Exceedance curves, tail value at risk and the bound implied by zero occurrences.</summary>
public static class Exceedance
{
    /// <summary>The empirical exceedance probability P(X &gt; x) of each level.</summary>
    /// <param name="values">The sample (any order).</param>
    /// <param name="levels">The levels x.</param>
    public static IReadOnlyList<ExceedancePoint> Curve(double[] values, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Curve(Statistics.Sample.Of(values), levels);
    }

    /// <summary>The empirical exceedance probability P(X &gt; x) of each level, from a collected sample (past its exact budget, from its sketch).</summary>
    public static IReadOnlyList<ExceedancePoint> Curve(Statistics.Sample values, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(levels);
        var points = new ExceedancePoint[levels.Count];
        for (int i = 0; i < levels.Count; i++)
        {
            long above = values.Count - values.CountAtMost(levels[i]);
            points[i] = new ExceedancePoint(levels[i], values.Count == 0 ? 0 : above / (double)values.Count, above);
        }

        return points;
    }

    /// <summary>Levels for exceedance curves of several samples: 0, then log-spaced from the smallest positive value to the largest.</summary>
    /// <param name="samples">The samples to cover.</param>
    /// <param name="perDecade">Levels per factor of ten. Range: ≥ 1.</param>
    /// <remarks>Log spacing because downtime and loss span decades (minutes for a power cut, months for a fire).</remarks>
    public static IReadOnlyList<double> Levels(IEnumerable<double[]> samples, int perDecade = 10)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Levels(samples.Select(s => Statistics.Sample.Of(s)), perDecade);
    }

    /// <summary>Levels for exceedance curves of several collected samples, as <see cref="Levels(IEnumerable{double[]}, int)"/>: from their smallest positive value to their largest.</summary>
    public static IReadOnlyList<double> Levels(IEnumerable<Statistics.Sample> samples, int perDecade = 10)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDecade, 1);
        double low = double.PositiveInfinity;
        double high = 0;
        foreach (var sample in samples)
        {
            if (sample.SmallestPositive is double smallest)
            {
                low = Math.Min(low, smallest);
                high = Math.Max(high, sample.Summary.Max);
            }
        }

        var levels = new List<double> { 0 };
        if (high <= 0)
        {
            return levels;
        }

        int first = (int)Math.Floor(Math.Log10(low) * perDecade);
        int last = (int)Math.Ceiling(Math.Log10(high) * perDecade);
        for (int k = first; k <= last; k++)
        {
            // Rounded to 4 significant digits so the CSV shows levels a reader can type back.
            double x = Math.Pow(10, k / (double)perDecade);
            levels.Add(RoundSignificant(x, 4));
        }

        return levels;
    }

    /// <summary>Tail value at risk: the mean of the worst ⌈n(1 − p)⌉ values (at least one).</summary>
    /// <param name="values">The sample. Range: not empty.</param>
    /// <param name="p">The level, 0.95 or 0.99. Range: 0 ≤ p &lt; 1.</param>
    /// <remarks>For a continuous distribution this is E[X | X ≥ VaRₚ]; for an exponential of mean μ, VaRₚ + μ.</remarks>
    public static double TailValueAtRisk(double[] values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("The tail value at risk of no values is undefined.", nameof(values));
        }

        return Statistics.Sample.Of(values).TailValueAtRisk(p);
    }

    /// <summary>The upper confidence bound of a probability of which zero occurrences were seen in <paramref name="n"/> trials.</summary>
    /// <remarks>Solves (1 − p)ⁿ = 1 − confidence: about 3/n at 95% (the "rule of three"), 4.6/n at 99%.</remarks>
    public static double ZeroEventUpperBound(long n, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return 1 - Math.Pow(1 - confidence, 1.0 / n);
    }

    private static double RoundSignificant(double x, int digits)
    {
        double scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(x)));
        return Math.Round(x * scale) / scale;
    }
}
