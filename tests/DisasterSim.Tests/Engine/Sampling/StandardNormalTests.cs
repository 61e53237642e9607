using DisasterSim.Engine.Sampling;
using MathNet.Numerics.Distributions;

namespace DisasterSim.Tests.Engine.Sampling;

public class StandardNormalTests
{
    [Fact]
    public void Quantile_GridOfProbabilities_AgreesWithMathNet()
    {
        var ps = new List<double>();
        for (int e = -300; e <= -1; e++)
        {
            ps.Add(Math.Pow(10, e));
            ps.Add(3 * Math.Pow(10, e));
        }

        for (int i = 1; i < 1000; i++)
        {
            ps.Add(i / 1000.0);
        }

        ps.AddRange([0.075, 0.0749999, 0.0750001, 0.925, 1 - 1e-10, 1 - 1e-15, 0.5 + 1e-12]);

        double worst = 0;
        foreach (double p in ps)
        {
            double expected = Normal.InvCDF(0, 1, p);
            double error = Math.Abs(StandardNormal.Quantile(p) - expected) / Math.Max(1, Math.Abs(expected));
            worst = Math.Max(worst, error);
        }

        // AS241 is good to about 1e−16; MathNet adds its own few ulps.
        Assert.True(worst < 2e-15, $"Worst relative error {worst}.");
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.9, 1.2815515655446004)]
    [InlineData(0.025, -1.959963984540054)]
    public void Quantile_KnownPoints_MatchToFifteenDigits(double p, double z)
    {
        Assert.Equal(z, StandardNormal.Quantile(p), 15);
    }

    [Fact]
    public void Quantile_Symmetric()
    {
        for (int i = 1; i < 500; i++)
        {
            // 1 − p is rounded, and the quantile's slope (up to ~30 here) magnifies that rounding.
            double p = i / 1000.0;
            Assert.Equal(-StandardNormal.Quantile(p), StandardNormal.Quantile(1 - p), 1e-13);
        }
    }

    [Theory]
    [InlineData(0.0, double.NegativeInfinity)]
    [InlineData(1.0, double.PositiveInfinity)]
    [InlineData(-0.1, double.NaN)]
    [InlineData(1.1, double.NaN)]
    [InlineData(double.NaN, double.NaN)]
    public void Quantile_EndsAndOutOfRange(double p, double expected)
    {
        Assert.Equal(expected, StandardNormal.Quantile(p));
    }
}
