using System.Globalization;
using System.Text;
using CsvHelper;
using DisasterSim.Engine.Attribution;
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
        "entity", "name", "cause_kind", "cause", "metric", "per", "unit", "count", "mean", "mean_ci_low", "mean_ci_high", "std_dev",
        "p50", "p90", "p95", "p99", "p99_9", "max", "share_nonzero", "target", "p_breach", "p_total_loss",
        "p50_ci_low", "p50_ci_high", "p90_ci_low", "p90_ci_high", "p95_ci_low", "p95_ci_high", "p99_ci_low", "p99_ci_high",
        "p99_9_ci_low", "p99_9_ci_high",
    ];

    /// <summary>The columns of <c>incidents.csv</c>.</summary>
    public static IReadOnlyList<string> IncidentColumns { get; } =
    [
        "trial", "service", "start_h", "start_time", "cause_kind", "cause", "scope", "detected", "detection_delay_h",
        "action", "downtime_h", "data_loss_h", "data_loss_gb", "total_loss",
    ];

    /// <summary>The cost columns at the end of <c>trials.csv</c>.</summary>
    public static IReadOnlyList<string> TrialCostColumns { get; } = ["cost", "cost.protection", "cost.penalties"];

    /// <summary>The length of a start time as <see cref="FormatStartTime(DateTime, Span{byte})"/> writes it: <c>yyyy-MM-ddTHH:mm:ss</c>.</summary>
    public const int StartTimeLength = 19;

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

    // The rows of trials.csv and incidents.csv, millions of them: with injection handling on, CsvHelper takes its custom
    // path for every field, numbers included, and a default run of availability-20 took about 15% longer. The rows' only
    // text is names known before the first row, neutralised once (FormulaSafe), so their writer goes without; the headers
    // keep it.
    private static readonly CsvWriterOptions RowOptions = Options with { Injection = CsvInjection.None };

    /// <summary>Writes <c>summary.csv</c>: one row per entity, cause, metric, denominator and unit (long format).</summary>
    /// <remarks>
    /// Each entity's rows over all causes come first (<c>cause_kind</c> and <c>cause</c> empty), then one row per cause
    /// that brought it anything (see <see cref="CauseAttribution"/>). <c>target</c> and <c>p_breach</c> are on the hours
    /// rows of entities with a target: per trial the probability that a trial holds a breach, per incident the share of
    /// incidents beyond it. <c>p_total_loss</c> is on a data set's one row of loss hours per trial.
    /// The percentiles' 95% intervals come last (after the other columns, so that files read by position keep their
    /// meaning); an end the sample cannot bound is empty.
    /// </remarks>
    public static void WriteSummary(TextWriter writer, RunResult result, IReadOnlyList<CauseShare> causes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(causes);
        var scenario = result.Scenario;
        string unit = CurrencyUnit(scenario);
        using var csv = RowWriter(writer, [.. SummaryColumns]);
        for (int i = 0; i < result.Services.Count; i++)
        {
            var s = result.Services[i];
            WriteSummaryRow(csv, new("service", s.Name, "downtime", "trial", "hours"), s.DowntimePerTrial, s.RtoHours, s.RtoHours is null ? null : s.TrialBreachProbability);
            WriteSummaryRow(csv, new("service", s.Name, "downtime", "incident", "hours"), s.DowntimePerIncident, s.RtoHours, s.RtoHours is null ? null : s.IncidentBreachProbability);
            if (s.PlannedDowntimePerTrial is { } planned)
            {
                WriteSummaryRow(csv, new("service", s.Name, "planned_downtime", "trial", "hours"), planned);
            }

            WriteCauseRows(csv, scenario, causes, AttributedMetric.Downtime, i, new("service", s.Name, "downtime", "trial", "hours"));
        }

        for (int i = 0; i < result.DataSets.Count; i++)
        {
            var d = result.DataSets[i];
            WriteSummaryRow(csv, new("data", d.Name, "loss", "trial", "hours"), d.LossHoursPerTrial, d.RpoHours, d.RpoHours is null ? null : d.TrialBreachProbability, d.TotalLossProbability);
            WriteSummaryRow(csv, new("data", d.Name, "loss", "incident", "hours"), d.LossHoursPerIncident, d.RpoHours, d.RpoHours is null ? null : d.IncidentBreachProbability);
            WriteSummaryRow(csv, new("data", d.Name, "loss", "trial", "gb"), d.LossGbPerTrial);
            WriteSummaryRow(csv, new("data", d.Name, "loss", "incident", "gb"), d.LossGbPerIncident);
            WriteCauseRows(csv, scenario, causes, AttributedMetric.LossHours, i, new("data", d.Name, "loss", "trial", "hours"));
            WriteCauseRows(csv, scenario, causes, AttributedMetric.LossGb, i, new("data", d.Name, "loss", "trial", "gb"));
        }

        var cost = result.Costs;
        WriteSummaryRow(csv, new("cost", "total", "cost", "trial", unit), cost.Total);
        WriteSummaryRow(csv, new("cost", "penalties", "cost", "trial", unit), cost.Penalties);
        WriteSummaryRow(csv, new("cost", "protection", "cost", "trial", unit), cost.Protection);
        WriteCauseRows(csv, scenario, causes, AttributedMetric.Penalties, -1, new("cost", "penalties", "cost", "trial", unit));
    }

    /// <summary>The name of a cause as incidents.csv writes it: the threat's or the component's name.</summary>
    public static string CauseName(Scenario scenario, CauseKind kind, int index)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return kind switch
        {
            CauseKind.Threat or CauseKind.Maintenance => scenario.Threats[index].Name,
            CauseKind.ComponentFailure => scenario.Components[index].Name,
            CauseKind.Failback => "failback",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a cause kind"),
        };
    }

    /// <summary>The snake_case name of a cause kind, as incidents.csv writes it.</summary>
    public static string CauseKindName(CauseKind kind) => SnakeCase(kind.ToString());

    private static void WriteCauseRows(CsvWriter csv, Scenario scenario, IReadOnlyList<CauseShare> causes, AttributedMetric metric, int entity, RowKey key)
    {
        foreach (var share in causes)
        {
            if (share.Metric == metric && share.Entity == entity)
            {
                WriteSummaryRow(csv, key with { CauseKind = CauseKindName(share.Kind), Cause = CauseName(scenario, share.Kind, share.Cause) }, share.PerTrial);
            }
        }
    }

    /// <summary>
    /// A text field neutralised once, as <see cref="CsvInjection.Escape"/> would at every write: text that starts like a
    /// formula gets the escape character in front and is quoted; other text is quoted only when it needs to be.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>What to write with <see cref="CsvWriter.WriteField(string, CsvQuoting)"/> to a writer without injection handling.</returns>
    public static SafeField FormulaSafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && Options.InjectionCharacters.Contains(text[0])
            ? new(Options.InjectionEscape + text, CsvQuoting.Always)
            : new(text, CsvQuoting.WhenNeeded);
    }

    /// <summary>A text field as <see cref="FormulaSafe"/> made it: the text to write and how to quote it.</summary>
    /// <param name="Text">The text, with the escape character in front if it started like a formula.</param>
    /// <param name="Quoting">How to quote it.</param>
    public readonly record struct SafeField(string Text, CsvQuoting Quoting);

    /// <summary>Writes <paramref name="header"/> with injection handling, then returns a writer for the rows without it: write their text with <see cref="WriteText"/>, their numbers with <see cref="WriteNumber"/>.</summary>
    public static CsvWriter RowWriter(TextWriter writer, string[] header)
    {
        using (var head = CsvWriter.Create(writer, Options, leaveOpen: true))
        {
            head.WriteHeader(header);
        }

        return CsvWriter.Create(writer, RowOptions, leaveOpen: true);
    }

    /// <summary>The unit of money columns: the scenario's currency label, or <c>money</c> when it has none.</summary>
    public static string CurrencyUnit(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Currency ?? "money";
    }

    /// <summary>Writes <c>trials.csv</c> of a run that kept its records: one row per trial, in trial order.</summary>
    /// <remarks>The same bytes as <see cref="TrialsWriter"/> fed with the run's chunks.</remarks>
    public static void WriteTrials(TextWriter writer, RunResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var trials = new TrialsWriter(writer, result.Scenario, cancellationToken);
        result.KeptRecords.Replay(trials);
    }

    /// <summary>Writes <c>incidents.csv</c> of a run that kept its records: one row per service incident, in trial order.</summary>
    /// <remarks>The same bytes as <see cref="IncidentsWriter"/> fed with the run's chunks.</remarks>
    public static void WriteIncidents(TextWriter writer, RunResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var incidents = new IncidentsWriter(writer, result.Scenario, cancellationToken);
        result.KeptRecords.Replay(incidents);
    }

    /// <summary>
    /// Writes <c>trials.csv</c> as the run goes: one row per trial, in trial order, streamed chunk by chunk (nothing is kept).
    /// </summary>
    /// <remarks>
    /// Columns: <c>trial</c>, then per service <c>NAME.downtime_h</c> (unplanned), <c>NAME.incidents</c> (unplanned) and
    /// <c>NAME.planned_h</c> (maintenance windows and failbacks), then per data set
    /// <c>NAME.loss_h</c> and <c>NAME.loss_gb</c>, then <c>cost</c>, <c>cost.protection</c> and <c>cost.penalties</c>
    /// (always present, zeros for a scenario without costs).
    /// </remarks>
    public sealed class TrialsWriter : ITrialChunkConsumer, IDisposable
    {
        private readonly CsvWriter _csv;
        private readonly TrialPricing _pricing;
        private readonly CancellationToken _cancellationToken;

        /// <summary>Writes the header to <paramref name="writer"/> (left open).</summary>
        public TrialsWriter(TextWriter writer, Scenario scenario, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(writer);
            ArgumentNullException.ThrowIfNull(scenario);
            var header = new List<string> { "trial" };
            foreach (var service in scenario.Services)
            {
                header.AddRange([service.Name + ".downtime_h", service.Name + ".incidents", service.Name + ".planned_h"]);
            }

            foreach (var dataSet in scenario.DataSets)
            {
                header.AddRange([dataSet.Name + ".loss_h", dataSet.Name + ".loss_gb"]);
            }

            header.AddRange(TrialCostColumns);
            _pricing = CostModel.Pricing(scenario);
            _cancellationToken = cancellationToken;
            _csv = RowWriter(writer, [.. header]);
        }

        /// <inheritdoc/>
        public void Consume(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            _cancellationToken.ThrowIfCancellationRequested();
            for (int row = 0; row < chunk.Count; row++)
            {
                _csv.WriteField(chunk.FirstTrial + row, default);
                for (int s = 0; s < chunk.Services; s++)
                {
                    _csv.WriteField(new FileNumber(chunk.Downtime(row, s)), default);
                    _csv.WriteField(chunk.IncidentCount(row, s), default);
                    _csv.WriteField(new FileNumber(chunk.PlannedDowntime(row, s)), default);
                }

                for (int d = 0; d < chunk.DataSets; d++)
                {
                    _csv.WriteField(new FileNumber(chunk.LossHours(row, d)), default);
                    _csv.WriteField(new FileNumber(chunk.LossGb(row, d)), default);
                }

                var cost = _pricing.Price(chunk.DowntimeRow(row), chunk.IncidentCountRow(row), chunk.LossHoursRow(row), chunk.LossGbRow(row));
                _csv.WriteField(new FileNumber(cost.Total), default);
                _csv.WriteField(new FileNumber(cost.Protection), default);
                _csv.WriteField(new FileNumber(cost.Penalties), default);
                _csv.EndRecord();
            }
        }

        /// <summary>Flushes what is buffered to the writer.</summary>
        public void Dispose() => _csv.Dispose();
    }

    /// <summary>Writes <c>incidents.csv</c> as the run goes: one row per service incident, in trial order, streamed chunk by chunk.</summary>
    public sealed class IncidentsWriter : ITrialChunkConsumer, IDisposable
    {
        private readonly CsvWriter _csv;
        private readonly Scenario _scenario;
        private readonly CancellationToken _cancellationToken;

        // Millions of rows: the names of services, causes and enum values are made once, up front, neutralised
        // (FormulaSafe) and looked up by index.
        private readonly IncidentNames _names;
        private readonly SafeField[] _services;
        private readonly Dictionary<string, SafeField> _safe;
        private readonly SafeField[] _causeKinds;
        private readonly SafeField[] _actions;

        /// <summary>Writes the header to <paramref name="writer"/> (left open).</summary>
        public IncidentsWriter(TextWriter writer, Scenario scenario, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(writer);
            ArgumentNullException.ThrowIfNull(scenario);
            _scenario = scenario;
            _cancellationToken = cancellationToken;
            _names = new IncidentNames(scenario);
            _services = [.. _names.Services.Select(FormulaSafe)];
            _causeKinds = [.. _names.CauseKinds.Select(FormulaSafe)];
            _actions = [.. _names.Actions.Select(FormulaSafe)];
            _safe = _names.All.SelectMany(c => new[] { c.Cause, c.Scope }).Distinct().ToDictionary(n => n, FormulaSafe);
            _csv = RowWriter(writer, [.. IncidentColumns]);
        }

        /// <inheritdoc/>
        public void Consume(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            DateTime start = _scenario.Simulation.Start;
            Span<byte> time = stackalloc byte[StartTimeLength];
            int row = 0;
            foreach (ref readonly var incident in chunk.Incidents)
            {
                if (row++ % CancellationCheckInterval == 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                }

                var (cause, scope) = _names.Cause(in incident);

                _csv.WriteField(incident.Trial, default);
                Write(_services[incident.Service]);
                _csv.WriteField(new FileNumber(incident.StartHours), default);
                if (TryStartTime(start, incident.StartHours, out var startTime))
                {
                    // Formatted by hand into the stack: DateTime's own custom formatting was a tenth of a run's time.
                    FormatStartTime(startTime, time);
                    _csv.WriteField(time);
                }
                else
                {
                    _csv.WriteField("");
                }

                Write(_causeKinds[(int)incident.CauseKind]);
                Write(_safe[cause]);
                Write(_safe[scope]);
                _csv.WriteField(incident.Detected ? 1 : 0, default);
                // The delay exists only for a detected incident: an outage that ended first was never detected.
                _csv.WriteField(new FileNumber(incident.Detected ? incident.DetectionDelayHours : double.NaN), default);
                Write(_actions[(int)incident.Action]);
                _csv.WriteField(new FileNumber(incident.DowntimeHours), default);
                _csv.WriteField(new FileNumber(incident.DataLossHours), default);
                _csv.WriteField(new FileNumber(incident.DataLossGb), default);
                _csv.WriteField(incident.TotalLoss ? 1 : 0, default);
                _csv.EndRecord();
            }
        }

        private void Write(SafeField field) => _csv.WriteField(field.Text, field.Quoting);

        /// <summary>Flushes what is buffered to the writer.</summary>
        public void Dispose() => _csv.Dispose();
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
    /// <remarks>The text of incidents.csv's <c>start_time</c>, for the trace.</remarks>
    public static string FormatStartTime(DateTime start, double hours)
    {
        if (!TryStartTime(start, hours, out var time))
        {
            return "";
        }

        Span<byte> text = stackalloc byte[StartTimeLength];
        FormatStartTime(time, text);
        return Encoding.ASCII.GetString(text);
    }

    /// <summary>Writes <paramref name="time"/> as <c>yyyy-MM-ddTHH:mm:ss</c> in ASCII into <paramref name="destination"/>, which holds <see cref="StartTimeLength"/> bytes.</summary>
    /// <remarks>What DateTime's custom format <c>yyyy-MM-dd'T'HH:mm:ss</c> writes in the invariant culture, without its cost per row.</remarks>
    public static void FormatStartTime(DateTime time, Span<byte> destination)
    {
        // The date from the ticks once, not once for each of year, month and day.
        var (year, month, day) = time;
        Digits(destination[..4], year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), time.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), time.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), time.Second);

        static void Digits(Span<byte> digits, int value)
        {
            for (int i = digits.Length - 1; i >= 0; i--)
            {
                digits[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    /// <summary>Gets <paramref name="start"/> plus <paramref name="hours"/>, to the nearest second, when it is a finite time within the calendar.</summary>
    public static bool TryStartTime(DateTime start, double hours, out DateTime time)
    {
        // Rounded, not truncated: 8765.9 h is 31,557,239.99999 s in binary floating point and must print as ...:54:00.
        double seconds = Math.Round(hours * 3600, MidpointRounding.AwayFromZero);
        double maxSeconds = (DateTime.MaxValue - start).TotalSeconds;
        double minSeconds = (DateTime.MinValue - start).TotalSeconds;
        if (!double.IsFinite(seconds) || seconds > maxSeconds || seconds < minSeconds)
        {
            time = default;
            return false;
        }

        time = start.AddSeconds(seconds);
        return true;
    }

    // The identifying cells of a summary row.
    private readonly record struct RowKey(string Entity, string Name, string Metric, string Per, string Unit)
    {
        public string CauseKind { get; init; } = "";

        public string Cause { get; init; } = "";
    }

    private static void WriteSummaryRow(CsvWriter csv, RowKey key, Summary summary, double? target = null, double? breach = null, double? totalLoss = null)
    {
        WriteText(csv, key.Entity);
        WriteText(csv, key.Name);
        WriteText(csv, key.CauseKind);
        WriteText(csv, key.Cause);
        WriteText(csv, key.Metric);
        WriteText(csv, key.Per);
        WriteText(csv, key.Unit);
        csv.WriteField(summary.Count, default);
        WriteNumber(csv, summary.Mean);
        WriteNumber(csv, summary.MeanCiLow);
        WriteNumber(csv, summary.MeanCiHigh);

        // A spread below the mean's own ninth digit is the rounding of the sum, not a spread: a fixed value has none.
        WriteNumber(csv, summary.StdDev < Math.Abs(summary.Mean) * 1e-9 ? 0 : summary.StdDev);
        WriteNumber(csv, summary.P50);
        WriteNumber(csv, summary.P90);
        WriteNumber(csv, summary.P95);
        WriteNumber(csv, summary.P99);
        WriteNumber(csv, summary.P999);
        WriteNumber(csv, summary.Max);
        WriteNumber(csv, summary.ShareNonZero);
        WriteNumber(csv, target);
        WriteNumber(csv, breach);
        WriteNumber(csv, totalLoss);
        foreach (var percentile in summary.Percentiles)
        {
            WriteNumber(csv, percentile.Interval.Low);
            WriteNumber(csv, percentile.Interval.High);
        }

        csv.EndRecord();
    }

    /// <summary>Writes a text field to a writer without injection handling (<see cref="RowWriter"/>), neutralised as <see cref="FormulaSafe"/> says.</summary>
    public static void WriteText(CsvWriter csv, string text)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var field = FormulaSafe(text);
        csv.WriteField(field.Text, field.Quoting);
    }

    /// <summary>Writes a number as files hold it (<see cref="NumberText"/>); an empty cell for null. Numbers are never neutralised: write them to a writer without injection handling (<see cref="RowWriter"/>).</summary>
    public static void WriteNumber(CsvWriter csv, double? value)
    {
        ArgumentNullException.ThrowIfNull(csv);
        csv.WriteField(new FileNumber(value ?? double.NaN), default);
    }
}
