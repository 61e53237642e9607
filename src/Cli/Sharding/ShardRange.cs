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

    /// <summary>The trials a command runs: all <paramref name="total"/>, shard <c>K/N</c> of them, or <c>--trials-from A --trials-to B</c>.</summary>
    /// <param name="total">The run's trials (<c>--trials</c>, else the scenario's).</param>
    /// <param name="declared">The trials given with <c>--trials</c>, if any: a range must lie inside them.</param>
    /// <param name="shard">The <c>--shard</c> text, validated, or null.</param>
    /// <param name="from">The <c>--trials-from</c> value, or null.</param>
    /// <param name="to">The <c>--trials-to</c> value, or null.</param>
    /// <returns>The range and the error message that says why there is none.</returns>
    public static (TrialRange? Range, string? Error) Choose(long total, long? declared, string? shard, long? from, long? to)
    {
        if (shard is not null && Parse(shard) is var (index, count))
        {
            var (first, trials) = Of(total, index, count);
            return trials == 0
                ? (null, string.Create(CultureInfo.InvariantCulture, $"--shard {shard}: {count} shards of {total} trials leave shard {index} empty; use at most {total} shards."))
                : (new TrialRange(first, trials, total, IsPart: true), null);
        }

        if (from is null && to is null)
        {
            return (new TrialRange(0, total, null, IsPart: false), null);
        }

        long a = from ?? 0;
        long b = to ?? total;
        if (b <= a)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"--trials-from {a} must be below --trials-to {b} (the range is from inclusive, to exclusive)."));
        }

        if (declared is long limit && b > limit)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"--trials-to {b} is beyond --trials {limit}; the range must lie inside the run's trials."));
        }

        return (new TrialRange(a, b - a, declared, IsPart: true), null);
    }
}

/// <summary>The trials a command runs.</summary>
/// <param name="First">The first trial.</param>
/// <param name="Count">The number of trials.</param>
/// <param name="Total">The trials of the whole run this is part of, when known (<c>--shard</c>, or <c>--trials</c> with a range).</param>
/// <param name="IsPart">Whether this is a part that <c>merge</c> puts together (a shard or a range), rather than the whole run.</param>
public sealed record TrialRange(long First, long Count, long? Total, bool IsPart);
