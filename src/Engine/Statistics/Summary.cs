namespace DisasterSim.Engine.Statistics;

/// <summary>Descriptive statistics of a sample, computed once.</summary>
/// <param name="Count">Number of values.</param>
/// <param name="Mean">Arithmetic mean (0 for an empty sample).</param>
/// <param name="MeanCiLow">Lower end of the 95% confidence interval of the mean.</param>
/// <param name="MeanCiHigh">Upper end of the 95% confidence interval of the mean.</param>
/// <param name="StdDev">Sample standard deviation (n − 1).</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest value.</param>
/// <param name="ShareNonZero">Share of values greater than zero.</param>
/// <remarks>
/// Each percentile carries its 95% distribution-free confidence interval (<see cref="OrderStatisticInterval"/>); a
/// summary built by hand without them has intervals unbounded at both ends, which claim nothing.
/// </remarks>
public sealed record Summary(
    long Count,
    double Mean,
    double MeanCiLow,
    double MeanCiHigh,
    double StdDev,
    double P50,
    double P90,
    double P95,
    double P99,
    double P999,
    double Max,
    double ShareNonZero)
{
    /// <summary>Gets the 95% confidence interval of the population median.</summary>
    public PercentileInterval P50Interval { get; init; }

    /// <summary>Gets the 95% confidence interval of the population 90th percentile.</summary>
    public PercentileInterval P90Interval { get; init; }

    /// <summary>Gets the 95% confidence interval of the population 95th percentile.</summary>
    public PercentileInterval P95Interval { get; init; }

    /// <summary>Gets the 95% confidence interval of the population 99th percentile.</summary>
    public PercentileInterval P99Interval { get; init; }

    /// <summary>Gets the 95% confidence interval of the population 99.9th percentile.</summary>
    public PercentileInterval P999Interval { get; init; }

    /// <summary>Gets the percentiles with their intervals, from P50 to P99.9: for renderers that show them all alike.</summary>
    public IReadOnlyList<PercentileEstimate> Percentiles =>
    [
        new(Summaries.SummaryProbabilities[0], P50, P50Interval),
        new(Summaries.SummaryProbabilities[1], P90, P90Interval),
        new(Summaries.SummaryProbabilities[2], P95, P95Interval),
        new(Summaries.SummaryProbabilities[3], P99, P99Interval),
        new(Summaries.SummaryProbabilities[4], P999, P999Interval),
    ];

    /// <summary>Returns this summary with the intervals of P50 to P99.9, in that order.</summary>
    internal Summary WithIntervals(ReadOnlySpan<PercentileInterval> intervals) => this with
    {
        P50Interval = intervals[0],
        P90Interval = intervals[1],
        P95Interval = intervals[2],
        P99Interval = intervals[3],
        P999Interval = intervals[4],
    };
}

/// <summary>A confidence interval of a population percentile; an end is null where the sample cannot bound it at the confidence asked.</summary>
/// <param name="Low">The lower end, or null when the sample is too small to bound the percentile from below (at 95%: fewer than 6 values for P50, 2 for P90).</param>
/// <param name="High">The upper end, or null when the sample is too small to bound it from above (at 95%: fewer than 6 values for P50, 72 for P95, 368 for P99, 3,688 for P99.9).</param>
/// <remarks>A zero end is +0: selection and sorting order −0 and +0 arbitrarily, and the files must not depend on it.</remarks>
public readonly record struct PercentileInterval(double? Low, double? High)
{
    /// <summary>Gets the lower end, or null when the sample cannot bound the percentile from below.</summary>
    public double? Low { get; init; } = Low + 0.0;

    /// <summary>Gets the upper end, or null when the sample cannot bound the percentile from above.</summary>
    public double? High { get; init; } = High + 0.0;

    /// <summary>Gets whether both ends are bounded.</summary>
    public bool IsBounded => Low is not null && High is not null;

    /// <summary>Gets whether <paramref name="value"/> lies in the interval, its open ends unbounded.</summary>
    public bool Contains(double value) => (Low is not double low || low <= value) && (High is not double high || value <= high);
}

/// <summary>A percentile of a summary with its confidence interval.</summary>
/// <param name="Probability">The probability p (0.99 for P99).</param>
/// <param name="Value">The sample percentile (type 7).</param>
/// <param name="Interval">The 95% confidence interval of the population percentile.</param>
public readonly record struct PercentileEstimate(double Probability, double Value, PercentileInterval Interval);
