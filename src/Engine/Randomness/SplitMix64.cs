namespace DisasterSim.Engine.Randomness;

/// <summary>The SplitMix64 generator and its 64-bit finaliser (Steele, Lea and Flood, 2014).</summary>
/// <remarks>Used to expand seeds and to derive stream seeds, never as a simulation generator.</remarks>
public static class SplitMix64
{
    /// <summary>The Weyl increment: 2^64 divided by the golden ratio, made odd.</summary>
    public const ulong Increment = 0x9E3779B97F4A7C15UL;

    /// <summary>Advances <paramref name="state"/> by one step and returns the next output.</summary>
    /// <param name="state">The generator state; any value is valid.</param>
    public static ulong Next(ref ulong state)
    {
        state += Increment;
        return Mix(state);
    }

    /// <summary>The SplitMix64 finaliser: a bijection of 64-bit words with full avalanche.</summary>
    /// <remarks>Mix(0) = 0, so callers that may pass 0 should first combine it with a constant.</remarks>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
