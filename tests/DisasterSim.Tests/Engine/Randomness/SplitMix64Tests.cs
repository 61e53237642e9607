using DisasterSim.Engine.Randomness;

namespace DisasterSim.Tests.Engine.Randomness;

public class SplitMix64Tests
{
    [Fact]
    public void Next_SeedZero_MatchesReferenceOutputs()
    {
        // Reference values of Vigna's splitmix64.c for state 0 (also checked with an independent script).
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, SplitMix64.Next(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, SplitMix64.Next(ref state));
        Assert.Equal(0x06C45D188009454FUL, SplitMix64.Next(ref state));
        Assert.Equal(0xF88BB8A8724C81ECUL, SplitMix64.Next(ref state));
        Assert.Equal(0x1B39896A51A8749BUL, SplitMix64.Next(ref state));
        Assert.Equal(unchecked(5 * SplitMix64.Increment), state);
    }

    [Fact]
    public void Next_OtherSeed_MatchesReferenceOutputs()
    {
        ulong state = 0x0123456789ABCDEFUL;
        Assert.Equal(0x157A3807A48FAA9DUL, SplitMix64.Next(ref state));
        Assert.Equal(0xD573529B34A1D093UL, SplitMix64.Next(ref state));
        Assert.Equal(0x2F90B72E996DCCBEUL, SplitMix64.Next(ref state));
    }

    [Fact]
    public void Mix_KnownInputs_MatchesReference()
    {
        Assert.Equal(0UL, SplitMix64.Mix(0));
        Assert.Equal(0x5692161D100B05E5UL, SplitMix64.Mix(1));
        Assert.Equal(0x4E062702EC929EEAUL, SplitMix64.Mix(0xDEADBEEF));
    }
}
