using System.Globalization;
using CsvHelper;
using DisasterSim.Engine.Comparison;

namespace DisasterSim.Cli.Output;

/// <summary>Writes the CSV files of compare, sweep and batch: <c>compare.csv</c>, <c>sweep.csv</c>, <c>exceedance.csv</c>, the combined <c>summary.csv</c>.</summary>
/// <remarks>Same conventions as <see cref="CsvOutputs"/>: invariant culture, shortest round-trip doubles, 0/1 booleans, "\n" line endings, formula-like text neutralised.</remarks>
public static class ComparisonOutputs
{
    /// <summary>The columns of <c>compare.csv</c>.</summary>
    public static IReadOnlyList<string> CompareColumns { get; } =
    [
        "metric", "unit", "per", "variant", "baseline", "count", "mean", "mean_ci_low", "mean_ci_high", "p50", "p90",
        "p95", "p95_ci_low", "p95_ci_high", "p99", "p99_ci_low", "p99_ci_high", "max", "tvar95", "tvar99",
        "share_nonzero", "share_nonzero_upper95", "diff_mean", "diff_ci_low", "diff_ci_high", "p_value", "p_holm",
        "significant", "share_better", "share_worse",
    ];

    /// <summary>The columns of <c>exceedance.csv</c>.</summary>
    public static IReadOnlyList<string> ExceedanceColumns { get; } =
        ["variant", "metric", "entity", "basis", "unit", "x", "p_exceed", "count", "p_exceed_upper95"];

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        NewLine = "\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    /// <summary>Writes <c>compare.csv</c>: one row per metric and variant; the paired columns are empty for the baseline and for per-incident metrics.</summary>
    public static void WriteCompare(TextWriter writer, IReadOnlyList<MetricComparison> rows, string baseline)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        using var csv = CsvWriter.Create(writer, Options, leaveOpen: true);
        csv.WriteHeader([.. CompareColumns]);
        foreach (var r in rows)
        {
            var s = r.Summary;
            var d = r.Difference;
            csv.WriteField(r.Metric.ToString());
            csv.WriteField(r.Metric.Unit);
            csv.WriteField(r.Metric.PerTrial ? "trial" : "incident");
            csv.WriteField(r.Variant);
            csv.WriteField(r.Variant == baseline ? 1 : 0, default);
            csv.WriteField(s.Count, default);
            csv.WriteField(s.Mean, default);
            csv.WriteField(s.MeanCiLow, default);
            csv.WriteField(s.MeanCiHigh, default);
            csv.WriteField(s.P50, default);
            csv.WriteField(s.P90, default);
            csv.WriteField(s.P95, default);
            csv.WriteField(r.P95Ci.Low, default);
            csv.WriteField(r.P95Ci.High, default);
            csv.WriteField(s.P99, default);
            csv.WriteField(r.P99Ci.Low, default);
            csv.WriteField(r.P99Ci.High, default);
            csv.WriteField(s.Max, default);
            csv.WriteField(r.TailValueAtRisk95, default);
            csv.WriteField(r.TailValueAtRisk99, default);
            csv.WriteField(s.ShareNonZero, default);
            csv.WriteField(s.ShareNonZero == 0 && s.Count > 0 ? Exceedance.ZeroEventUpperBound(s.Count) : (double?)null, default);
            csv.WriteField(d?.Mean, default);
            csv.WriteField(d?.CiLow, default);
            csv.WriteField(d?.CiHigh, default);
            csv.WriteField(d?.PValue, default);
            csv.WriteField(r.HolmPValue, default);
            csv.WriteField(r.Significant is bool b ? (b ? 1 : 0) : (int?)null, default);
            csv.WriteField(d?.ShareBetter, default);
            csv.WriteField(d?.ShareWorse, default);
            csv.EndRecord();
        }
    }

    /// <summary>Writes <c>exceedance.csv</c>, long format: one row per variant, metric, entity, basis and level.</summary>
    /// <remarks><c>p_exceed_upper95</c> is filled where no trial exceeded the level: the 95% upper bound that zero occurrences imply (about 3/N).</remarks>
    public static void WriteExceedance(TextWriter writer, IReadOnlyList<ExceedanceSet> sets)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sets);
        using var csv = CsvWriter.Create(writer, Options, leaveOpen: true);
        csv.WriteHeader([.. ExceedanceColumns]);
        foreach (var set in sets)
        {
            foreach (var p in set.Points)
            {
                csv.WriteField(set.Variant);
                csv.WriteField(set.Metric);
                csv.WriteField(set.Entity);
                csv.WriteField(set.Basis);
                csv.WriteField(set.Unit);
                csv.WriteField(p.X, default);
                csv.WriteField(p.Probability, default);
                csv.WriteField(p.Count, default);
                csv.WriteField(p.Count == 0 && set.Trials > 0 ? Exceedance.ZeroEventUpperBound(set.Trials) : (double?)null, default);
                csv.EndRecord();
            }
        }
    }

    /// <summary>Writes <c>sweep.csv</c>: one row per variant with its settings, costs, metrics, Pareto and target columns.</summary>
    public static void WriteSweep(TextWriter writer, SweepTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        using var csv = CsvWriter.Create(writer, Options, leaveOpen: true);
        csv.WriteHeader([.. table.Columns]);
        foreach (var row in table.Rows)
        {
            foreach (var cell in row)
            {
                switch (cell)
                {
                    case null:
                        csv.WriteField((string?)null);
                        break;
                    case string text:
                        csv.WriteField(text);
                        break;
                    case bool flag:
                        csv.WriteField(flag ? 1 : 0, default);
                        break;
                    case long count:
                        csv.WriteField(count, default);
                        break;
                    case double value:
                        csv.WriteField(value, default);
                        break;
                    default:
                        throw new InvalidOperationException($"unexpected cell type {cell.GetType().Name}");
                }
            }

            csv.EndRecord();
        }
    }
}

/// <summary>One exceedance curve.</summary>
/// <param name="Variant">The variant or scenario.</param>
/// <param name="Metric"><c>downtime</c> or <c>loss</c>.</param>
/// <param name="Entity">The service or data set.</param>
/// <param name="Basis"><c>aggregate</c> (the year's total) or <c>occurrence</c> (the year's worst single incident).</param>
/// <param name="Unit">The unit of the levels.</param>
/// <param name="Trials">The number of trials (years) the probabilities are shares of.</param>
/// <param name="Points">The curve.</param>
public sealed record ExceedanceSet(string Variant, string Metric, string Entity, string Basis, string Unit, long Trials, IReadOnlyList<ExceedancePoint> Points);

/// <summary>A table of mixed cells (text, numbers, flags) with its header.</summary>
/// <param name="Columns">The header.</param>
/// <param name="Rows">The rows; each cell is null, string, bool, long or double.</param>
public sealed record SweepTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);
