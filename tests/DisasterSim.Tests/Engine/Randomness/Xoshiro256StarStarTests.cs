using DisasterSim.Engine.Randomness;

namespace DisasterSim.Tests.Engine.Randomness;

public class Xoshiro256StarStarTests
{
    [Fact]
    public void NextUInt64_State1234_MatchesReferenceImplementation()
    {
        // Outputs of Blackman & Vigna's xoshiro256starstar.c from s = {1, 2, 3, 4}.
        var rng = new Xoshiro256StarStar(1, 2, 3, 4);
        ulong[] expected = [0x2D00, 0x0, 0x5A007080, 0x10E0000000009D80, 0x10E0B61CE1009D80, 0x0870021CE143AD00];
        foreach (ulong e in expected)
        {
            Assert.Equal(e, rng.NextUInt64());
        }
    }

    [Fact]
    public void NextUInt64_Seed42_StateExpandedThroughSplitMix64()
    {
        // State = four SplitMix64 outputs from 42, then the reference algorithm.
        var seeded = new Xoshiro256StarStar(42);
        var explicitState = new Xoshiro256StarStar(0xBDD732262FEB6E95, 0x28EFE333B266F103, 0x47526757130F9F52, 0x581CE1FF0E4AE394);
        ulong[] expected = [0x15780B2E0C2EC716, 0x6104D9866D113A7E, 0xAE17533239E499A1, 0xECB8AD4703B360A1];
        foreach (ulong e in expected)
        {
            Assert.Equal(e, seeded.NextUInt64());
            Assert.Equal(e, explicitState.NextUInt64());
        }
    }

    [Fact]
    public void NextDouble_Seed42_IsTop53BitsScaled()
    {
        var rng = new Xoshiro256StarStar(42);
        Assert.Equal(0.08386297105988216, rng.NextDouble());
        Assert.Equal(0.3789802506626686, rng.NextDouble());
        Assert.Equal(0.6800434110281394, rng.NextDouble());
    }

    [Fact]
    public void NextDoubleVariants_SameBits_OffsetAsDocumented()
    {
        var a = new Xoshiro256StarStar(7);
        var b = a;
        var c = a;
        for (int i = 0; i < 1000; i++)
        {
            double d = a.NextDouble();
            Assert.Equal(d + Math.Pow(2, -53), b.NextDoubleNonZero());
            double open = c.NextDoubleOpen();
            Assert.True(Math.Abs(open - d) <= Math.Pow(2, -52), $"{open} vs {d}");
        }
    }

    [Fact]
    public void Constructor_AllZeroState_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Xoshiro256StarStar(0, 0, 0, 0));
    }

    [Fact]
    public void Copy_ContinuesSameSequenceIndependently()
    {
        var a = new Xoshiro256StarStar(3);
        a.NextUInt64();
        var b = a;
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        a.NextUInt64();
        Assert.NotEqual(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void Uniforms_FixedSeed_InRangeWithMeanAndVarianceInsideCi()
    {
        const int n = 1_000_000;
        var rng = new Xoshiro256StarStar(20260101);
        double sum = 0, sumSq = 0, sumNonZero = 0, sumOpen = 0;
        double min = 1, max = 0;
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            Assert.True(u >= 0 && u < 1);
            double nz = rng.NextDoubleNonZero();
            Assert.True(nz > 0 && nz <= 1);
            double open = rng.NextDoubleOpen();
            Assert.True(open > 0 && open < 1);
            sum += u;
            sumSq += u * u;
            sumNonZero += nz;
            sumOpen += open;
            min = Math.Min(min, u);
            max = Math.Max(max, u);
        }

        // 99% intervals around the exact moments of U(0, 1): mean 1/2 (sd 1/√12), E[U²] = 1/3 (sd √(4/45)).
        double meanHalf = 2.5758 * Math.Sqrt(1.0 / 12) / Math.Sqrt(n);
        Assert.InRange(sum / n, 0.5 - meanHalf, 0.5 + meanHalf);
        Assert.InRange(sumNonZero / n, 0.5 - meanHalf, 0.5 + meanHalf);
        Assert.InRange(sumOpen / n, 0.5 - meanHalf, 0.5 + meanHalf);
        double squareHalf = 2.5758 * Math.Sqrt(4.0 / 45) / Math.Sqrt(n);
        Assert.InRange(sumSq / n, (1.0 / 3) - squareHalf, (1.0 / 3) + squareHalf);
        Assert.True(min < 1e-5 && max > 1 - 1e-5);
    }

    [Fact]
    public void NextUInt64_FixedSeed_EveryBitSetAboutHalfTheTime()
    {
        const int n = 200_000;
        var rng = new Xoshiro256StarStar(99);
        int[] ones = new int[64];
        for (int i = 0; i < n; i++)
        {
            ulong x = rng.NextUInt64();
            for (int bit = 0; bit < 64; bit++)
            {
                ones[bit] += (int)((x >> bit) & 1);
            }
        }

        // 4.5 sd keeps the chance of any of 64 false alarms below 1e-3.
        double half = 4.5 * Math.Sqrt(n * 0.25);
        Assert.All(ones, c => Assert.InRange(c, (n / 2) - half, (n / 2) + half));
    }
}
