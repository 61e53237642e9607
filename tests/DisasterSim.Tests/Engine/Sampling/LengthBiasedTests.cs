using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Tests.Engine.Sampling;

/// <summary>The length-biased draws against E[X²] / E[X], the mean of the length-biased distribution, in closed form.</summary>
public sealed class LengthBiasedTests
{
    private const double Z99 = 2.5758293035489004;

    public static TheoryData<string, Distribution, double> Cases()
    {
        static double Gamma(double x) => MathNet.Numerics.SpecialFunctions.Gamma(x);
        double triangularMean = (1 + 3 + 10) / 3.0;
        double triangularSquare = (((1.0 * 1) + (3 * 3) + (10 * 10) - (1 * 3) - (1 * 10) - (3 * 10)) / 18) + (triangularMean * triangularMean);
        double pertMean = (1 + (4 * 3) + 10) / 6.0;
        double pertSquare = ((pertMean - 1) * (10 - pertMean) / 7) + (pertMean * pertMean);
        return new()
        {
            { "fixed", Distribution.Fixed(5), 5 },
            { "exponential", Distribution.ExponentialByMean(4), 8 },
            { "lognormal", Distribution.LogNormal(1, 0.8), Math.Exp(1 + (1.5 * 0.64)) },
            { "gamma", Distribution.GammaByShapeMean(2.5, 5), 3.5 * 2 },
            { "weibull", Distribution.Weibull(1.7, 3), 3 * Gamma(1 + (2 / 1.7)) / Gamma(1 + (1 / 1.7)) },
            { "uniform", Distribution.Uniform(2, 6), 2 * ((2 * 2) + (2 * 6) + (6 * 6)) / (3.0 * (2 + 6)) },
            { "triangular", Distribution.Triangular(1, 3, 10), triangularSquare / triangularMean },
            { "pert", Distribution.Pert(1, 3, 10), pertSquare / pertMean },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_Mean_IsTheSecondMomentOverTheMean(string kind, Distribution distribution, double expected)
    {
        var sampler = LengthBiased.From(distribution);
        var rng = new Xoshiro256StarStar(20261206);
        const int n = 200_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double x = sampler.Sample(ref rng);
            sum += x;
            squares += x * x;
        }

        double mean = sum / n;
        double sd = Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean)));
        double halfWidth = Math.Max(Z99 * sd / Math.Sqrt(n), 1e-12);
        Assert.True(Math.Abs(mean - expected) <= halfWidth, $"{kind}: mean {mean}, expected {expected} ± {halfWidth}");
    }
}
