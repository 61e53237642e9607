using System.Numerics;
using System.Runtime.CompilerServices;

namespace DisasterSim.Engine.Randomness;

/// <summary>The xoshiro256** generator of Blackman and Vigna (2018): 256 bits of state, period 2^256 − 1.</summary>
/// <remarks>
/// A mutable struct so that the hot path needs neither allocation nor virtual calls: pass it by
/// <c>ref</c>; a copy continues the same sequence independently. Not thread-safe: one instance per stream.
/// </remarks>
public struct Xoshiro256StarStar
{
    private const double TwoPowMinus53 = 1.0 / (1UL << 53);
    private const double TwoPowMinus52 = 1.0 / (1UL << 52);

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose state is four successive SplitMix64 outputs from <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value, including 0.</param>
    public Xoshiro256StarStar(ulong seed)
    {
        // As in Redzen and the authors' recommendation: seeds such as 0, 1, 2 have only a few bits set,
        // and xoshiro needs many steps to escape a sparse state (its first outputs would be near zero and
        // nearby seeds would give correlated streams). SplitMix64 spreads every seed bit over all 256 bits
        // and, being a bijection of its successive counters, never yields the forbidden all-zero state.
        ulong sm = seed;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
    }

    /// <summary>Creates a generator from an explicit state, as in the reference implementation.</summary>
    /// <param name="s0">First state word.</param>
    /// <param name="s1">Second state word.</param>
    /// <param name="s2">Third state word.</param>
    /// <param name="s3">Fourth state word. Range: not all four words zero.</param>
    public Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("The xoshiro256** state must not be all zero: the generator would output zeros forever. Use the seed constructor instead.", nameof(s3));
        }

        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>Returns the next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong s1 = _s1;
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        _s2 ^= _s0;
        _s3 ^= s1;
        _s1 = s1 ^ _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform double in [0, 1) on the grid k·2^−53, from the top 53 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * TwoPowMinus53;

    /// <summary>Returns a uniform double in (0, 1] on the grid k·2^−53; safe to pass to a logarithm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * TwoPowMinus53;

    /// <summary>Returns a uniform double in (0, 1), both ends excluded, on the grid (k + ½)·2^−52.</summary>
    /// <remarks>For inverse CDFs that are infinite at both ends, such as the normal quantile.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDoubleOpen() => ((NextUInt64() >> 12) + 0.5) * TwoPowMinus52;
}
