using DisasterSim.Engine.Randomness;
using DisasterSim.Models;

namespace DisasterSim.Engine.Sampling;

/// <summary>
/// Draws from the length-biased version of a distribution (density x·f(x)/E[X]): the length of the interval that covers a
/// fixed moment of a stationary renewal process, such as the dwell time of an infection still hidden at a trial's start.
/// </summary>
/// <remarks>
/// Exact for every kind: a fixed value is itself; the exponential's is a gamma of shape 2; a lognormal's is the lognormal
/// with μ + σ²; a gamma's has its shape plus one; a Weibull's is scale · G^(1/shape) with G a gamma of shape 1 + 1/shape;
/// the bounded kinds (uniform, triangular, PERT) draw from the distribution and accept a value x with probability x / max.
/// </remarks>
public readonly struct LengthBiased
{
    private readonly DistributionKind _kind;
    private readonly Sampler _sampler;
    private readonly double _power;
    private readonly double _scale;
    private readonly double _max;

    private LengthBiased(DistributionKind kind, Sampler sampler, double power = 1, double scale = 1, double max = 0)
    {
        _kind = kind;
        _sampler = sampler;
        _power = power;
        _scale = scale;
        _max = max;
    }

    /// <summary>The length-biased version of <paramref name="d"/>, whose mean must be positive.</summary>
    public static LengthBiased From(Distribution d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.Kind switch
        {
            DistributionKind.Fixed => new(d.Kind, Sampler.From(d)),
            DistributionKind.Exponential => new(d.Kind, Sampler.From(Distribution.GammaByShapeMean(2, 2 * d.A))),
            DistributionKind.LogNormal => new(d.Kind, Sampler.From(Distribution.LogNormal(d.A + (d.B * d.B), d.B))),

            // A is the shape, B the scale (mean A·B); one more unit of shape.
            DistributionKind.Gamma => new(d.Kind, Sampler.From(Distribution.GammaByShapeMean(d.A + 1, (d.A + 1) * d.B))),

            // A is the shape k, B the scale λ: (X/λ)^k is a gamma of shape 1 + 1/k.
            DistributionKind.Weibull => new(d.Kind, Sampler.From(Distribution.GammaByShapeMean(1 + (1 / d.A), 1 + (1 / d.A))), power: 1 / d.A, scale: d.B),
            DistributionKind.Uniform => new(d.Kind, Sampler.From(d), max: d.B),
            DistributionKind.Triangular or DistributionKind.Pert => new(d.Kind, Sampler.From(d), max: d.C),
        };
    }

    /// <summary>Draws one value.</summary>
    public double Sample(ref Xoshiro256StarStar rng)
    {
        switch (_kind)
        {
            case DistributionKind.Uniform or DistributionKind.Triangular or DistributionKind.Pert:
                while (true)
                {
                    double x = _sampler.Sample(ref rng);
                    if (rng.NextDouble() * _max < x)
                    {
                        return x;
                    }
                }

            case DistributionKind.Weibull:
                return _scale * Math.Pow(_sampler.Sample(ref rng), _power);
            case DistributionKind.Fixed or DistributionKind.Exponential or DistributionKind.LogNormal or DistributionKind.Gamma:
                return _sampler.Sample(ref rng);
        }

        throw new InvalidOperationException($"Unknown distribution kind {_kind}.");
    }
}
