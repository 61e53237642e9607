using System.Globalization;

namespace DisasterSim.Cli.Sharding;

/// <summary>Which trials a shard runs: <c>--shard K/N</c> splits the trials 0..T-1 into N contiguous ranges whose sizes differ by at most one.</summary>
public static class ShardRange
{
    /// <summary>Parses <c>K/N</c> (0 ≤ K &lt; N); null when the text is not of that form.</summary>
    public static (int Index, int Count)? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index < count)
        {
            return (index, count);
        }

        return null;
    }

    /// <summary>The trials of shard <paramref name="index"/> of <paramref name="count"/>: from ⌊K·T/N⌋ to ⌊(K+1)·T/N⌋ - 1.</summary>
    /// <returns>The first trial and the number of trials (zero when there are more shards than trials).</returns>
    public static (long FirstTrial, long Trials) Of(long totalTrials, int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalTrials);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        long first = (long)((Int128)totalTrials * index / count);
        long end = (long)((Int128)totalTrials * (index + 1) / count);
        return (first, end - first);
    }
}
