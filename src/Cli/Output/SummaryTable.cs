using System.Globalization;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using Spectre.Console;

namespace DisasterSim.Cli.Output;

/// <summary>The human-readable summary of a run as tables: service downtime, data loss and cost, with units.</summary>
/// <remarks>Numbers as <see cref="NumberText"/> formats them for people: four significant digits, thousands separators, money in whole units, shares in per cent.</remarks>
public static class SummaryTable
{
    /// <summary>The tables of <paramref name="result"/>.</summary>
    /// <remarks>The median is left to the files and the report: the tables keep to the mean and the tail, each with its 95% interval, split to fit in 100 columns.</remarks>
    public static IReadOnlyList<TextTable> Tables(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string perTrial = PerTrialLabel(result.Scenario.Simulation.HorizonHours);
        var tables = new List<TextTable>();
        if (result.Services.Count > 0)
        {
            tables.Add(new TextTable(
                "Service downtime, hours",
                ["Service", "Per", "Mean", "95% CI", "P95", "P95 95% CI", "P99", "P99 95% CI", "Max", "P(any)", "RTO", "P(breach)"],
                [.. result.Services.SelectMany(s => new[]
                {
                    Row(s.Name, perTrial, s.DowntimePerTrial, s.RtoHours, s.RtoHours is null ? null : s.TrialBreachProbability),
                    Row(s.Name, "incident", s.DowntimePerIncident, s.RtoHours, s.RtoHours is null ? null : s.IncidentBreachProbability),
                })],
                KeyColumns: 2));
        }

        if (result.DataSets.Count > 0)
        {
            tables.Add(new TextTable(
                "Data loss, hours of changes (and GB)",
                ["Data set", "Per", "Mean", "95% CI", "P95", "P95 95% CI", "P99", "P99 95% CI", "Max", "P(any)", "RPO", "P(breach)", "Mean GB", "P99 GB", "P(total loss)"],
                [.. result.DataSets.SelectMany(d => new[]
                {
                    (IReadOnlyList<string>)[.. Row(d.Name, perTrial, d.LossHoursPerTrial, d.RpoHours, d.RpoHours is null ? null : d.TrialBreachProbability), NumberText.Display(d.LossGbPerTrial.Mean), NumberText.Display(d.LossGbPerTrial.P99), NumberText.Percent(d.TotalLossProbability)],
                    [.. Row(d.Name, "incident", d.LossHoursPerIncident, d.RpoHours, d.RpoHours is null ? null : d.IncidentBreachProbability), NumberText.Display(d.LossGbPerIncident.Mean), NumberText.Display(d.LossGbPerIncident.P99), "-"],
                })],
                KeyColumns: 2));
        }

        if (CostModel.HasCosts(result.Scenario))
        {
            var cost = CostModel.Summarize(result);
            string currency = CsvOutputs.CurrencyUnit(result.Scenario);
            tables.Add(new TextTable(
                string.Create(CultureInfo.InvariantCulture, $"Cost per {perTrial}, {currency} (protection {NumberText.Money(cost.AnnualProtection)} a year)"),
                ["Cost", "Mean", "95% CI", "P50", "P95", "P99", "P99 95% CI", "Max", "P(any)"],
                [CostRow("total", cost.Total), CostRow("penalties", cost.Penalties), CostRow("protection", cost.Protection)]));
        }

        return tables;
    }

    /// <summary>Writes the heading line and the tables of <paramref name="result"/> to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, RunResult result, StdoutFormat format = StdoutFormat.Table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        if (format == StdoutFormat.Table)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{result.Scenario.Name}: {result.Options.Trials:N0} trials, seed {result.Options.Seed}\n"));
        }

        TextTables.Write(writer, Tables(result), format);
    }

    /// <summary>Writes the summary tables to a console (kept for callers that hold one).</summary>
    public static void Render(IAnsiConsole console, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(console);
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(text, result);
        console.Profile.Out.Writer.Write(text.ToString());
    }

    /// <summary>Names the denominator of per-trial figures: "year" when a trial lasts exactly one year.</summary>
    public static string PerTrialLabel(double horizonHours) =>
        horizonHours == SimulationSettings.HoursPerYear
            ? "year"
            : string.Create(CultureInfo.InvariantCulture, $"trial ({horizonHours:0.##} h)");

    private static string Interval(double low, double high, Func<double, string> format) => $"{format(low)}–{format(high)}";

    // A percentile's distribution-free interval; an end the sample cannot bound is open: "4.6–∞" (too few trials above it).
    private static string Interval(PercentileInterval interval, Func<double, string> format) =>
        $"{(interval.Low is double low ? format(low) : "−∞")}–{(interval.High is double high ? format(high) : "∞")}";

    private static IReadOnlyList<string> Row(string name, string per, Summary summary, double? target, double? breach) =>
    [
        name,
        per,
        NumberText.Display(summary.Mean),
        Interval(summary.MeanCiLow, summary.MeanCiHigh, NumberText.Display),
        NumberText.Display(summary.P95),
        Interval(summary.P95Interval, NumberText.Display),
        NumberText.Display(summary.P99),
        Interval(summary.P99Interval, NumberText.Display),
        NumberText.Display(summary.Max),
        NumberText.Percent(summary.ShareNonZero),
        target is { } t ? NumberText.Hours(t) : "-",
        breach is { } b ? NumberText.Percent(b) : "-",
    ];

    private static IReadOnlyList<string> CostRow(string name, Summary summary) =>
    [
        name,
        NumberText.Money(summary.Mean),
        Interval(summary.MeanCiLow, summary.MeanCiHigh, NumberText.Money),
        NumberText.Money(summary.P50),
        NumberText.Money(summary.P95),
        NumberText.Money(summary.P99),
        Interval(summary.P99Interval, NumberText.Money),
        NumberText.Money(summary.Max),
        NumberText.Percent(summary.ShareNonZero),
    ];
}
