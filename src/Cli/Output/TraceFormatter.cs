using System.Globalization;
using CsvHelper;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Tracing;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>Writes the timeline of one traced trial, as text for a person or as CSV for a spreadsheet.</summary>
/// <remarks>
/// Invariant culture whatever the current culture is, "\n" line endings. Names, never indices. The totals are written
/// in the shortest form that round-trips, exactly as <c>trials.csv</c> holds them.
/// </remarks>
public static class TraceFormatter
{
    /// <summary>The columns of the CSV timeline.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
        ["trial", "step", "time_h", "time", "event", "entity", "name", "value", "value2", "text"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly CsvWriterOptions CsvOptions = CsvWriterOptions.Default with
    {
        NewLine = "\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    /// <summary>Writes the timeline as text: a heading, one line per step, each incident's summary, and the totals.</summary>
    /// <param name="writer">Receives the text.</param>
    /// <param name="trace">The traced trial.</param>
    /// <param name="quietComponents">Leave out the up/down steps of components (their failures, repairs and threats stay).</param>
    public static void WriteText(TextWriter writer, TrialTrace trace, bool quietComponents = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(trace);
        var scenario = trace.Scenario;
        var sim = scenario.Simulation;
        writer.Write(string.Create(Inv, $"Trial {trace.Trial} of '{scenario.Name}', seed {trace.Seed}: {Hours(sim.HorizonHours)} from {CsvOutputs.FormatStartTime(sim.Start, 0)}\n"));
        writer.Write("\n");
        writer.Write(string.Create(Inv, $"{"hours",12}  {"time",-19}  event\n"));
        var lines = Describe(trace, quietComponents);
        foreach (var line in lines)
        {
            writer.Write(string.Create(Inv, $"{line.Time,12:F3}  {CsvOutputs.FormatStartTime(sim.Start, line.Time),-19}  {(line.IsIncident ? "= " : "")}{line.Text}\n"));
        }

        if (lines.Count == 0)
        {
            writer.Write("(nothing happened in this trial)\n");
        }

        writer.Write("\n");
        writer.Write(string.Create(Inv, $"Totals of trial {trace.Trial} (as in trials.csv):\n"));
        for (int s = 0; s < scenario.Services.Length; s++)
        {
            writer.Write(string.Create(Inv, $"  service '{scenario.Services[s].Name}': downtime {Exact(trace.DowntimeHours[s])} h inside the horizon, {trace.IncidentCounts[s]} incident{(trace.IncidentCounts[s] == 1 ? "" : "s")}\n"));
        }

        for (int d = 0; d < scenario.DataSets.Length; d++)
        {
            writer.Write(string.Create(Inv, $"  data '{scenario.DataSets[d].Name}': {Exact(trace.LossHours[d])} h of changes lost, {Exact(trace.LossGb[d])} GB\n"));
        }

        string currency = CsvOutputs.CurrencyUnit(scenario);
        writer.Write(string.Create(Inv, $"  cost: {Exact(trace.Cost.Total)} {currency} (protection {Exact(trace.Cost.Protection)}, penalties {Exact(trace.Cost.Penalties)}: outage {Exact(trace.Cost.Outage)}, incidents {Exact(trace.Cost.Incidents)}, data loss {Exact(trace.Cost.DataLoss)})\n"));
        writer.Write("\n");
        writer.Write(string.Join(",", TrialsCsvHeader(scenario)) + "\n");
        writer.Write(TrialsCsvRow(trace) + "\n");
    }

    /// <summary>Writes the timeline as CSV: one row per step or incident summary (columns <see cref="CsvColumns"/>).</summary>
    /// <remarks>
    /// <c>event</c> is the step's kind in snake_case (<c>threat_arrived</c>, <c>failover_started</c>, ...) or <c>incident</c>;
    /// <c>entity</c> and <c>name</c> say what it is about; <c>value</c> and <c>value2</c> are the step's numbers (hours, or
    /// for an incident its downtime and largest data loss, hours); <c>text</c> is the line of the text timeline.
    /// </remarks>
    public static void WriteCsv(TextWriter writer, TrialTrace trace, bool quietComponents = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(trace);
        var start = trace.Scenario.Simulation.Start;
        using var csv = CsvWriter.Create(writer, CsvOptions, leaveOpen: true);
        csv.WriteHeader([.. CsvColumns]);
        int step = 0;
        foreach (var line in Describe(trace, quietComponents))
        {
            csv.WriteField(trace.Trial, default);
            csv.WriteField(++step, default);
            CsvOutputs.WriteNumber(csv, line.Time);
            csv.WriteField(CsvOutputs.FormatStartTime(start, line.Time));
            csv.WriteField(line.Event);
            csv.WriteField(line.Entity);
            csv.WriteField(line.Name);
            CsvOutputs.WriteNumber(csv, line.Value);
            CsvOutputs.WriteNumber(csv, line.Value2);
            csv.WriteField(line.Text);
            csv.EndRecord();
        }
    }

    /// <summary>The header of <c>trials.csv</c> for a scenario, as the run command writes it (formula-like names aside).</summary>
    public static IReadOnlyList<string> TrialsCsvHeader(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var header = new List<string> { "trial" };
        foreach (var s in scenario.Services)
        {
            header.Add(s.Name + ".downtime_h");
            header.Add(s.Name + ".incidents");
            header.Add(s.Name + ".planned_h");
        }

        foreach (var d in scenario.DataSets)
        {
            header.Add(d.Name + ".loss_h");
            header.Add(d.Name + ".loss_gb");
        }

        header.AddRange(CsvOutputs.TrialCostColumns);
        return header;
    }

    /// <summary>The trial's row of <c>trials.csv</c>, with the same numbers a batch run writes.</summary>
    public static string TrialsCsvRow(TrialTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var fields = new List<string> { trace.Trial.ToString(Inv) };
        for (int s = 0; s < trace.DowntimeHours.Length; s++)
        {
            fields.Add(Exact(trace.DowntimeHours[s]));
            fields.Add(trace.IncidentCounts[s].ToString(Inv));
            fields.Add(Exact(trace.PlannedDowntimeHours[s]));
        }

        for (int d = 0; d < trace.LossHours.Length; d++)
        {
            fields.Add(Exact(trace.LossHours[d]));
            fields.Add(Exact(trace.LossGb[d]));
        }

        fields.Add(Exact(trace.Cost.Total));
        fields.Add(Exact(trace.Cost.Protection));
        fields.Add(Exact(trace.Cost.Penalties));
        return string.Join(",", fields);
    }

    /// <summary>A duration for a reader: minutes below an hour, hours below two days, days beyond (with the hours).</summary>
    public static string Hours(double hours)
    {
        if (double.IsPositiveInfinity(hours))
        {
            return "forever";
        }

        if (hours < 1)
        {
            return string.Create(Inv, $"{hours * 60:0.#} min");
        }

        return hours < 48
            ? string.Create(Inv, $"{hours:0.##} h")
            : string.Create(Inv, $"{hours / 24:0.#} d ({hours:0.#} h)");
    }

    // As the files write it, so the totals and the row read exactly as in trials.csv.
    private static string Exact(double value) => NumberText.File(value);

    private static List<Line> Describe(TrialTrace trace, bool quietComponents)
    {
        var scenario = trace.Scenario;
        var lines = new List<Line>(trace.Entries.Length);
        var downAt = new double[scenario.Services.Length];
        var detectedAt = new double[scenario.Services.Length];
        foreach (var entry in trace.Entries)
        {
            if (entry.IsIncident)
            {
                lines.Add(IncidentLine(scenario, entry));
                continue;
            }

            var step = entry.Step;
            if (quietComponents && step.Kind is TraceKind.ComponentDown or TraceKind.ComponentUp)
            {
                continue;
            }

            if (step.Kind == TraceKind.ServiceDown)
            {
                downAt[step.Subject] = entry.Time;
            }
            else if (step.Kind == TraceKind.Detected)
            {
                detectedAt[step.Subject] = entry.Time;
            }

            lines.Add(StepLine(scenario, entry, downAt, detectedAt));
        }

        return lines;
    }

    private static Line StepLine(Scenario scenario, TraceEntry entry, double[] downAt, double[] detectedAt)
    {
        var step = entry.Step;
        string kind = CsvOutputs.SnakeCase(step.Kind.ToString());
        int i = step.Subject;
        switch (step.Kind)
        {
            case TraceKind.ThreatArrived:
            {
                var t = scenario.Threats[i];
                string what = t.Effect switch
                {
                    Effect.Outage when t.Planned => $"planned maintenance window of {Hours(step.Value)}",
                    Effect.Outage when t.EndsAfterDetection => $"a silent hang until someone notices, then {Hours(step.Value)} to fix",
                    Effect.Outage => $"outage for {Hours(step.Value)}",
                    Effect.Destroyed => $"destroyed, rebuild takes {Hours(step.Value)}",
                    _ => $"a hidden infection that detonates in {Hours(step.Value)}",
                };
                if (t.Silent && !t.EndsAfterDetection)
                {
                    what += " (silent: liveness checks miss it)";
                }
                return new(entry, kind, "threat", t.Name, step.Value, 0, $"threat '{t.Name}' ({t.Kind}) strikes {t.Scope}: {what}");
            }

            case TraceKind.ThreatEnded:
            {
                var t = scenario.Threats[i];
                string text = t.Effect == Effect.Outage
                    ? $"threat '{t.Name}' over: {t.Scope} available again"
                    : $"rebuild after '{t.Name}' complete: {t.Scope} usable again";
                return new(entry, kind, "threat", t.Name, 0, 0, text);
            }

            case TraceKind.ComponentFailed:
            {
                var c = scenario.Components[i];
                string effect = c.Failure?.Effect == Effect.Destroyed ? "destroyed, replacement" : "repair";
                return new(entry, kind, "component", c.Name, step.Value, 0, $"component '{c.Name}' fails on its own ({effect} takes {Hours(step.Value)})");
            }

            case TraceKind.ComponentRepaired:
                return Named(entry, kind, "component", scenario.Components[i].Name, "component '{0}' repaired");
            case TraceKind.ComponentDown:
                return Named(entry, kind, "component", scenario.Components[i].Name, "component '{0}' down");
            case TraceKind.ComponentUp:
                return Named(entry, kind, "component", scenario.Components[i].Name, "component '{0}' up");
            case TraceKind.DataDestroyed:
                return Named(entry, kind, "data", scenario.DataSets[i].Name, "data '{0}': every live copy destroyed");
            case TraceKind.ServiceDown:
            {
                var s = scenario.Services[i];
                string cause = entry.Incident is { } incident ? "cause: " + Cause(scenario, incident) : "cause: " + CsvOutputs.SnakeCase(((CauseKind)step.Detail).ToString());
                return new(entry, kind, "service", s.Name, step.Value, 0, $"service '{s.Name}' down ({cause}); detection will take {Hours(step.Value)}");
            }

            case TraceKind.Detected:
            {
                var s = scenario.Services[i];
                string by = step.Detail >= 0 && step.Detail < scenario.Monitors.Length
                    ? $"by monitor '{scenario.Monitors[step.Detail].Name}'"
                    : "by manual discovery (no monitor saw it)";
                string people = step.Value > 0 ? $"; a person acts in {Hours(step.Value)}" : "";
                return new(entry, kind, "service", s.Name, entry.Time - downAt[i], 0, $"outage of '{s.Name}' detected {by}, {Hours(entry.Time - downAt[i])} after it began{people}");
            }

            case TraceKind.FailoverScheduled:
            {
                var s = scenario.Services[i];
                return new(entry, kind, "service", s.Name, step.Value, 0,
                    $"decision: standby '{s.Standby?.Site}' usable, manual failover waits {Hours(s.Recovery.Failover?.AfterHours ?? 0)} after detection, until {step.Value.ToString("F3", Inv)} h");
            }

            case TraceKind.FailoverStarted:
            {
                var s = scenario.Services[i];
                var failover = s.Recovery.Failover;
                string why = failover?.Mode == FailoverMode.Manual
                    ? $"manual failover after {Hours(failover.AfterHours)} since detection"
                    : "automatic failover at detection";
                if (failover?.Mode == FailoverMode.Manual && entry.Time > detectedAt[i] + failover.AfterHours + 1e-9)
                {
                    why += " (started when the standby was usable)";
                }

                return new(entry, kind, "service", s.Name, step.Value, 0, $"failover started: standby '{s.Standby?.Site}' usable, {why}; takes {Hours(step.Value)}");
            }

            case TraceKind.FailoverCompleted:
            {
                var s = scenario.Services[i];
                return new(entry, kind, "service", s.Name, 0, 0, $"failover of '{s.Name}' to '{s.Standby?.Site}' complete");
            }

            case TraceKind.FailoverFailed:
            {
                var s = scenario.Services[i];
                return new(entry, kind, "service", s.Name, 0, 0, $"failover of '{s.Name}' to '{s.Standby?.Site}' failed: the standby is not usable any more");
            }

            case TraceKind.RecoveryPoint:
                return RecoveryPointLine(scenario, entry, kind);
            case TraceKind.RestoreStarted:
            {
                var s = scenario.Services[i];
                string where = step.Detail == 0 ? $"at the primary '{s.Site}'" : $"at the standby '{s.Standby?.Site}'";
                string why = step.Detail == 0 ? "primary usable again, data lost" : "no replica there";
                return new(entry, kind, "service", s.Name, step.Value, 0, $"restore of '{s.Name}' {where} started ({why}): takes {Hours(step.Value)}");
            }

            case TraceKind.ServiceUp:
            {
                var s = scenario.Services[i];
                string action = CsvOutputs.SnakeCase(((IncidentAction)step.Detail).ToString());
                return new(entry, kind, "service", s.Name, step.Value, 0, $"service '{s.Name}' runs again ({action}) after {Hours(step.Value)} down");
            }

            case TraceKind.FailedBack:
            {
                var s = scenario.Services[i];
                return new(entry, kind, "service", s.Name, 0, 0, $"service '{s.Name}' fails back to the primary '{s.Site}' (the standby's data is copied back)");
            }

            case TraceKind.BackupPower:
            {
                var c = scenario.Components[i];
                string text = double.IsInfinity(step.Value)
                    ? $"utility feed of '{c.Name}' lost: the generator started and is refuelled, power holds"
                    : step.Detail == 1
                        ? $"utility feed of '{c.Name}' lost: the generator started, fuel runs out in {Hours(step.Value)}"
                        : $"utility feed of '{c.Name}' lost: the generator failed to start, the UPS lasts {Hours(step.Value)}";
                return new(entry, kind, "component", c.Name, step.Value, 0, text);
            }

            case TraceKind.Detonated:
            {
                var t = scenario.Threats[i];
                return new(entry, kind, "threat", t.Name, step.Value, step.Value2,
                    $"'{t.Name}' detonates: data in {t.Scope} corrupt since the infection at {Hours(step.Value2)} into the trial; clean-up takes {Hours(step.Value)} before restores");
            }

            case TraceKind.Estimated:
            {
                var s = scenario.Services[i];
                string decision = step.Detail == 1 ? "fail over" : "keep waiting";
                return new(entry, kind, "service", s.Name, step.Value, step.Value2,
                    $"operator estimates {Hours(step.Value)} of outage left (truly {Hours(step.Value2)}): {decision}");
            }

            case TraceKind.FailbackStarted:
            {
                var s = scenario.Services[i];
                return new(entry, kind, "service", s.Name, step.Value, 0, $"planned failback of '{s.Name}' to '{s.Site}' starts: {Hours(step.Value)} down");
            }

            default:
                // A step this formatter does not know yet: shown raw rather than hidden.
                return new(entry, kind, "", i.ToString(Inv), step.Value, step.Value2, string.Create(Inv, $"{kind} (subject {i}, detail {step.Detail}, value {step.Value}, value2 {step.Value2})"));
        }
    }

    private static Line RecoveryPointLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var d = scenario.DataSets[step.Subject];
        string text = step.Detail switch
        {
            -1 => $"data '{d.Name}': recovery point from the replica at the standby: {Hours(step.Value)} of changes lost",
            -2 => string.Create(Inv, $"data '{d.Name}': total loss: no surviving recovery point; rebuilt empty ({d.SizeGb} GB)"),
            int b when b >= 0 && b < d.Backups.Length =>
                $"data '{d.Name}': restore from backup '{d.Backups[b].Name}' ({d.Backups[b].Destination}): {Hours(step.Value)} of changes lost, restore {Hours(step.Value2)}",
            _ => string.Create(Inv, $"data '{d.Name}': recovery point {step.Detail}: {Hours(step.Value)} of changes lost"),
        };
        return new(entry, kind, "data", d.Name, step.Value, step.Value2, text);
    }

    private static Line IncidentLine(Scenario scenario, TraceEntry entry)
    {
        var incident = entry.Incident!.Value;
        var s = scenario.Services[incident.Service];
        string detected = incident.Detected ? $"detected after {Hours(incident.DetectionDelayHours)}" : "never detected";
        string action = CsvOutputs.SnakeCase(incident.Action.ToString());
        var text = new System.Text.StringBuilder();
        text.Append(string.Create(Inv, $"incident of '{s.Name}': {Cause(scenario, incident)}, {detected}, {action}, downtime {Hours(incident.DowntimeHours)}"));
        if (entry.Losses.IsEmpty)
        {
            text.Append("; no data lost");
        }

        foreach (var loss in entry.Losses)
        {
            var d = scenario.DataSets[loss.DataSet];
            text.Append(string.Create(Inv, $"; data '{d.Name}' lost {Hours(loss.LossHours)} ({loss.LossGb:0.###} GB){(loss.TotalLoss ? ", total loss" : "")}"));
        }

        return new(entry, "incident", "service", s.Name, incident.DowntimeHours, incident.DataLossHours, text.ToString());
    }

    private static string Cause(Scenario scenario, IncidentRecord incident)
    {
        switch (incident.CauseKind)
        {
            case CauseKind.Threat:
                var threat = scenario.Threats[incident.CauseIndex];
                return $"threat '{threat.Name}' on {threat.Scope}";
            case CauseKind.Maintenance:
                var window = scenario.Threats[incident.CauseIndex];
                return $"planned maintenance '{window.Name}' on {window.Scope}";
            case CauseKind.Failback:
                return $"planned failback of '{scenario.Services[incident.CauseIndex].Name}' to its primary";
            default:
                return $"failure of component '{scenario.Components[incident.CauseIndex].Name}'";
        }
    }

    private static Line Named(TraceEntry entry, string kind, string entity, string name, string format) =>
        new(entry, kind, entity, name, 0, 0, string.Format(Inv, format, name));

    private sealed record Line(double Time, bool IsIncident, string Event, string Entity, string Name, double Value, double Value2, string Text)
    {
        public Line(TraceEntry entry, string evt, string entity, string name, double value, double value2, string text)
            : this(entry.Time, entry.IsIncident, evt, entity, name, value, value2, text)
        {
        }
    }
}
