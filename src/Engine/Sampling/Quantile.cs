using DisasterSim.Models;
using MathNet.Numerics.Distributions;

namespace DisasterSim.Engine.Sampling;

/// <summary>Upper quantiles of the scenario's distributions, for bounding how far back a trial must look.</summary>
public static class Quantile
{
    /// <summary>Returns the value that <paramref name="d"/> exceeds with probability 1 − <paramref name="p"/> (its maximum when bounded).</summary>
    /// <param name="d">The distribution.</param>
    /// <param name="p">The probability. Range: 0 &lt; p &lt; 1.</param>
    public static double Upper(Distribution d, double p) => d.Kind switch
    {
        DistributionKind.Fixed => d.A,
        DistributionKind.Exponential => Exponential.InvCDF(1 / d.A, p),
        DistributionKind.LogNormal => LogNormal.InvCDF(d.A, d.B, p),

        // A is the shape and B the scale: F(x) = 1 − exp(−(x / B)^A).
        DistributionKind.Weibull => d.B * Math.Pow(-Math.Log(1 - p), 1 / d.A),
        DistributionKind.Gamma => Gamma.InvCDF(d.A, 1 / d.B, p),
        DistributionKind.Uniform => d.B,
        DistributionKind.Triangular => d.C,
        DistributionKind.Pert => d.C,
    };
}
