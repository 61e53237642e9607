using System.Text;

namespace DisasterSim.Engine.Randomness;

/// <summary>Named, independent random streams: one per (master seed, trial, random source).</summary>
/// <remarks>
/// Every random draw of a trial comes from the stream of a named source, so adding a source (a new
/// backup policy, say) never moves the draws of any other source, and two scenarios can be compared
/// on the very same disasters. Pure functions; thread-safe.
/// </remarks>
public static class RandomStreams
{
    // Fractional bits of π: a domain separator so that seed 0 does not meet Mix(0) = 0.
    private const ulong SeedDomain = 0x243F6A8885A308D3UL;

    private const ulong FnvOffsetBasis = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;

    /// <summary>Returns the stream of one random source in one trial.</summary>
    /// <param name="seed">The master seed of the run.</param>
    /// <param name="trial">The trial index. Any value; negative values are used as their two's complement.</param>
    /// <param name="sourceKey">The key of the source, from <see cref="SourceKey(string)"/>.</param>
    /// <remarks>
    /// The stream seed is h = Mix(Mix(Mix(seed ⊕ 0x243F6A8885A308D3) ⊕ trial) ⊕ sourceKey), with Mix the
    /// SplitMix64 finaliser; the generator state is then four SplitMix64 outputs from h. Each Mix is a
    /// bijection, so for a fixed seed and trial distinct sources give distinct h, and for a fixed seed
    /// and source distinct trials give distinct h; across both, h behaves like a random 64-bit hash, so
    /// two pairs share a seed with probability about 2^−64 and their 256-bit states are unrelated.
    /// Mixing the trial before the source key keeps (trial, source) from cancelling as a plain XOR would.
    /// </remarks>
    public static Xoshiro256StarStar For(ulong seed, long trial, ulong sourceKey) => new(StreamSeed(seed, trial, sourceKey));

    /// <summary>Returns the part of every stream seed of one trial that does not depend on the source: Mix(Mix(seed ⊕ 0x243F6A8885A308D3) ⊕ trial).</summary>
    /// <remarks>A simulator computes it once per trial and seeds each stream with <see cref="ForTrial"/>: the same streams as <see cref="For"/>.</remarks>
    public static ulong TrialKey(ulong seed, long trial) => SplitMix64.Mix(SplitMix64.Mix(seed ^ SeedDomain) ^ unchecked((ulong)trial));

    /// <summary>Returns the stream of one random source in the trial whose <see cref="TrialKey"/> is <paramref name="trialKey"/>; equal to <see cref="For"/>.</summary>
    public static Xoshiro256StarStar ForTrial(ulong trialKey, ulong sourceKey) => new(ForTrialSeed(trialKey, sourceKey));

    /// <summary>Returns the 64-bit seed of the stream <see cref="ForTrial"/> returns.</summary>
    public static ulong ForTrialSeed(ulong trialKey, ulong sourceKey) => SplitMix64.Mix(trialKey ^ sourceKey);

    /// <summary>Returns the 64-bit seed of the stream that <see cref="For"/> returns.</summary>
    /// <param name="seed">The master seed of the run.</param>
    /// <param name="trial">The trial index.</param>
    /// <param name="sourceKey">The key of the source.</param>
    public static ulong StreamSeed(ulong seed, long trial, ulong sourceKey) => SplitMix64.Mix(TrialKey(seed, trial) ^ sourceKey);

    /// <summary>Returns a stable 64-bit key for a source name such as "threat:fire:arrivals".</summary>
    /// <param name="name">The source name; compared ordinally, case-sensitive.</param>
    /// <remarks>
    /// FNV-1a 64 over the UTF-8 bytes of the name, then the SplitMix64 finaliser so that names differing
    /// in one character differ in about half of the bits. Unlike <see cref="string.GetHashCode()"/>, which
    /// is randomised per process, the key is the same in every process and .NET version.
    /// </remarks>
    public static ulong SourceKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ulong h = FnvOffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            h ^= b;
            h *= FnvPrime;
        }

        return SplitMix64.Mix(h);
    }
}
