using System.Runtime.CompilerServices;
using DisasterSim.Engine.Randomness;
using DisasterSim.Models;

namespace DisasterSim.Engine.Sampling;

/// <summary>A distribution compiled for fast sampling: the kind and precomputed constants, no allocation, no virtual calls.</summary>
/// <remarks>
/// Random numbers consumed per sample: Fixed none (a fixed distribution never shifts a stream);
/// Exponential, LogNormal, Weibull, Uniform and Triangular exactly one uniform (inverse transform);
/// Gamma and Pert a variable number (Marsaglia–Tsang rejection, about 2 per gamma variate for shape ≥ 1,
/// one more for shape &lt; 1). Values are in the unit of the distribution (hours). Immutable; thread-safe.
/// </remarks>
public readonly struct Sampler
{
    // Per-kind constants, laid out in From; kept as plain fields so Sample is one switch with no indirection.
    private readonly double _p0;
    private readonly double _p1;
    private readonly double _p2;
    private readonly double _p3;
    private readonly double _p4;
    private readonly double _p5;

    private Sampler(DistributionKind kind, double mean, double p0, double p1 = 0, double p2 = 0, double p3 = 0, double p4 = 0, double p5 = 0)
    {
        Kind = kind;
        Mean = mean;
        _p0 = p0;
        _p1 = p1;
        _p2 = p2;
        _p3 = p3;
        _p4 = p4;
        _p5 = p5;
    }

    /// <summary>Gets the family.</summary>
    public DistributionKind Kind { get; }

    /// <summary>Gets the exact mean of the distribution, for reference.</summary>
    public double Mean { get; }

    /// <summary>Compiles a validated distribution.</summary>
    /// <param name="d">The distribution, in canonical parameters.</param>
    public static Sampler From(Distribution d)
    {
        ArgumentNullException.ThrowIfNull(d);
        double mean = d.Mean;
        switch (d.Kind)
        {
            case DistributionKind.Fixed:
                return new(d.Kind, mean, d.A);
            case DistributionKind.Exponential:
                return new(d.Kind, mean, d.A);
            case DistributionKind.LogNormal:
                return new(d.Kind, mean, d.A, d.B);
            case DistributionKind.Weibull:
                // p0 = 1/shape, p1 = scale.
                return new(d.Kind, mean, 1.0 / d.A, d.B);
            case DistributionKind.Gamma:
            {
                // Shape < 1 is boosted: Gamma(k) = Gamma(k + 1) · U^(1/k); p2 = 1/k, or 0 for no boost.
                double shape = d.A;
                double boosted = shape < 1 ? shape + 1 : shape;
                double dd = boosted - (1.0 / 3.0);
                return new(d.Kind, mean, dd, 1.0 / Math.Sqrt(9 * dd), shape < 1 ? 1.0 / shape : 0, d.B);
            }

            case DistributionKind.Uniform:
                return new(d.Kind, mean, d.A, d.B - d.A);
            case DistributionKind.Triangular:
            {
                // Inverse CDF: F(mode) = (mode − min)/(max − min) splits the two branches.
                double range = d.C - d.A;
                return new(d.Kind, mean, d.A, d.C, (d.B - d.A) / range, range * (d.B - d.A), range * (d.C - d.B));
            }

            case DistributionKind.Pert:
            {
                // Beta(α, β) = Gα / (Gα + Gβ); α, β ≥ 1, so no shape boost is needed.
                double range = d.C - d.A;
                double alpha = 1 + (4 * (d.B - d.A) / range);
                double beta = 1 + (4 * (d.C - d.B) / range);
                double da = alpha - (1.0 / 3.0);
                double db = beta - (1.0 / 3.0);
                return new(d.Kind, mean, da, 1.0 / Math.Sqrt(9 * da), db, 1.0 / Math.Sqrt(9 * db), d.A, range);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(d), d.Kind, $"Unknown distribution kind {d.Kind}.");
        }
    }

    /// <summary>Draws one value from <paramref name="rng"/>.</summary>
    /// <param name="rng">The stream to draw from; advanced by the number of uniforms consumed.</param>
    /// <remarks>
    /// The exponential, the commonest distribution of failure processes, and the fixed value, the commonest of
    /// detection and decision delays, are drawn inline at the call site.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sample(ref Xoshiro256StarStar rng) => Kind switch
    {
        DistributionKind.Exponential => -_p0 * Math.Log(rng.NextDoubleNonZero()),
        DistributionKind.Fixed => _p0,
        _ => SampleOther(ref rng),
    };

    private double SampleOther(ref Xoshiro256StarStar rng)
    {
        switch (Kind)
        {
            case DistributionKind.Fixed:
                return _p0;
            case DistributionKind.Exponential:
                return -_p0 * Math.Log(rng.NextDoubleNonZero());
            case DistributionKind.LogNormal:
                return Math.Exp(_p0 + (_p1 * StandardNormal.Quantile(rng.NextDoubleOpen())));
            case DistributionKind.Weibull:
                return _p1 * Math.Pow(-Math.Log(rng.NextDoubleNonZero()), _p0);
            case DistributionKind.Gamma:
            {
                double g = StandardGamma(ref rng, _p0, _p1);
                if (_p2 != 0)
                {
                    g *= Math.Pow(rng.NextDoubleNonZero(), _p2);
                }

                return g * _p3;
            }

            case DistributionKind.Uniform:
                return _p0 + (_p1 * rng.NextDouble());
            case DistributionKind.Triangular:
            {
                double u = rng.NextDouble();
                return u < _p2 ? _p0 + Math.Sqrt(u * _p3) : _p1 - Math.Sqrt((1 - u) * _p4);
            }

            default:
            {
                double ga = StandardGamma(ref rng, _p0, _p1);
                double gb = StandardGamma(ref rng, _p2, _p3);
                return _p4 + (_p5 * (ga / (ga + gb)));
            }
        }
    }

    /// <summary>Draws an exponential value by its mean (not a rate), consuming exactly one uniform.</summary>
    /// <param name="rng">The stream to draw from.</param>
    /// <param name="mean">The mean. Range: mean &gt; 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExponentialByMean(ref Xoshiro256StarStar rng, double mean) => -mean * Math.Log(rng.NextDoubleNonZero());

    // Marsaglia & Tsang (2000), "A simple method for generating gamma variables", for shape d + 1/3 ≥ 1.
    // The normal comes from the inverse CDF of one uniform, so each attempt consumes exactly two uniforms.
    private static double StandardGamma(ref Xoshiro256StarStar rng, double d, double c)
    {
        while (true)
        {
            double x = StandardNormal.Quantile(rng.NextDoubleOpen());
            double v = 1 + (c * x);
            if (v <= 0)
            {
                rng.NextUInt64();
                continue;
            }

            v = v * v * v;
            double u = rng.NextDoubleNonZero();
            double x2 = x * x;
            if (u < 1 - (0.0331 * x2 * x2) || Math.Log(u) < (0.5 * x2) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }
}
