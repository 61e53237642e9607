using System.Globalization;
using DisasterSim.Engine.Comparison;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>The stdout tables of compare and sweep, in the number format of <see cref="NumberText"/>; the files hold nine digits.</summary>
public static class ComparisonTables
{
    /// <summary>The comparison: one table per metric (its unit in the title), one row per variant, the paired difference with the baseline.</summary>
    /// <remarks>P99 and TVaR are in compare.csv and the report: the tables keep to what fits in 100 columns.</remarks>
    public static IReadOnlyList<TextTable> Compare(IReadOnlyList<MetricComparison> rows, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(scenario);
        return [.. rows.GroupBy(r => r.Metric).Select(g => new TextTable(
            MetricColumns.Of(g.Key, scenario).Label,
            ["Variant", "Mean", "95% CI", "P95", "Diff", "Diff 95% CI", "p (Holm)", "Better/worse"],
            [.. g.Select(r => (IReadOnlyList<string>)
            [
                r.Variant,
                NumberText.Display(r.Summary.Mean),
                $"{NumberText.Display(r.Summary.MeanCiLow)}–{NumberText.Display(r.Summary.MeanCiHigh)}",
                NumberText.Display(r.Summary.P95),
                r.Difference is { } d ? NumberText.Display(d.Mean) : "-",
                r.Difference is { } e ? $"{NumberText.Display(e.CiLow)}–{NumberText.Display(e.CiHigh)}" : "-",
                r.HolmPValue is double p ? NumberText.Display(p) + (r.Significant == true ? " *" : "") : "-",
                r.Difference is { } f ? $"{NumberText.Percent(f.ShareBetter)}/{NumberText.Percent(f.ShareWorse)}" : "-",
            ])]))];
    }

    /// <summary>Writes the comparison to <paramref name="writer"/>: a heading line (tables only), then the tables.</summary>
    public static void WriteCompare(TextWriter writer, IReadOnlyList<MetricComparison> rows, Scenario scenario, long trials, ulong seed, StdoutFormat format)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (format == StdoutFormat.Table)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"Common random numbers: {trials:N0} trials, seed {seed}; baseline = first variant; * = significant at 5% after Holm's correction.\n"));
        }

        TextTables.Write(writer, Compare(rows, scenario), format);
    }

    /// <summary>The sweep: per variant, costs in the scenario's currency, risk measures, and the Pareto, cheapest and target flags.</summary>
    public static TextTable Sweep(IReadOnlyList<SweepPoint> points, IReadOnlyList<RiskMeasure> risks, bool withTargets)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(risks);
        string currency = CsvOutputs.CurrencyUnit(points[0].Variant.Result.Scenario);
        var header = new List<string> { "Variant", "Protection/yr", "Total cost/yr" };
        header.AddRange(risks.Select(r => $"{r} ({r.Metric.Unit})"));
        header.AddRange(["Pareto", "Lowest cost"]);
        if (withTargets)
        {
            header.AddRange(["Meets targets", "Confidence"]);
        }

        var rows = points.Select(p =>
        {
            var cells = new List<string> { p.Variant.Name, NumberText.Money(p.AnnualProtectionCost), NumberText.Money(p.ExpectedTotalCost) };
            cells.AddRange(p.Risks.Select(NumberText.Display));
            cells.Add(p.OnParetoFront ? "yes" : "");
            cells.Add(p.LowestTotalCost ? "yes" : "");
            if (withTargets)
            {
                cells.Add(p.MeetsTargets ? "yes" : "no");
                cells.Add(NumberText.Percent(p.TargetConfidence));
            }

            return (IReadOnlyList<string>)cells;
        }).ToList();
        return new TextTable($"Sweep (costs in {currency})", header, rows);
    }
}
