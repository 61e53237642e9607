using DisasterSim.Engine.Randomness;

namespace DisasterSim.Tests.Engine.Randomness;

public class RandomStreamsTests
{
    private static readonly string[] SourceNames =
        ["threat:fire:arrivals", "component:hq-san:failures", "service:erp:detection", "data:erp-db:lag"];

    [Theory]
    [InlineData("threat:fire:arrivals", 0xFA40CCA50D8E69AFUL)]
    [InlineData("component:hq-san:failures", 0x60C4373E151E8215UL)]
    [InlineData("service:erp:detection", 0x222906213DD82D3EUL)]
    [InlineData("data:erp-db:lag", 0xE7E581E3D8E1795DUL)]
    [InlineData("", 0xF52A15E9A9B5E89BUL)]
    public void SourceKey_KnownName_StableGoldenValue(string name, ulong expected)
    {
        // Golden values from an independent FNV-1a 64 (UTF-8) + SplitMix64 finaliser script:
        // changing them would silently change every stored result.
        Assert.Equal(expected, RandomStreams.SourceKey(name));
    }

    [Fact]
    public void SourceKey_CaseAndOneCharacter_GiveDifferentKeys()
    {
        ulong a = RandomStreams.SourceKey("threat:fire:arrivals");
        Assert.NotEqual(a, RandomStreams.SourceKey("threat:Fire:arrivals"));
        Assert.NotEqual(a, RandomStreams.SourceKey("threat:fire:arrival"));
        Assert.NotEqual(RandomStreams.SourceKey("ab"), RandomStreams.SourceKey("ba"));
    }

    [Fact]
    public void SourceKey_NonAscii_UsesUtf8Bytes()
    {
        // "é" is C3 A9 in UTF-8: FNV-1a over those two bytes, then Mix.
        ulong h = 0xCBF29CE484222325UL;
        foreach (byte b in new byte[] { 0xC3, 0xA9 })
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        Assert.Equal(SplitMix64.Mix(h), RandomStreams.SourceKey("é"));
    }

    [Theory]
    [InlineData(42UL, 0L, 0x9209E4CDCF8513CFUL, 0x88D18897CC6ED61DUL, 0xE5822E0DFC7E9A35UL, 0x5E519E1470C70D1CUL)]
    [InlineData(42UL, 1L, 0xF2F1C838AA92AA49UL, 0x03B02952F8250947UL, 0xD6535E665D9C9A68UL, 0x73337C7A1011CF3DUL)]
    [InlineData(0UL, 0L, 0xF4E4560C229464DDUL, 0x7585062E634BDB05UL, 0x00F8F2B649CCB0A8UL, 0x104B43350D297FA2UL)]
    [InlineData(42UL, 123456789L, 0xBEA81C679C94FFE9UL, 0x814604FBC6CCE4A2UL, 0x334C083630235918UL, 0xC07EFCA1A42CC7ACUL)]
    public void For_FireArrivals_GoldenStream(ulong seed, long trial, ulong streamSeed, ulong first, ulong second, ulong third)
    {
        ulong key = RandomStreams.SourceKey("threat:fire:arrivals");
        Assert.Equal(streamSeed, RandomStreams.StreamSeed(seed, trial, key));
        var rng = RandomStreams.For(seed, trial, key);
        Assert.Equal(first, rng.NextUInt64());
        Assert.Equal(second, rng.NextUInt64());
        Assert.Equal(third, rng.NextUInt64());
    }

    [Fact]
    public void StreamSeed_NegativeTrial_UsesTwosComplement()
    {
        Assert.Equal(0xAB99E0C0E894B776UL, RandomStreams.StreamSeed(7, -1, 5));
    }

    [Fact]
    public void For_ManyTrialsAndSources_AllStreamsDistinct()
    {
        var seeds = new HashSet<ulong>();
        var firstOutputs = new HashSet<ulong>();
        foreach (ulong masterSeed in new ulong[] { 0, 1, 42 })
        {
            foreach (string name in SourceNames)
            {
                ulong key = RandomStreams.SourceKey(name);
                for (long trial = 0; trial < 2000; trial++)
                {
                    Assert.True(seeds.Add(RandomStreams.StreamSeed(masterSeed, trial, key)));
                    Assert.True(firstOutputs.Add(RandomStreams.For(masterSeed, trial, key).NextUInt64()));
                }
            }
        }
    }

    [Fact]
    public void For_SameArguments_SameStream()
    {
        ulong key = RandomStreams.SourceKey("service:erp:detection");
        var a = RandomStreams.For(5, 17, key);
        var b = RandomStreams.For(5, 17, key);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void For_NeighbouringTrialsAndSources_Uncorrelated()
    {
        const int n = 20_000;
        ulong fire = RandomStreams.SourceKey(SourceNames[0]);
        ulong san = RandomStreams.SourceKey(SourceNames[1]);
        (long Trial, ulong Key)[] others = [(1, fire), (0, san), (1, san)];
        foreach ((long trial, ulong key) in others)
        {
            var a = RandomStreams.For(42, 0, fire);
            var b = RandomStreams.For(42, trial, key);
            double sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;
            for (int i = 0; i < n; i++)
            {
                double x = a.NextDouble(), y = b.NextDouble();
                sa += x;
                sb += y;
                sab += x * y;
                saa += x * x;
                sbb += y * y;
            }

            double cov = (sab / n) - (sa / n * (sb / n));
            double r = cov / Math.Sqrt(((saa / n) - (sa / n * (sa / n))) * ((sbb / n) - (sb / n * (sb / n))));

            // Under independence r ≈ N(0, 1/n); 4 sd.
            Assert.InRange(r, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        }
    }

    [Fact]
    public void SourceKey_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RandomStreams.SourceKey(null!));
    }

    [Theory]
    [InlineData(0UL, 0L)]
    [InlineData(2026UL, 7L)]
    [InlineData(ulong.MaxValue, long.MaxValue)]
    [InlineData(42UL, -1L)]
    public void ForTrial_WithTheTrialKey_SameStreamAsFor(ulong seed, long trial)
    {
        ulong key = RandomStreams.SourceKey("component:san:failures");
        var expected = RandomStreams.For(seed, trial, key);

        var actual = RandomStreams.ForTrial(RandomStreams.TrialKey(seed, trial), key);

        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(expected.NextUInt64(), actual.NextUInt64());
        }
    }
}
