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
    double ShareNonZero);
