using System.Globalization;
using DisasterSim.Cli.Charts;
using DisasterSim.Engine.Attribution;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>The report.html of a run: the summary with units, the cost first when there are prices, exceedance curves with the targets, histograms, causes, and the worst trials with the command that replays each.</summary>
public static class RunReport
{
    /// <summary>Builds the report.</summary>
    /// <param name="result">The run.</param>
    /// <param name="causes">Its attribution to causes.</param>
    /// <param name="distributions">Its distributions, counted as it streamed.</param>
    /// <param name="metadata">Its metadata (the command that reproduces it).</param>
    public static string Build(RunResult result, IReadOnlyList<CauseShare> causes, RunDistributions distributions, RunMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(causes);
        ArgumentNullException.ThrowIfNull(distributions);
        ArgumentNullException.ThrowIfNull(metadata);
        var scenario = result.Scenario;
        string per = SummaryTable.PerTrialLabel(scenario.Simulation.HorizonHours);
        string currency = CsvOutputs.CurrencyUnit(scenario);
        bool priced = CostModel.HasCosts(scenario);
        var report = new HtmlReport(
            scenario.Name,
            string.Create(CultureInfo.InvariantCulture, $"{result.Options.Trials:N0} simulated trials of {DurationText.Format(scenario.Simulation.HorizonHours)} each, seed {result.Options.Seed}, engine {metadata.EngineVersion}, scenario file {metadata.ScenarioFile}"));

        var figures = new List<(string, string)>();
        foreach (var s in result.Services)
        {
            figures.Add(($"{s.Name}: mean downtime per {per}", NumberText.Hours(s.DowntimePerTrial.Mean)));
        }

        foreach (var d in result.DataSets)
        {
            figures.Add(($"{d.Name}: mean data lost per {per}", NumberText.Hours(d.LossHoursPerTrial.Mean)));
        }

        if (priced)
        {
            figures.Add(($"mean cost per {per}, {currency}", NumberText.Money(result.Costs.Total.Mean)));
            figures.Add(($"cost of the worst 1% of years (P99), {currency}", NumberText.Money(result.Costs.Total.P99)));
        }

        report.KeyFigures(figures);
        report.Heading("Summary");
        report.Paragraph($"Per {per}: one value per simulated {per}, zeros included. Per incident: one value per outage (the realised RTO) or per restore (the realised RPO). [low, high] is the 95% confidence interval of the mean; P(any) the share of values above zero; P(breach) per {per} the probability that a {per} holds an incident beyond the target, per incident the share of incidents beyond it.", note: true);
        if (result.Services.Count > 0)
        {
            report.Table(
                ["service", "per", "mean [95% CI], hours", "P50, h", "P95, h", "P99, h", "max, h", "P(any)", "RTO", "P(breach)"],
                result.Services.SelectMany(s => new[]
                {
                    Row(s.Name, per, s.DowntimePerTrial, s.RtoHours, s.RtoHours is null ? null : s.TrialBreachProbability),
                    Row(s.Name, "incident", s.DowntimePerIncident, s.RtoHours, s.RtoHours is null ? null : s.IncidentBreachProbability),
                }),
                textColumns: 2);
        }

        if (result.DataSets.Count > 0)
        {
            report.Table(
                ["data set", "per", "mean [95% CI], hours of changes", "P50, h", "P95, h", "P99, h", "max, h", "P(any)", "RPO", "P(breach)", "P(total loss)"],
                result.DataSets.SelectMany(d => new[]
                {
                    [.. Row(d.Name, per, d.LossHoursPerTrial, d.RpoHours, d.RpoHours is null ? null : d.TrialBreachProbability), NumberText.Percent(d.TotalLossProbability)],
                    Row(d.Name, "incident", d.LossHoursPerIncident, d.RpoHours, d.RpoHours is null ? null : d.IncidentBreachProbability).Append("").ToArray(),
                }),
                textColumns: 2);
        }

        if (priced)
        {
            var cost = result.Costs;
            report.Heading($"Cost, {currency}");
            report.Paragraph($"Protection is what the backups, replicas and standby cost over a {per} ({NumberText.Money(CostModel.Protection(scenario))} {currency} a year); penalties are what outages and lost data cost, at the prices the scenario states.");
            report.Table(
                ["cost", $"mean [95% CI], {currency}", "P50", "P95", "P99", "max", "P(any)"],
                [MoneyRow("total", cost.Total), MoneyRow("penalties", cost.Penalties), MoneyRow("protection", cost.Protection)]);
            report.Chart(Exceedance($"Cost of a {per}: how often it exceeds a level ({currency})", $"cost of a {per}, protection and penalties ({currency})", "cost", [(new Metric(MetricKind.Cost), distributions.Cost)], []));
            Causes(report, scenario, causes, AttributedMetric.Penalties, -1, $"Penalties per {per} by cause, {currency}", currency, NumberText.Money);
        }

        for (int s = 0; s < scenario.Services.Length; s++)
        {
            var service = scenario.Services[s];
            report.Heading($"Downtime of {service.Name}");
            var markers = service.RtoHours is double rto ? new List<ChartMarker> { new(rto, $"RTO {NumberText.Hours(rto)}") } : [];
            report.Chart(Exceedance(
                $"Downtime of {service.Name}: how often a {per} exceeds a level",
                $"downtime of {service.Name} (hours)",
                service.Name,
                [(new Metric(MetricKind.Downtime, service.Name), distributions.Downtime[s]), (new Metric(MetricKind.WorstDowntime, service.Name), distributions.WorstDowntime[s])],
                markers));
            report.Chart(Histogram($"Downtime per incident: {service.Name}", "downtime of one incident (hours)", distributions.DowntimePerIncident[s]));
            Causes(report, scenario, causes, AttributedMetric.Downtime, s, $"Downtime of {service.Name} per {per} by cause, hours", "hours", NumberText.Display);
        }

        for (int d = 0; d < scenario.DataSets.Length; d++)
        {
            var data = scenario.DataSets[d];
            report.Heading($"Data lost from {data.Name}");
            var markers = data.RpoHours is double rpo ? new List<ChartMarker> { new(rpo, $"RPO {NumberText.Hours(rpo)}") } : [];
            report.Chart(Exceedance(
                $"Data lost from {data.Name}: how often a {per} exceeds a level",
                $"data lost from {data.Name} (hours of changes)",
                data.Name,
                [(new Metric(MetricKind.Loss, data.Name), distributions.Loss[d]), (new Metric(MetricKind.WorstLoss, data.Name), distributions.WorstLoss[d])],
                markers));
            if (distributions.LossPerIncident[d].Count > 0)
            {
                report.Chart(Histogram($"Data loss per incident: {data.Name}", "data lost in one incident (hours of changes)", distributions.LossPerIncident[d]));
            }

            Causes(report, scenario, causes, AttributedMetric.LossHours, d, $"Data lost from {data.Name} per {per} by cause, hours of changes", "hours", NumberText.Display);
        }

        ByKind(report, scenario, causes, priced, currency, per);
        Worst(report, scenario, distributions, metadata, priced, currency);
        report.Heading("Reproduce");
        report.Paragraph("The same command gives byte-identical files on any machine and with any number of threads (the pictures' pixels depend on the fonts installed):");
        report.Code(string.Join(" ", metadata.CommandLine));
        return report.Render();
    }

    private static LineChart Exceedance(string title, string quantity, string name, IReadOnlyList<(Metric Metric, LogCounts Counts)> curves, IReadOnlyList<ChartMarker> markers)
    {
        var sets = curves.Select(c => new ExceedanceSet(name, c.Metric, new MetricColumns("", name, "", "trial", ""), c.Counts.Count, c.Counts.Curve())).ToList();
        return RiskCharts.Exceedance(title, quantity, sets, [name], markers);
    }

    private static LineChart Histogram(string title, string quantity, LogCounts counts)
    {
        var bins = counts.Histogram();
        double n = Math.Max(1, counts.Count);
        var points = bins.Select(b => (b.Low, b.Count / n)).ToList();
        if (bins.Count > 0)
        {
            points.Add((bins[^1].High, bins[^1].Count / n));
        }

        string zeros = counts.Zeros > 0 ? string.Create(CultureInfo.InvariantCulture, $", {counts.Zeros:N0} at zero (not drawn)") : "";
        return new LineChart(title, quantity, "share of incidents in the bin", LogX: true, LogY: false, [new ChartSeries("incidents", points)], [], Steps: true)
        {
            Note = string.Create(CultureInfo.InvariantCulture, $"Five bins per factor of ten; {counts.Count:N0} incidents{zeros}."),
        };
    }

    private static void Causes(HtmlReport report, Scenario scenario, IReadOnlyList<CauseShare> causes, AttributedMetric metric, int entity, string title, string unit, Func<double, string> format)
    {
        var shares = causes.Where(c => c.Metric == metric && c.Entity == entity).OrderByDescending(c => c.PerTrial.Mean).ToList();
        if (shares.Count == 0)
        {
            return;
        }

        double total = shares.Sum(c => c.PerTrial.Mean);
        report.Chart(RiskCharts.Causes(title, $"mean per trial ({unit})", shares.Select(c => new ChartBar(Label(scenario, c), c.PerTrial.Mean, c.PerTrial.MeanCiLow, c.PerTrial.MeanCiHigh)))
            with { Note = "An incident counts towards the cause that started it; the bars add up to the mean over all causes. The whiskers are 95% intervals." });
        report.Table(
            ["cause", $"mean [95% CI], {unit}", "share of the mean", "P99", "max", "P(any)"],
            shares.Select(c => (IReadOnlyList<string>)
            [
                Label(scenario, c),
                $"{format(c.PerTrial.Mean)} [{format(c.PerTrial.MeanCiLow)}, {format(c.PerTrial.MeanCiHigh)}]",
                NumberText.Percent(total == 0 ? 0 : c.PerTrial.Mean / total),
                format(c.PerTrial.P99),
                format(c.PerTrial.Max),
                NumberText.Percent(c.PerTrial.ShareNonZero),
            ]));
    }

    // By kind of cause: threats (and which) against components' own failures.
    private static void ByKind(HtmlReport report, Scenario scenario, IReadOnlyList<CauseShare> causes, bool priced, string currency, string per)
    {
        if (causes.Count == 0)
        {
            return;
        }

        report.Heading("By threat and by kind of cause");
        var metrics = new List<(AttributedMetric Metric, string Label, Func<double, string> Format)>
        {
            (AttributedMetric.Downtime, "downtime, hours", NumberText.Display),
            (AttributedMetric.LossHours, "data lost, hours of changes", NumberText.Display),
        };
        if (priced)
        {
            metrics.Add((AttributedMetric.Penalties, $"penalties, {currency}", NumberText.Money));
        }

        var rows = causes.Select(c => (c.Kind, Name: CsvOutputs.CauseName(scenario, c.Kind, c.Cause))).Distinct().OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        report.Paragraph($"Mean per {per}, summed over every service (downtime) and data set (data lost).", note: true);
        report.Table(
            ["kind", "cause", .. metrics.Select(m => m.Label)],
            rows.Select(r => (IReadOnlyList<string>)
            [
                CsvOutputs.CauseKindName(r.Kind),
                r.Name,
                .. metrics.Select(m => m.Format(causes.Where(c => c.Metric == m.Metric && c.Kind == r.Kind && CsvOutputs.CauseName(scenario, c.Kind, c.Cause) == r.Name).Sum(c => c.PerTrial.Mean))),
            ]),
            textColumns: 2);
    }

    private static void Worst(HtmlReport report, Scenario scenario, RunDistributions distributions, RunMetadata metadata, bool priced, string currency)
    {
        if (distributions.Worst.Count == 0)
        {
            return;
        }

        report.Heading("The worst trials, and how to replay them");
        report.Paragraph(priced ? "The trials of highest cost; trace replays one step by step (threats, detection, decisions, restores)." : "The trials of most downtime, then most data lost; trace replays one step by step.");
        string seed = metadata.Seed.ToString(CultureInfo.InvariantCulture);
        report.Table(
            ["trial", $"cost, {currency}", "downtime, hours", "data lost, hours", "replay"],
            distributions.Worst.Select(w => (IReadOnlyList<string>)
            [
                w.Trial.ToString(CultureInfo.InvariantCulture),
                NumberText.Money(w.Cost),
                NumberText.Display(w.Downtime),
                NumberText.Display(w.LossHours),
                $"disastersim trace {metadata.ScenarioFile} --trial {w.Trial.ToString(CultureInfo.InvariantCulture)} --seed {seed}",
            ]));
    }

    private static string Label(Scenario scenario, CauseShare share) =>
        (share.Kind == Engine.Simulation.CauseKind.Threat ? "threat " : "failure of ") + CsvOutputs.CauseName(scenario, share.Kind, share.Cause);

    private static string[] Row(string name, string per, Summary s, double? target, double? breach) =>
    [
        name,
        per,
        $"{NumberText.Display(s.Mean)} [{NumberText.Display(s.MeanCiLow)}, {NumberText.Display(s.MeanCiHigh)}]",
        NumberText.Display(s.P50),
        NumberText.Display(s.P95),
        NumberText.Display(s.P99),
        NumberText.Display(s.Max),
        NumberText.Percent(s.ShareNonZero),
        target is double t ? NumberText.Hours(t) : "-",
        breach is double b ? NumberText.Percent(b) : "-",
    ];

    private static IReadOnlyList<string> MoneyRow(string name, Summary s) =>
    [
        name,
        $"{NumberText.Money(s.Mean)} [{NumberText.Money(s.MeanCiLow)}, {NumberText.Money(s.MeanCiHigh)}]",
        NumberText.Money(s.P50),
        NumberText.Money(s.P95),
        NumberText.Money(s.P99),
        NumberText.Money(s.Max),
        NumberText.Percent(s.ShareNonZero),
    ];
}
