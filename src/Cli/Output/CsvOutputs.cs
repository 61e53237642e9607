using System.Globalization;
using System.Text;
using CsvHelper;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>Writes the CSV files of a run: summary, per-trial rows and incidents.</summary>
/// <remarks>
/// The output depends only on the <see cref="RunResult"/>: invariant culture whatever the current culture is,
/// doubles as the shortest text that round-trips, booleans as 0/1, "\n" line endings.
/// Text fields that a spreadsheet would run as a formula are prefixed with a single quote; numbers never are.
/// </remarks>
public static class CsvOutputs
{
    /// <summary>The columns of <c>summary.csv</c>.</summary>
    public static IReadOnlyList<string> SummaryColumns { get; } =
    [
        "entity", "name", "metric", "per", "unit", "count", "mean", "mean_ci_low", "mean_ci_high", "std_dev",
        "p50", "p90", "p95", "p99", "p99_9", "max", "share_nonzero", "target", "p_breach_incident", "p_breach_trial", "p_total_loss",
    ];

    /// <summary>The columns of <c>incidents.csv</c>.</summary>
    public static IReadOnlyList<string> IncidentColumns { get; } =
    [
        "trial", "service", "start_h", "start_time", "cause_kind", "cause", "scope", "detected", "detection_delay_h",
        "action", "downtime_h", "data_loss_h", "data_loss_gb", "total_loss",
    ];

    /// <summary>The cost columns at the end of <c>trials.csv</c>.</summary>
    public static IReadOnlyList<string> TrialCostColumns { get; } = ["cost", "cost.protection", "cost.penalties"];

    // Rows are checked for cancellation this often, so Ctrl-C stops a long write quickly.
    private const int CancellationCheckInterval = 4096;

    // The CsvHelper writer's own escaping only touches text fields (strings), never numbers, so "-5" stays a number.
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        NewLine = "\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    /// <summary>Writes <c>summary.csv</c>: one row per entity, metric, denominator and unit (long format).</summary>
    /// <remarks>
    /// Breach probabilities are on the hours rows of entities that have a target and empty elsewhere;
    /// the total-loss probability is on every row of a data set.
    /// </remarks>
    public static void WriteSummary(TextWriter writer, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        using var csv = CsvWriter.Create(writer, Options, leaveOpen: true);
        csv.WriteHeader([.. SummaryColumns]);
        foreach (var s in result.Services)
        {
            double? breachIncident = s.RtoHours is null ? null : s.IncidentBreachProbability;
            double? breachTrial = s.RtoHours is null ? null : s.TrialBreachProbability;
            WriteSummaryRow(csv, "service", s.Name, "downtime", "trial", "hours", s.DowntimePerTrial, s.RtoHours, breachIncident, breachTrial, null);
            WriteSummaryRow(csv, "service", s.Name, "downtime", "incident", "hours", s.DowntimePerIncident, s.RtoHours, breachIncident, breachTrial, null);
            if (s.PlannedDowntimePerTrial is { } planned)
            {
                WriteSummaryRow(csv, "service", s.Name, "planned_downtime", "trial", "hours", planned, null, null, null, null);
            }
        }

        foreach (var d in result.DataSets)
        {
            double? breachIncident = d.RpoHours is null ? null : d.IncidentBreachProbability;
            double? breachTrial = d.RpoHours is null ? null : d.TrialBreachProbability;
            double totalLoss = d.TotalLossProbability;
            WriteSummaryRow(csv, "data", d.Name, "loss", "trial", "hours", d.LossHoursPerTrial, d.RpoHours, breachIncident, breachTrial, totalLoss);
            WriteSummaryRow(csv, "data", d.Name, "loss", "incident", "hours", d.LossHoursPerIncident, d.RpoHours, breachIncident, breachTrial, totalLoss);
            WriteSummaryRow(csv, "data", d.Name, "loss", "trial", "gb", d.LossGbPerTrial, null, null, null, totalLoss);
            WriteSummaryRow(csv, "data", d.Name, "loss", "incident", "gb", d.LossGbPerIncident, null, null, null, totalLoss);
        }

        var cost = CostModel.Summarize(result);
        string unit = CurrencyUnit(result.Scenario);
        WriteSummaryRow(csv, "cost", "total", "cost", "trial", unit, cost.Total, null, null, null, null);
        WriteSummaryRow(csv, "cost", "penalties", "cost", "trial", unit, cost.Penalties, null, null, null, null);
        WriteSummaryRow(csv, "cost", "protection", "cost", "trial", unit, cost.Protection, null, null, null, null);
    }

    /// <summary>The unit of money columns: the scenario's currency label, or <c>money</c> when it has none.</summary>
    public static string CurrencyUnit(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Currency ?? "money";
    }

    /// <summary>Writes <c>trials.csv</c>: one row per trial, in trial order.</summary>
    /// <remarks>
    /// Columns: <c>trial</c>, then per service <c>NAME.downtime_h</c> (unplanned), <c>NAME.incidents</c> (unplanned) and
    /// <c>NAME.planned_h</c> (maintenance windows and failbacks), then per data set
    /// <c>NAME.loss_h</c> and <c>NAME.loss_gb</c>, then <c>cost</c>, <c>cost.protection</c> and <c>cost.penalties</c>
    /// (always present, zeros for a scenario without costs).
    /// </remarks>
    public static void WriteTrials(TextWriter writer, RunResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var table = result.Trials;
        var scenario = result.Scenario;
        var header = new List<string>(1 + (2 * (table.Services + table.DataSets))) { "trial" };
        for (int s = 0; s < table.Services; s++)
        {
            string name = scenario.Services[s].Name;
            header.Add(name + ".downtime_h");
            header.Add(name + ".incidents");
            header.Add(name + ".planned_h");
        }

        for (int d = 0; d < table.DataSets; d++)
        {
            string name = scenario.DataSets[d].Name;
            header.Add(name + ".loss_h");
            header.Add(name + ".loss_gb");
        }

        header.AddRange(TrialCostColumns);
        var costs = CostModel.Trials(result);

        using var csv = CsvWriter.Create(writer, Options, leaveOpen: true);
        csv.WriteHeader([.. header]);
        for (long t = table.FirstTrial; t < table.FirstTrial + table.Trials; t++)
        {
            if (t % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            csv.WriteField(t, default);
            for (int s = 0; s < table.Services; s++)
            {
                csv.WriteField(table.Downtime(t, s), default);
                csv.WriteField(table.IncidentCount(t, s), default);
                csv.WriteField(table.PlannedDowntime(t, s), default);
            }

            for (int d = 0; d < table.DataSets; d++)
            {
                csv.WriteField(table.LossHours(t, d), default);
                csv.WriteField(table.LossGb(t, d), default);
            }

            var cost = costs[t - table.FirstTrial];
            csv.WriteField(cost.Total, default);
            csv.WriteField(cost.Protection, default);
            csv.WriteField(cost.Penalties, default);

            csv.EndRecord();
        }
    }

    /// <summary>Writes <c>incidents.csv</c>: one row per service incident, in the order of the run result.</summary>
    public static void WriteIncidents(TextWriter writer, RunResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var scenario = result.Scenario;
        DateTime start = scenario.Simulation.Start;
        using var csv = CsvWriter.Create(writer, Options, leaveOpen: true);
        csv.WriteHeader([.. IncidentColumns]);
        // Millions of rows: the names of causes and enum values are made once, not per row.
        var causes = new Dictionary<(CauseKind, int), (string Cause, string Scope)>();
        var causeKinds = new Dictionary<CauseKind, string>();
        var actions = new Dictionary<IncidentAction, string>();
        int row = 0;
        foreach (var incident in result.Incidents)
        {
            if (row++ % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!causes.TryGetValue((incident.CauseKind, incident.CauseIndex), out var named))
            {
                named = Cause(scenario, incident);
                causes.Add((incident.CauseKind, incident.CauseIndex), named);
            }

            if (!causeKinds.TryGetValue(incident.CauseKind, out string? causeKind))
            {
                causeKind = SnakeCase(incident.CauseKind.ToString());
                causeKinds.Add(incident.CauseKind, causeKind);
            }

            if (!actions.TryGetValue(incident.Action, out string? action))
            {
                action = SnakeCase(incident.Action.ToString());
                actions.Add(incident.Action, action);
            }

            csv.WriteField(incident.Trial, default);
            csv.WriteField(scenario.Services[incident.Service].Name);
            csv.WriteField(incident.StartHours, default);
            csv.WriteField(FormatStartTime(start, incident.StartHours));
            csv.WriteField(causeKind);
            csv.WriteField(named.Cause);
            csv.WriteField(named.Scope);
            csv.WriteField(incident.Detected ? 1 : 0, default);
            csv.WriteField(incident.DetectionDelayHours, default);
            csv.WriteField(action);
            csv.WriteField(incident.DowntimeHours, default);
            csv.WriteField(incident.DataLossHours, default);
            csv.WriteField(incident.DataLossGb, default);
            csv.WriteField(incident.TotalLoss ? 1 : 0, default);
            csv.EndRecord();
        }
    }

    /// <summary>Converts a PascalCase name to snake_case: <c>FailedOverAndRestored</c> → <c>failed_over_and_restored</c>.</summary>
    public static string SnakeCase(string pascalCase)
    {
        ArgumentNullException.ThrowIfNull(pascalCase);
        var builder = new StringBuilder(pascalCase.Length + 8);
        for (int i = 0; i < pascalCase.Length; i++)
        {
            char c = pascalCase[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Formats <paramref name="start"/> plus <paramref name="hours"/> as ISO 8601 <c>yyyy-MM-ddTHH:mm:ss</c>, to the nearest second.</summary>
    /// <returns>The time, or an empty string when it is not a finite time within the calendar.</returns>
    public static string FormatStartTime(DateTime start, double hours)
    {
        // Rounded, not truncated: 8765.9 h is 31,557,239.99999 s in binary floating point and must print as ...:54:00.
        double seconds = Math.Round(hours * 3600, MidpointRounding.AwayFromZero);
        double maxSeconds = (DateTime.MaxValue - start).TotalSeconds;
        double minSeconds = (DateTime.MinValue - start).TotalSeconds;
        if (!double.IsFinite(seconds) || seconds > maxSeconds || seconds < minSeconds)
        {
            return "";
        }

        return start.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static (string Cause, string Scope) Cause(Scenario scenario, IncidentRecord incident)
    {
        if (incident.CauseKind is CauseKind.Threat or CauseKind.Maintenance)
        {
            var threat = scenario.Threats[incident.CauseIndex];
            return (threat.Name, threat.Scope.ToString());
        }

        if (incident.CauseKind == CauseKind.Failback)
        {
            string service = scenario.Services[incident.CauseIndex].Name;
            return ("failback", "service " + service);
        }

        string component = scenario.Components[incident.CauseIndex].Name;
        return (component, "component " + component);
    }

    private static void WriteSummaryRow(
        CsvWriter csv,
        string entity,
        string name,
        string metric,
        string per,
        string unit,
        Summary summary,
        double? target,
        double? breachIncident,
        double? breachTrial,
        double? totalLoss)
    {
        csv.WriteField(entity);
        csv.WriteField(name);
        csv.WriteField(metric);
        csv.WriteField(per);
        csv.WriteField(unit);
        csv.WriteField(summary.Count, default);
        csv.WriteField(summary.Mean, default);
        csv.WriteField(summary.MeanCiLow, default);
        csv.WriteField(summary.MeanCiHigh, default);
        csv.WriteField(summary.StdDev, default);
        csv.WriteField(summary.P50, default);
        csv.WriteField(summary.P90, default);
        csv.WriteField(summary.P95, default);
        csv.WriteField(summary.P99, default);
        csv.WriteField(summary.P999, default);
        csv.WriteField(summary.Max, default);
        csv.WriteField(summary.ShareNonZero, default);
        csv.WriteField(target, default);
        csv.WriteField(breachIncident, default);
        csv.WriteField(breachTrial, default);
        csv.WriteField(totalLoss, default);
        csv.EndRecord();
    }
}
