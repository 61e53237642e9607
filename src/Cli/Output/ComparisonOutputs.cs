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
        "entity", "name", "metric", "per", "unit", "variant", "baseline", "count", "mean", "mean_ci_low", "mean_ci_high", "p50", "p90",
        "p95", "p95_ci_low", "p95_ci_high", "p99", "p99_ci_low", "p99_ci_high", "max", "tvar95", "tvar99",
        "share_nonzero", "share_nonzero_upper95", "diff_mean", "diff_ci_low", "diff_ci_high", "p_value", "p_holm",
        "significant", "share_better", "share_worse",
    ];

    /// <summary>The columns of <c>exceedance.csv</c>.</summary>
    public static IReadOnlyList<string> ExceedanceColumns { get; } =
        ["variant", "entity", "name", "metric", "per", "unit", "x", "p_exceed", "count", "p_exceed_upper95"];

    /// <summary>Writes <c>compare.csv</c>: one row per metric and variant; the paired columns are empty for the baseline and for per-incident metrics.</summary>
    public static void WriteCompare(TextWriter writer, IReadOnlyList<MetricComparison> rows, string baseline, Models.Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        using var csv = CsvOutputs.RowWriter(writer, [.. CompareColumns]);
        foreach (var r in rows)
        {
            var s = r.Summary;
            var d = r.Difference;
            foreach (string cell in MetricColumns.Of(r.Metric, scenario).Cells)
            {
                CsvOutputs.WriteText(csv, cell);
            }

            CsvOutputs.WriteText(csv, r.Variant);
            csv.WriteField(r.Variant == baseline ? 1 : 0, default);
            csv.WriteField(s.Count, default);
            foreach (double? value in new double?[]
            {
                s.Mean, s.MeanCiLow, s.MeanCiHigh, s.P50, s.P90, s.P95, r.P95Ci.Low, r.P95Ci.High, s.P99, r.P99Ci.Low, r.P99Ci.High, s.Max,
                r.TailValueAtRisk95, r.TailValueAtRisk99, s.ShareNonZero, s.ShareNonZero == 0 && s.Count > 0 ? Exceedance.ZeroEventUpperBound(s.Count) : null,
                d?.Mean, d?.CiLow, d?.CiHigh, d?.PValue, r.HolmPValue, r.Significant is bool b ? (b ? 1 : 0) : null, d?.ShareBetter, d?.ShareWorse,
            })
            {
                CsvOutputs.WriteNumber(csv, value);
            }

            csv.EndRecord();
        }
    }

    /// <summary>Writes <c>exceedance.csv</c>, long format: one row per variant, metric, entity, basis and level.</summary>
    /// <remarks><c>p_exceed_upper95</c> is filled where no trial exceeded the level: the 95% upper bound that zero occurrences imply (about 3/N).</remarks>
    public static void WriteExceedance(TextWriter writer, IReadOnlyList<ExceedanceSet> sets)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sets);
        using var csv = CsvOutputs.RowWriter(writer, [.. ExceedanceColumns]);
        foreach (var set in sets)
        {
            foreach (var p in set.Points)
            {
                CsvOutputs.WriteText(csv, set.Variant);
                foreach (string cell in set.Columns.Cells)
                {
                    CsvOutputs.WriteText(csv, cell);
                }

                CsvOutputs.WriteNumber(csv, p.X);
                CsvOutputs.WriteNumber(csv, p.Probability);
                csv.WriteField(p.Count, default);
                CsvOutputs.WriteNumber(csv, p.Count == 0 && set.Trials > 0 ? Exceedance.ZeroEventUpperBound(set.Trials) : null);
                csv.EndRecord();
            }
        }
    }

    /// <summary>Writes <c>sweep.csv</c>: one row per variant with its settings, costs, metrics, Pareto and target columns.</summary>
    public static void WriteSweep(TextWriter writer, SweepTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        using var csv = CsvOutputs.RowWriter(writer, [.. table.Columns]);
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
                        CsvOutputs.WriteText(csv, text);
                        break;
                    case bool flag:
                        csv.WriteField(flag ? 1 : 0, default);
                        break;
                    case long count:
                        csv.WriteField(count, default);
                        break;
                    case double value:
                        CsvOutputs.WriteNumber(csv, value);
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
/// <param name="Metric">The metric: a trial's total (downtime, loss, cost) or its worst single incident (worst_downtime, worst_loss).</param>
/// <param name="Columns">The metric in the files' vocabulary.</param>
/// <param name="Trials">The number of trials (years) the probabilities are shares of.</param>
/// <param name="Points">The curve.</param>
public sealed record ExceedanceSet(string Variant, Metric Metric, MetricColumns Columns, long Trials, IReadOnlyList<ExceedancePoint> Points);

/// <summary>A table of mixed cells (text, numbers, flags) with its header.</summary>
/// <param name="Columns">The header.</param>
/// <param name="Rows">The rows; each cell is null, string, bool, long or double.</param>
public sealed record SweepTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);
