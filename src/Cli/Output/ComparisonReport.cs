using System.Globalization;
using DisasterSim.Cli.Charts;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>The report.html of compare and sweep: the comparison table with units, paired differences, exceedance curves with targets, the Pareto front of every pair of metrics, and each variant's worst trials with the command that replays them.</summary>
public static class ComparisonReport
{
    /// <summary>Builds the report of a comparison or a sweep.</summary>
    /// <param name="title">"Comparison of ..." or "Sweep of ...".</param>
    /// <param name="variants">The variants, baseline first.</param>
    /// <param name="rows">The comparison of every metric with the baseline.</param>
    /// <param name="charts">The charts already drawn (exceedance, histograms, differences, Pareto), with their PNG.</param>
    /// <param name="drawn">Each chart's PNG.</param>
    /// <param name="commandLine">The command that reproduces the files.</param>
    /// <param name="worst">Each variant's worst trials, counted as the chunks went by; null when the variants ran different trials (a race).</param>
    /// <param name="sweep">The sweep's table (settings, costs, Pareto, targets), or null for a comparison.</param>
    /// <param name="sweepTextColumns">The sweep table's leading text columns (the variant and its settings).</param>
    public static string Build(
        string title,
        IReadOnlyList<VariantResult> variants,
        IReadOnlyList<MetricComparison> rows,
        IReadOnlyList<(string File, Chart Chart)> charts,
        IReadOnlyDictionary<Chart, byte[]> drawn,
        IReadOnlyList<string> commandLine,
        IReadOnlyList<RunDistributions>? worst,
        SweepTable? sweep = null,
        int sweepTextColumns = 1)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(charts);
        ArgumentNullException.ThrowIfNull(drawn);
        ArgumentNullException.ThrowIfNull(commandLine);
        var first = variants[0].Result;
        var scenario = first.Scenario;
        var report = new HtmlReport(title, string.Create(
            CultureInfo.InvariantCulture,
            $"{variants.Count} variants on the same {first.Options.Trials:N0} simulated trials (common random numbers), seed {first.Options.Seed}; baseline: {variants[0].Name}"));
        report.Paragraph("Every variant sees the very same sampled disasters, so each difference is the policy's alone. Differences are paired trial by trial, with 95% intervals; a * marks a difference significant at 5% after Holm's correction for the number of comparisons.", note: true);

        if (sweep is not null)
        {
            report.Heading("Variants");
            report.Table(
                [.. sweep.Columns],
                sweep.Rows.Select(r => (IReadOnlyList<string>)[.. r.Select(Cell)]),
                textColumns: sweepTextColumns);
        }

        report.Heading("Comparison with the baseline");
        foreach (var group in rows.GroupBy(r => r.Metric))
        {
            report.Paragraph(MetricColumns.Of(group.Key, scenario).Label);
            report.Table(
                ["variant", "mean [95% CI]", "P95", "P99", "TVaR99", "difference [95% CI]", "p (Holm)", "better / worse"],
                group.Select(r => (IReadOnlyList<string>)
                [
                    r.Variant,
                    $"{NumberText.Display(r.Summary.Mean)} [{NumberText.Display(r.Summary.MeanCiLow)}, {NumberText.Display(r.Summary.MeanCiHigh)}]",
                    NumberText.Display(r.Summary.P95),
                    NumberText.Display(r.Summary.P99),
                    NumberText.Display(r.TailValueAtRisk99),
                    r.Difference is { } d ? $"{NumberText.Display(d.Mean)} [{NumberText.Display(d.CiLow)}, {NumberText.Display(d.CiHigh)}]" : "-",
                    r.HolmPValue is double p ? NumberText.Display(p) + (r.Significant == true ? " *" : "") : "-",
                    r.Difference is { } e ? $"{NumberText.Percent(e.ShareBetter)} / {NumberText.Percent(e.ShareWorse)}" : "-",
                ]));
        }

        Section(report, "Money", charts, drawn, c => c.File.Contains("cost", StringComparison.Ordinal) && c.File.StartsWith("exceedance", StringComparison.Ordinal));
        Section(report, "Paired differences", charts, drawn, c => c.File.StartsWith("difference-", StringComparison.Ordinal));
        Section(report, "Downtime", charts, drawn, c => c.File.Contains("downtime", StringComparison.Ordinal) && !c.File.StartsWith("difference-", StringComparison.Ordinal));
        Section(report, "Data loss", charts, drawn, c => c.File.Contains("loss", StringComparison.Ordinal) && !c.File.StartsWith("difference-", StringComparison.Ordinal));
        Section(report, "Pareto fronts", charts, drawn, c => c.File.StartsWith("pareto-", StringComparison.Ordinal));
        if (worst is not null)
        {
            Worst(report, variants, worst, commandLine);
        }

        report.Heading("Reproduce");
        report.Paragraph("The same command gives byte-identical files on any machine and with any number of threads (the pictures' pixels depend on the fonts installed):");
        report.Code(string.Join(" ", commandLine.Select(Quote)));
        return report.Render();
    }

    /// <summary>The Pareto fronts of a comparison: every pair of the headline metrics (the per-trial means), at most ten pairs.</summary>
    public static List<(string File, Chart Chart)> ParetoCharts(IReadOnlyList<MetricComparison> rows, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var metrics = rows.Where(r => r.Metric.PerTrial && r.Metric.Kind is MetricKind.Downtime or MetricKind.Loss or MetricKind.Cost or MetricKind.WorstDowntime)
            .Select(r => r.Metric).Distinct().Take(5).ToList();
        var charts = new List<(string, Chart)>();
        for (int a = 0; a < metrics.Count; a++)
        {
            for (int b = a + 1; b < metrics.Count; b++)
            {
                var (x, y) = (metrics[a], metrics[b]);
                var points = rows.Where(r => r.Metric == x).Join(rows.Where(r => r.Metric == y), r => r.Variant, r => r.Variant, (rx, ry) => (rx.Variant, rx.Summary.Mean, ry.Summary.Mean)).ToList();
                string xLabel = "mean " + MetricColumns.Of(x, scenario).Label;
                string yLabel = "mean " + MetricColumns.Of(y, scenario).Label;
                charts.Add(($"pareto-{Safe(x.ToString())}-{Safe(y.ToString())}", RiskCharts.Pareto(xLabel, yLabel, points)));
            }
        }

        return charts;
    }

    private static void Section(HtmlReport report, string heading, IReadOnlyList<(string File, Chart Chart)> charts, IReadOnlyDictionary<Chart, byte[]> drawn, Func<(string File, Chart Chart), bool> select)
    {
        var chosen = charts.Where(select).ToList();
        if (chosen.Count == 0)
        {
            return;
        }

        report.Heading(heading);
        foreach (var (_, chart) in chosen)
        {
            report.Chart(chart, drawn.GetValueOrDefault(chart));
        }
    }

    // Each variant's worst trials; a variant of overrides replays with trace on a copy of the scenario with the overrides written in.
    private static void Worst(HtmlReport report, IReadOnlyList<VariantResult> variants, IReadOnlyList<RunDistributions> worst, IReadOnlyList<string> commandLine)
    {
        report.Heading("The worst trials of each variant");
        report.Paragraph("The trials of highest cost (or, without prices, of most downtime). A variant made of overrides replays with trace on a copy of the scenario file with the overrides written in; the seed is the comparison's.", note: true);
        string seed = variants[0].Result.Options.Seed.ToString(CultureInfo.InvariantCulture);
        var table = new List<IReadOnlyList<string>>();
        for (int v = 0; v < variants.Count; v++)
        {
            foreach (var w in worst[v].Worst)
            {
                table.Add(
                [
                    variants[v].Name,
                    w.Trial.ToString(CultureInfo.InvariantCulture),
                    NumberText.Money(w.Cost),
                    NumberText.Display(w.Downtime),
                    NumberText.Display(w.LossHours),
                    $"disastersim trace {Quote(ScenarioFile(variants[v], commandLine))} --trial {w.Trial.ToString(CultureInfo.InvariantCulture)} --seed {seed}",
                ]);
            }
        }

        report.Table(["variant", "trial", $"cost, {CsvOutputs.CurrencyUnit(variants[0].Result.Scenario)}", "downtime, hours", "data lost, hours", "replay"], table, textColumns: 2);
    }

    private static string ScenarioFile(VariantResult variant, IReadOnlyList<string> commandLine) =>
        commandLine.FirstOrDefault(a => a.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && Path.GetFileNameWithoutExtension(a) == variant.Name)
        ?? commandLine.FirstOrDefault(a => a.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || a.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        ?? "SCENARIO.yaml";

    private static string Cell(object? cell) => cell switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "yes" : "",
        long count => count.ToString("N0", CultureInfo.InvariantCulture),
        double value => NumberText.Display(value),
        _ => cell.ToString() ?? "",
    };

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=') ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Safe(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
}
