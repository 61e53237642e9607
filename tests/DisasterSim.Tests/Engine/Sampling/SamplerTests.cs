using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using Distribution = DisasterSim.Models.Distribution;

namespace DisasterSim.Tests.Engine.Sampling;

public class SamplerTests
{
    private const int N = 200_000;

    // Each case: our distribution, the same law in MathNet's parameterisation (note rate = 1/mean and
    // 1/scale), and the exact mean and variance in closed form, computed independently of both.
    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["exponential mean 3"] = new(Distribution.ExponentialByMean(3), new Exponential(1.0 / 3), 3, 9),
        ["lognormal mu 1 sigma 0.5"] = new(
            Distribution.LogNormal(1, 0.5), new LogNormal(1, 0.5), Math.Exp(1 + 0.125), (Math.Exp(0.25) - 1) * Math.Exp(2 + 0.25)),
        ["lognormal by median 4 p90 20"] = LogNormalCase(Distribution.LogNormalByMedianP90(4, 20)),
        ["weibull shape 1.5 scale 10"] = WeibullCase(1.5, 10),
        ["weibull shape 0.7 scale 2"] = WeibullCase(0.7, 2),
        ["gamma shape 2.5 mean 5"] = new(Distribution.GammaByShapeMean(2.5, 5), new Gamma(2.5, 1.0 / 2), 5, 2.5 * 2 * 2),
        ["gamma shape 0.4 mean 2"] = new(Distribution.GammaByShapeMean(0.4, 2), new Gamma(0.4, 1.0 / 5), 2, 0.4 * 5 * 5),
        ["gamma shape 1 mean 1"] = new(Distribution.GammaByShapeMean(1, 1), new Gamma(1, 1), 1, 1),
        ["uniform 2 8"] = new(Distribution.Uniform(2, 8), new ContinuousUniform(2, 8), 5, 36.0 / 12),
        ["triangular 1 2 6"] = TriangularCase(1, 2, 6),
        ["triangular mode at min"] = TriangularCase(0, 0, 4),
        ["triangular mode at max"] = TriangularCase(1, 5, 5),
        ["pert 1 2 10"] = PertCase(1, 2, 10),
        ["pert mode at min"] = PertCase(0, 0, 8),
        ["pert symmetric"] = PertCase(2, 5, 8),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Sample_FixedSeed_MeanInside99PercentCi(string name)
    {
        Case c = Cases[name];
        double[] samples = Draw(c.Distribution, 1);
        double mean = samples.Average();
        double half = 2.5758 * Math.Sqrt(c.Variance) / Math.Sqrt(N);
        Assert.InRange(mean, c.Mean - half, c.Mean + half);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Sample_FixedSeed_PassesKolmogorovSmirnovAgainstMathNet(string name)
    {
        Case c = Cases[name];

        // Guard the reference itself against MathNet's rate-versus-mean parameterisations.
        Assert.Equal(c.Mean, c.Reference.Mean, 1e-9 * Math.Max(1, c.Mean));
        Assert.Equal(c.Variance, c.Reference.Variance, 1e-9 * Math.Max(1, c.Variance));

        double[] samples = Draw(c.Distribution, 2);
        Array.Sort(samples);
        double d = 0;
        for (int i = 0; i < N; i++)
        {
            double f = c.Reference.CumulativeDistribution(samples[i]);
            d = Math.Max(d, Math.Max(f - ((double)i / N), ((double)(i + 1) / N) - f));
        }

        Assert.True(d < 1.63 / Math.Sqrt(N), $"KS statistic {d} exceeds the 1% critical value {1.63 / Math.Sqrt(N)}.");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Mean_MatchesClosedForm(string name)
    {
        Case c = Cases[name];
        Assert.Equal(c.Mean, Sampler.From(c.Distribution).Mean, 1e-9 * c.Mean);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Sample_FixedSeed_StaysInsideSupport(string name)
    {
        Case c = Cases[name];
        var sampler = Sampler.From(c.Distribution);
        var rng = new Xoshiro256StarStar(3);
        (double min, double max) = c.Distribution.Kind is DistributionKind.Uniform or DistributionKind.Triangular or DistributionKind.Pert
            ? (c.Distribution.A, c.Distribution.Kind == DistributionKind.Uniform ? c.Distribution.B : c.Distribution.C)
            : (0.0, double.PositiveInfinity);
        for (int i = 0; i < 100_000; i++)
        {
            double x = sampler.Sample(ref rng);
            Assert.True(x >= min && x <= max && double.IsFinite(x), $"{x} outside [{min}, {max}]");
        }
    }

    [Fact]
    public void Sample_Fixed_ReturnsValueAndConsumesNoRandomness()
    {
        var sampler = Sampler.From(Distribution.Fixed(2.5));
        var rng = new Xoshiro256StarStar(11);
        var untouched = rng;
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(2.5, sampler.Sample(ref rng));
        }

        Assert.Equal(untouched.NextUInt64(), rng.NextUInt64());
        Assert.Equal(2.5, sampler.Mean);
    }

    [Theory]
    [InlineData("exponential mean 3")]
    [InlineData("lognormal mu 1 sigma 0.5")]
    [InlineData("weibull shape 1.5 scale 10")]
    [InlineData("uniform 2 8")]
    [InlineData("triangular 1 2 6")]
    public void Sample_InverseTransformKinds_ConsumeExactlyOneUniform(string name)
    {
        var sampler = Sampler.From(Cases[name].Distribution);
        var rng = new Xoshiro256StarStar(12);
        var reference = rng;
        for (int i = 0; i < 100; i++)
        {
            sampler.Sample(ref rng);
            reference.NextUInt64();
        }

        Assert.Equal(reference.NextUInt64(), rng.NextUInt64());
    }

    [Fact]
    public void Sample_Exponential_IsMinusMeanLogOfNonZeroUniform()
    {
        var sampler = Sampler.From(Distribution.ExponentialByMean(4));
        var a = new Xoshiro256StarStar(5);
        var b = a;
        var c = a;
        for (int i = 0; i < 100; i++)
        {
            double x = sampler.Sample(ref a);
            Assert.Equal(-4 * Math.Log(b.NextDoubleNonZero()), x);
            Assert.Equal(x, Sampler.ExponentialByMean(ref c, 4));
        }
    }

    [Fact]
    public void ExponentialByMean_FixedSeed_MeanInside99PercentCi()
    {
        var rng = new Xoshiro256StarStar(6);
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            sum += Sampler.ExponentialByMean(ref rng, 0.5);
        }

        double half = 2.5758 * 0.5 / Math.Sqrt(N);
        Assert.InRange(sum / N, 0.5 - half, 0.5 + half);
    }

    [Fact]
    public void Sample_LogNormalByMedianP90_EmpiricalMedianAndP90MatchWithinOrderStatisticCi()
    {
        var sampler = Sampler.From(Distribution.LogNormalByMedianP90(4, 20));
        var rng = new Xoshiro256StarStar(7);
        double[] samples = new double[N];
        for (int i = 0; i < N; i++)
        {
            samples[i] = sampler.Sample(ref rng);
        }

        Array.Sort(samples);

        // The true quantile lies between order statistics of ranks N·p ∓ 3.3·√(N·p(1 − p)) with 99.9% probability.
        foreach ((double p, double expected) in new[] { (0.5, 4.0), (0.9, 20.0) })
        {
            double spread = 3.3 * Math.Sqrt(N * p * (1 - p));
            Assert.InRange(expected, samples[(int)((N * p) - spread)], samples[(int)((N * p) + spread)]);
        }
    }

    [Fact]
    public void Sample_LogNormalSigmaZero_ReturnsMedian()
    {
        var sampler = Sampler.From(Distribution.LogNormal(Math.Log(3), 0));
        var rng = new Xoshiro256StarStar(8);
        Assert.Equal(3, sampler.Sample(ref rng), 12);
    }

    [Fact]
    public void Sample_SameSeed_SameSequence()
    {
        var sampler = Sampler.From(Distribution.Pert(1, 3, 9));
        var a = new Xoshiro256StarStar(9);
        var b = new Xoshiro256StarStar(9);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(sampler.Sample(ref a), sampler.Sample(ref b));
        }
    }

    private static double[] Draw(Distribution distribution, ulong seed)
    {
        var sampler = Sampler.From(distribution);
        var rng = new Xoshiro256StarStar(seed);
        double[] samples = new double[N];
        for (int i = 0; i < N; i++)
        {
            samples[i] = sampler.Sample(ref rng);
        }

        return samples;
    }

    private static Case LogNormalCase(Distribution d)
    {
        double s2 = d.B * d.B;
        return new(d, new LogNormal(d.A, d.B), Math.Exp(d.A + (s2 / 2)), (Math.Exp(s2) - 1) * Math.Exp((2 * d.A) + s2));
    }

    private static Case WeibullCase(double shape, double scale)
    {
        double g1 = SpecialFunctions.Gamma(1 + (1 / shape));
        double g2 = SpecialFunctions.Gamma(1 + (2 / shape));
        return new(Distribution.Weibull(shape, scale), new Weibull(shape, scale), scale * g1, scale * scale * (g2 - (g1 * g1)));
    }

    private static Case TriangularCase(double a, double mode, double c)
    {
        double variance = ((a * a) + (mode * mode) + (c * c) - (a * mode) - (a * c) - (mode * c)) / 18;
        return new(Distribution.Triangular(a, mode, c), new Triangular(a, c, mode), (a + mode + c) / 3, variance);
    }

    private static Case PertCase(double a, double mode, double c)
    {
        double range = c - a;
        double alpha = 1 + (4 * (mode - a) / range);
        double beta = 1 + (4 * (c - mode) / range);
        double mean = (a + (4 * mode) + c) / 6;
        return new(Distribution.Pert(a, mode, c), new BetaScaled(alpha, beta, a, range), mean, (mean - a) * (c - mean) / 7);
    }

    private sealed record Case(Distribution Distribution, IContinuousDistribution Reference, double Mean, double Variance);
}
