namespace DisasterSim.Models;

/// <summary>The family of a probability distribution of a non-negative quantity (usually a duration in hours).</summary>
public enum DistributionKind
{
    /// <summary>Always the same value. Parameters: A = value.</summary>
    Fixed,

    /// <summary>Exponential. Parameters: A = mean (not a rate).</summary>
    Exponential,

    /// <summary>Lognormal. Parameters: A = mu, B = sigma, of the natural log of the value.</summary>
    LogNormal,

    /// <summary>Weibull. Parameters: A = shape k, B = scale.</summary>
    Weibull,

    /// <summary>Gamma. Parameters: A = shape k, B = scale θ (mean kθ).</summary>
    Gamma,

    /// <summary>Uniform. Parameters: A = min, B = max.</summary>
    Uniform,

    /// <summary>Triangular. Parameters: A = min, B = mode, C = max.</summary>
    Triangular,

    /// <summary>PERT (scaled beta with λ = 4). Parameters: A = min, B = mode, C = max.</summary>
    Pert,
}

/// <summary>
/// A validated distribution in canonical parameters. Durations are in hours.
/// Build it through the named factory methods, which state their parameterisation.
/// </summary>
public sealed record Distribution
{
    /// <summary>The standard normal quantile at 0.90.</summary>
    public const double Z90 = 1.2815515655446004;

    /// <summary>The standard normal quantile at 0.95 (the upper end of a 90% interval).</summary>
    public const double Z95 = 1.6448536269514722;

    /// <summary>The standard normal quantile at 0.999.</summary>
    public const double Z999 = 3.090232306167813;

    private Distribution(DistributionKind kind, double a, double b = 0, double c = 0)
    {
        Kind = kind;
        A = a;
        B = b;
        C = c;
    }

    /// <summary>Gets the family.</summary>
    public DistributionKind Kind { get; }

    /// <summary>Gets the first canonical parameter (see <see cref="DistributionKind"/>).</summary>
    public double A { get; }

    /// <summary>Gets the second canonical parameter.</summary>
    public double B { get; }

    /// <summary>Gets the third canonical parameter.</summary>
    public double C { get; }

    /// <summary>A distribution that always yields <paramref name="value"/>. Range: value ≥ 0.</summary>
    public static Distribution Fixed(double value) => new(DistributionKind.Fixed, Require(value, value >= 0, nameof(value)));

    /// <summary>An exponential distribution by its mean. Range: mean &gt; 0.</summary>
    public static Distribution ExponentialByMean(double mean) => new(DistributionKind.Exponential, Require(mean, mean > 0, nameof(mean)));

    /// <summary>A lognormal distribution by mu and sigma of ln(value). Range: sigma ≥ 0.</summary>
    public static Distribution LogNormal(double mu, double sigma)
    {
        Require(mu, double.IsFinite(mu), nameof(mu));
        return new(DistributionKind.LogNormal, mu, Require(sigma, sigma >= 0, nameof(sigma)));
    }

    /// <summary>A lognormal distribution by its median and 90th percentile. Range: 0 &lt; median ≤ p90.</summary>
    public static Distribution LogNormalByMedianP90(double median, double p90)
    {
        Require(median, median > 0, nameof(median));
        Require(p90, p90 >= median, nameof(p90));
        return LogNormal(Math.Log(median), (Math.Log(p90) - Math.Log(median)) / Z90);
    }

    /// <summary>A lognormal distribution by a 90% interval: 5% of values below <paramref name="low"/>, 5% above <paramref name="high"/>.</summary>
    public static Distribution LogNormalBy90PercentInterval(double low, double high)
    {
        Require(low, low > 0, nameof(low));
        Require(high, high >= low, nameof(high));
        double mu = (Math.Log(low) + Math.Log(high)) / 2;
        return LogNormal(mu, (Math.Log(high) - Math.Log(low)) / (2 * Z95));
    }

    /// <summary>A Weibull distribution by shape k and scale. Range: k &gt; 0, scale &gt; 0.</summary>
    public static Distribution Weibull(double shape, double scale) =>
        new(DistributionKind.Weibull, Require(shape, shape > 0, nameof(shape)), Require(scale, scale > 0, nameof(scale)));

    /// <summary>A gamma distribution by shape k and mean (scale = mean / k). Range: k &gt; 0, mean &gt; 0.</summary>
    public static Distribution GammaByShapeMean(double shape, double mean) =>
        new(DistributionKind.Gamma, Require(shape, shape > 0, nameof(shape)), Require(mean, mean > 0, nameof(mean)) / shape);

    /// <summary>A uniform distribution on [min, max]. Range: 0 ≤ min ≤ max.</summary>
    public static Distribution Uniform(double min, double max) =>
        new(DistributionKind.Uniform, Require(min, min >= 0, nameof(min)), Require(max, max >= min, nameof(max)));

    /// <summary>A triangular distribution. Range: 0 ≤ min ≤ mode ≤ max, min &lt; max.</summary>
    public static Distribution Triangular(double min, double mode, double max) => ThreePoint(DistributionKind.Triangular, min, mode, max);

    /// <summary>A PERT distribution (beta with λ = 4). Range: 0 ≤ min ≤ mode ≤ max, min &lt; max.</summary>
    public static Distribution Pert(double min, double mode, double max) => ThreePoint(DistributionKind.Pert, min, mode, max);

    /// <summary>Gets the mean of the distribution.</summary>
    public double Mean => Kind switch
    {
        DistributionKind.Fixed => A,
        DistributionKind.Exponential => A,
        DistributionKind.LogNormal => Math.Exp(A + (B * B / 2)),
        DistributionKind.Weibull => B * Gamma(1 + (1 / A)),
        DistributionKind.Gamma => A * B,
        DistributionKind.Uniform => (A + B) / 2,
        DistributionKind.Triangular => (A + B + C) / 3,
        DistributionKind.Pert => (A + (4 * B) + C) / 6,
    };

    /// <summary>
    /// Gets a value the distribution exceeds with probability at most 0.1%: its 99.9th percentile where it has a closed form,
    /// Cantelli's one-sided bound (mean + standard deviation × √999) for the gamma family, and the maximum of bounded ones.
    /// </summary>
    public double P999Bound => Kind switch
    {
        DistributionKind.Fixed => A,
        DistributionKind.Exponential => A * Math.Log(1000),
        DistributionKind.LogNormal => Math.Exp(A + (B * Z999)),
        DistributionKind.Weibull => B * Math.Pow(Math.Log(1000), 1 / A),
        DistributionKind.Gamma => (A * B) + (Math.Sqrt(A) * B * Math.Sqrt(999)),
        DistributionKind.Uniform => B,
        DistributionKind.Triangular or DistributionKind.Pert => C,
        _ => throw new InvalidOperationException($"Unknown distribution kind {Kind}."),
    };

    /// <summary>
    /// Gets a value the distribution falls below with probability at most 0.1%: its 0.1th percentile where it has a closed
    /// form, the lower end of bounded ones (PERT), and for the gamma family θ·(0.001·Γ(k + 1))^(1/k), since its density
    /// below x is at most x^(k−1)/(Γ(k)·θ^k).
    /// </summary>
    public double P001Bound => Kind switch
    {
        DistributionKind.Fixed => A,
        DistributionKind.Exponential => -A * Math.Log(0.999),
        DistributionKind.LogNormal => Math.Exp(A - (B * Z999)),
        DistributionKind.Weibull => B * Math.Pow(-Math.Log(0.999), 1 / A),
        DistributionKind.Gamma => B * Math.Exp((Math.Log(0.001) + LogGamma(A + 1)) / A),
        DistributionKind.Uniform => A,
        DistributionKind.Triangular => 0.001 < (B - A) / (C - A) ? A + Math.Sqrt(0.001 * (C - A) * (B - A)) : C - Math.Sqrt(0.999 * (C - A) * (C - B)),
        DistributionKind.Pert => A,
        _ => throw new InvalidOperationException($"Unknown distribution kind {Kind}."),
    };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        DistributionKind.Fixed => $"fixed({A:R})",
        DistributionKind.Exponential => $"exponential(mean={A:R})",
        DistributionKind.LogNormal => $"lognormal(mu={A:R}, sigma={B:R})",
        DistributionKind.Weibull => $"weibull(shape={A:R}, scale={B:R})",
        DistributionKind.Gamma => $"gamma(shape={A:R}, scale={B:R})",
        DistributionKind.Uniform => $"uniform({A:R}, {B:R})",
        DistributionKind.Triangular => $"triangular({A:R}, {B:R}, {C:R})",
        DistributionKind.Pert => $"pert({A:R}, {B:R}, {C:R})",
    };

    private static Distribution ThreePoint(DistributionKind kind, double min, double mode, double max)
    {
        Require(min, min >= 0, nameof(min));
        Require(mode, mode >= min, nameof(mode));
        Require(max, max >= mode && max > min, nameof(max));
        return new(kind, min, mode, max);
    }

    private static double Require(double value, bool ok, string name) =>
        ok && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"Invalid {name} for a distribution.");

    // ln Γ(x) for x > 0: the Lanczos approximation below 100, Stirling's series (error below 1e-9) above.
    private static double LogGamma(double x) => x < 100
        ? Math.Log(Gamma(x))
        : ((x - 0.5) * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI)) + (1 / (12 * x));

    // Lanczos approximation, enough for the Weibull mean shown in messages and docs.
    private static double Gamma(double x)
    {
        if (x < 0.5)
        {
            return Math.PI / (Math.Sin(Math.PI * x) * Gamma(1 - x));
        }

        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        double a = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++)
        {
            a += g[i] / (x + i);
        }

        return Math.Sqrt(2 * Math.PI) * Math.Pow(t, x + 0.5) * Math.Exp(-t) * a;
    }
}
