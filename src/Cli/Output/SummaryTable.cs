using System.Globalization;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using Spectre.Console;

namespace DisasterSim.Cli.Output;

/// <summary>Renders the human-readable summary of a run as console tables.</summary>
/// <remarks>Numbers use the invariant culture, like the files, so the console and the CSV agree.</remarks>
public static class SummaryTable
{
    private const string NotApplicable = "-";

    /// <summary>Writes the service and data set tables to <paramref name="console"/>.</summary>
    public static void Render(IAnsiConsole console, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        string perTrial = PerTrialLabel(result.Scenario.Simulation.HorizonHours);
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{result.Scenario.Name}: {result.Options.Trials} trials, seed {result.Options.Seed}"));

        if (result.Services.Count > 0)
        {
            var services = new Table().Title("Service downtime, hours");
            AddColumns(services, "Service", "Per", "Mean [95% CI]", "P50 [95% CI]", "P95 [95% CI]", "P99 [95% CI]", "Max", "P(any)", "RTO", "P(RTO breach)");
            foreach (var s in result.Services)
            {
                AddRow(services, Row(s.Name, perTrial, s.DowntimePerTrial, s.RtoHours, s.RtoHours is null ? null : s.TrialBreachProbability));
                AddRow(services, Row(s.Name, "incident", s.DowntimePerIncident, s.RtoHours, s.RtoHours is null ? null : s.IncidentBreachProbability));
            }

            console.Write(services);
        }

        if (result.DataSets.Count > 0)
        {
            var data = new Table().Title("Data loss, hours of changes (GB)");
            AddColumns(data, "Data set", "Per", "Mean [95% CI]", "P50 [95% CI]", "P95 [95% CI]", "P99 [95% CI]", "Max", "P(any)", "RPO", "P(RPO breach)", "Mean GB", "P99 GB [95% CI]", "P(total loss)");
            foreach (var d in result.DataSets)
            {
                string totalLoss = Probability(d.TotalLossProbability);
                AddRow(data, [
                    .. Row(d.Name, perTrial, d.LossHoursPerTrial, d.RpoHours, d.RpoHours is null ? null : d.TrialBreachProbability),
                    Number(d.LossGbPerTrial.Mean), WithInterval(d.LossGbPerTrial.P99, d.LossGbPerTrial.P99Interval, Number), totalLoss,
                ]);
                AddRow(data, [
                    .. Row(d.Name, "incident", d.LossHoursPerIncident, d.RpoHours, d.RpoHours is null ? null : d.IncidentBreachProbability),
                    Number(d.LossGbPerIncident.Mean), WithInterval(d.LossGbPerIncident.P99, d.LossGbPerIncident.P99Interval, Number), totalLoss,
                ]);
            }

            console.Write(data);
        }

        if (CostModel.HasCosts(result.Scenario))
        {
            var cost = CostModel.Summarize(result);
            string currency = CsvOutputs.CurrencyUnit(result.Scenario);
            var costs = new Table().Title(string.Create(CultureInfo.InvariantCulture, $"Cost per {perTrial}, {currency} (protection {Money(cost.AnnualProtection)} a year)"));
            AddColumns(costs, "Cost", "Mean [95% CI]", "P50 [95% CI]", "P95 [95% CI]", "P99 [95% CI]", "Max", "P(any)");
            AddRow(costs, CostRow("total", cost.Total));
            AddRow(costs, CostRow("penalties", cost.Penalties));
            AddRow(costs, CostRow("protection", cost.Protection));
            console.Write(costs);
        }
    }

    /// <summary>Names the denominator of per-trial figures: "year" when a trial lasts exactly one year.</summary>
    public static string PerTrialLabel(double horizonHours) =>
        horizonHours == SimulationSettings.HoursPerYear
            ? "year"
            : string.Create(CultureInfo.InvariantCulture, $"trial ({horizonHours:0.##} h)");

    // Cells are plain text: names and "[95% CI]" must not be read as Spectre markup.
    private static void AddColumns(Table table, params string[] headers) =>
        table.AddColumns([.. headers.Select(h => new TableColumn(new Text(h)))]);

    private static void AddRow(Table table, string[] cells) => table.AddRow(cells.Select(c => new Text(c)));

    private static string[] Row(string name, string per, Summary summary, double? target, double? breach) =>
    [
        name,
        per,
        string.Create(CultureInfo.InvariantCulture, $"{Number(summary.Mean)} [{Number(summary.MeanCiLow)}, {Number(summary.MeanCiHigh)}]"),
        WithInterval(summary.P50, summary.P50Interval, Number),
        WithInterval(summary.P95, summary.P95Interval, Number),
        WithInterval(summary.P99, summary.P99Interval, Number),
        Number(summary.Max),
        Probability(summary.ShareNonZero),
        target is { } t ? Number(t) : NotApplicable,
        breach is { } b ? Probability(b) : NotApplicable,
    ];

    private static string[] CostRow(string name, Summary summary) =>
    [
        name,
        string.Create(CultureInfo.InvariantCulture, $"{Money(summary.Mean)} [{Money(summary.MeanCiLow)}, {Money(summary.MeanCiHigh)}]"),
        WithInterval(summary.P50, summary.P50Interval, Money),
        WithInterval(summary.P95, summary.P95Interval, Money),
        WithInterval(summary.P99, summary.P99Interval, Money),
        Money(summary.Max),
        Probability(summary.ShareNonZero),
    ];

    // "4.8 [4.6, 5.1]"; an end the sample cannot bound is infinite: "4.8 [4.6, ∞)" (too few trials above the percentile).
    private static string WithInterval(double value, PercentileInterval interval, Func<double, string> format) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{format(value)} {(interval.Low is double low ? "[" + format(low) : "(-∞")}, {(interval.High is double high ? format(high) + "]" : "∞)")}");

    // Whole units with thousands separators (invariant: commas), as a reader scans money.
    private static string Money(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Probability(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
