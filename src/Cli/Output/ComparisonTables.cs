using System.Globalization;
using DisasterSim.Engine.Comparison;
using Spectre.Console;

namespace DisasterSim.Cli.Output;

/// <summary>Console tables of compare and sweep.</summary>
/// <remarks>Numbers in the invariant culture, 4 significant digits; the CSV files hold the full precision.</remarks>
public static class ComparisonTables
{
    // Wide enough for the tables when stdout is a file or a pipe, which has no width of its own.
    private const int RedirectedWidth = 220;

    /// <summary>Creates a plain console on <paramref name="stdout"/>.</summary>
    public static IAnsiConsole Console(TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(stdout, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>Renders the comparison: per metric and variant, the mean, tail percentiles, and the paired difference with the baseline.</summary>
    public static void RenderCompare(IAnsiConsole console, IReadOnlyList<MetricComparison> rows, long trials, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(rows);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Common random numbers: {trials} trials, seed {seed}; baseline = first variant; significance at 5% after Holm's correction."));
        var table = new Table().Title("Comparison with the baseline");
        foreach (string c in new[] { "Metric", "Variant", "Mean [95% CI]", "P95", "P99", "TVaR99", "Diff [95% CI]", "p (Holm)", "Better / worse" })
        {
            table.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
        }

        foreach (var r in rows)
        {
            var s = r.Summary;
            var d = r.Difference;
            string diff = d is null ? "-" : $"{N(d.Mean)} [{N(d.CiLow)}, {N(d.CiHigh)}]";
            string p = r.HolmPValue is double hp ? N(hp) + (r.Significant == true ? " *" : "") : "-";
            string shares = d is null ? "-" : $"{Percent(d.ShareBetter)} / {Percent(d.ShareWorse)}";
            table.AddRow(
                [.. new[] { $"{r.Metric} ({r.Metric.Unit}, per {(r.Metric.PerTrial ? "trial" : "incident")})", r.Variant, $"{N(s.Mean)} [{N(s.MeanCiLow)}, {N(s.MeanCiHigh)}]", N(s.P95), N(s.P99), N(r.TailValueAtRisk99), diff, p, shares }
                    .Select(x => new Text(x))]);
        }

        console.Write(table);
    }

    /// <summary>Renders the sweep: per variant, costs, risk measures, and the Pareto, cheapest and target flags.</summary>
    public static void RenderSweep(IAnsiConsole console, IReadOnlyList<SweepPoint> points, IReadOnlyList<RiskMeasure> risks, bool withTargets)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(risks);
        var table = new Table().Title("Sweep");
        var columns = new List<string> { "Variant", "Protection/yr", "Expected total cost" };
        columns.AddRange(risks.Select(r => r.ToString()));
        columns.Add("Pareto");
        columns.Add("Lowest cost");
        if (withTargets)
        {
            columns.Add("Meets targets");
            columns.Add("Confidence");
        }

        foreach (string c in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
        }

        foreach (var p in points)
        {
            var cells = new List<string> { p.Variant.Name, N(p.AnnualProtectionCost), N(p.ExpectedTotalCost) };
            cells.AddRange(p.Risks.Select(N));
            cells.Add(p.OnParetoFront ? "yes" : "");
            cells.Add(p.LowestTotalCost ? "yes" : "");
            if (withTargets)
            {
                cells.Add(p.MeetsTargets ? "yes" : "no");
                cells.Add(Percent(p.TargetConfidence));
            }

            table.AddRow([.. cells.Select(x => new Text(x))]);
        }

        console.Write(table);
    }

    /// <summary>Formats a number with 4 significant digits.</summary>
    public static string N(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Formats a share as a percentage with one decimal.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
