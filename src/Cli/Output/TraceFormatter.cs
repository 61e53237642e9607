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
public static partial class TraceFormatter
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
        return step.Kind switch
        {
            TraceKind.ThreatArrived => ThreatLine(scenario, entry, kind),
            TraceKind.ThreatEnded => ThreatEndLine(scenario, entry, kind),
            TraceKind.ComponentFailed => ComponentFailedLine(scenario, entry, kind),
            TraceKind.ComponentRepaired => Named(entry, kind, "component", scenario.Components[i].Name, "component '{0}' repaired"),
            TraceKind.ComponentDown => Named(entry, kind, "component", scenario.Components[i].Name, "component '{0}' down"),
            TraceKind.ComponentUp => Named(entry, kind, "component", scenario.Components[i].Name, "component '{0}' up"),
            TraceKind.DataDestroyed => Named(entry, kind, "data", scenario.DataSets[i].Name, step.Detail == 1
                ? "data '{0}': corrupt (replicas followed it; only clean backups can restore it)"
                : "data '{0}': no current copy left: every live copy destroyed or behind"),
            TraceKind.ServiceDown => ServiceDownLine(scenario, entry, kind),
            TraceKind.Detected => DetectedLine(scenario, entry, kind, downAt),
            TraceKind.FailoverScheduled => ServiceLine(scenario, entry, kind, step.Value,
                $"decision: failover to standby '{scenario.Services[i].Standby?.Site}' waits until {step.Value.ToString("F3", Inv)} h ({FailoverWait(scenario.Services[i])})"),
            TraceKind.FailoverStarted => FailoverStartedLine(scenario, entry, kind, detectedAt),
            TraceKind.FailoverCompleted => ServiceLine(scenario, entry, kind, 0, $"failover of '{scenario.Services[i].Name}' to '{scenario.Services[i].Standby?.Site}' complete"),
            TraceKind.FailoverFailed => ServiceLine(scenario, entry, kind, 0,
                $"failover of '{scenario.Services[i].Name}' to '{scenario.Services[i].Standby?.Site}' did not work: its data is restored from backups there"),
            TraceKind.FailoverAborted => ServiceLine(scenario, entry, kind, 0,
                $"failover of '{scenario.Services[i].Name}' stopped: the standby '{scenario.Services[i].Standby?.Site}' went down during it"),
            TraceKind.RecoveryPoint => RecoveryPointLine(scenario, entry, kind),
            TraceKind.RestoreStarted => RestoreStartedLine(scenario, entry, kind),
            TraceKind.RestorePaused => ServiceLine(scenario, entry, kind, step.Value,
                $"restore of '{scenario.Services[i].Name}' waits: its target or the copy it reads is down ({Hours(step.Value)} of work left)"),
            TraceKind.RestoreResumed => ServiceLine(scenario, entry, kind, step.Value, $"restore of '{scenario.Services[i].Name}' goes on: {Hours(step.Value)} left"),
            TraceKind.RestoreRestarted => ServiceLine(scenario, entry, kind, 0,
                $"restore of '{scenario.Services[i].Name}' starts over: its target or the copy it read was destroyed"),
            TraceKind.ServiceUp => ServiceLine(scenario, entry, kind, step.Value,
                $"service '{scenario.Services[i].Name}' runs again ({CsvOutputs.SnakeCase(((IncidentAction)step.Detail).ToString())}) after {Hours(step.Value)} down"),
            TraceKind.FailedBack => ServiceLine(scenario, entry, kind, 0,
                $"service '{scenario.Services[i].Name}' fails back to the primary '{scenario.Services[i].Site}' (the standby's data is copied back)"),
            TraceKind.BackupPower => BackupPowerLine(scenario, entry, kind),
            TraceKind.Detonated => DetonatedLine(scenario, entry, kind),
            TraceKind.Estimated => new(entry, kind, "service", scenario.Services[i].Name, step.Value, step.Value2,
                $"operator estimates {Hours(step.Value)} of outage left (truly {Hours(step.Value2)}): {(step.Detail == 1 ? "fail over" : "do not fail over")}"),
            TraceKind.FailbackScheduled => ServiceLine(scenario, entry, kind, step.Value,
                step.Value > entry.Time + 1e-9
                    ? $"failback of '{scenario.Services[i].Name}' waits for the next window of '{scenario.Services[i].Failback?.Window}' at {step.Value.ToString("F3", Inv)} h"
                    : $"failback of '{scenario.Services[i].Name}' to '{scenario.Services[i].Site}' is due"),
            TraceKind.FailbackStarted => ServiceLine(scenario, entry, kind, step.Value,
                $"planned failback of '{scenario.Services[i].Name}' to '{scenario.Services[i].Site}' starts: {Hours(step.Value)} down"),
            TraceKind.FailbackAborted => ServiceLine(scenario, entry, kind, 0,
                $"failback of '{scenario.Services[i].Name}' abandoned: the primary or the standby's copy stopped working during it"),
            TraceKind.RatesRaised => RatesRaisedLine(scenario, entry, kind),
            TraceKind.RestoreFailed => DataLine(scenario, entry, kind, string.Create(Inv,
                $"the copy of backup '{BackupOf(scenario, step).Name}' taken at {step.Value:F3} h did not restore ({(step.Value2 == 1 ? "a silent break of its chain spoiled it" : "it failed on its own")}); the next older copy is tried")),
            TraceKind.RestoreRetried => ServiceLine(scenario, entry, kind, step.Value,
                $"restore of '{scenario.Services[i].Name}' goes on from older copies where a copy failed: takes {Hours(step.Value)} more"),
            TraceKind.ChainBreakFound => DataLine(scenario, entry, kind, string.Create(Inv,
                $"the chain of backup '{BackupOf(scenario, step).Name}' broke at {step.Value:F3} h and the break was found at {step.Value2:F3} h: its jobs since the break are skipped until fixed")),
            TraceKind.BackupsEncrypted => DataLine(scenario, entry, kind,
                $"ransomware encrypts the copies of backup '{BackupOf(scenario, step).Name}' ({BackupOf(scenario, step).Destination}, {(BackupOf(scenario, step).Exposure == BackupExposure.Online ? "online: every copy" : "offline: a copy being written")})"),
            TraceKind.BackupJob => BackupJobLine(scenario, entry, kind),
            TraceKind.VaultRetrieval => new(entry, kind, "data", scenario.DataSets[i].Name, step.Value, step.Value2,
                $"data '{scenario.DataSets[i].Name}': the copy the courier took to the vault of backup '{scenario.DataSets[i].Backups[step.Detail].Name}' at {At(scenario, step.Value2)} is retrieved: {Hours(step.Value)}, added to the restore"),
            TraceKind.VaultInTransit => new(entry, kind, "data", scenario.DataSets[i].Name, step.Value, step.Value2,
                $"data '{scenario.DataSets[i].Name}': the newer copy of backup '{scenario.DataSets[i].Backups[step.Detail].Name}' picked up at {At(scenario, step.Value2)} is in transit until {At(scenario, step.Value)}: not usable yet"),
            TraceKind.ReplicaBehind => ReplicaLine(scenario, entry, kind, step.Value, step.Value2, double.IsFinite(step.Value2)
                ? string.Create(Inv, $"is {step.Value:0.###} GB behind: its link drains the backlog, in sync in {Hours(step.Value2)}")
                : string.Create(Inv, $"is {step.Value:0.###} GB behind and falls further behind while the service writes: its link is slower than the change rate")),
            TraceKind.ReplicaCaughtUp => ReplicaLine(scenario, entry, kind, 0, 0, "caught up over its link: in sync"),
            TraceKind.ReplicaSeeding => ReplicaLine(scenario, entry, kind, step.Value, step.Value2,
                string.Create(Inv, $"is empty: seeding over its link, {step.Value:0.###} GB in {Hours(step.Value2)} (it protects nothing until then)")),
            TraceKind.ReplicaSeeded => ReplicaLine(scenario, entry, kind, step.Value, 0,
                string.Create(Inv, $"seeded ({step.Value:0.###} GB): it holds the data as of the seeding's start and catches up from there")),
            TraceKind.RestoreShared => new(entry, kind, "data", scenario.DataSets[i].Name, step.Value, step.Value2, string.Create(Inv,
                $"restore of data '{scenario.DataSets[i].Name}' reads at {step.Value:0.###} GB/h, its share of its source's throughput ({step.Detail} restore{(step.Detail == 1 ? "" : "s")} reading there now): {Hours(step.Value2)} of transfer left")),
            TraceKind.CrewQueued or TraceKind.CrewAssigned or TraceKind.CrewReleased => CrewLine(scenario, entry, kind),
            TraceKind.WaitingForService => ServiceLine(scenario, entry, kind, 0,
                $"service '{scenario.Services[i].Name}' is ready {(step.Value > 0 ? "at its standby" : "at its primary")} but waits for service '{scenario.Services[step.Detail].Name}', which it requires"),
            TraceKind.WaitingForPlace => ServiceLine(scenario, entry, kind, step.Value,
                string.Create(Inv, $"'{scenario.Services[i].Name}' waits for a place at standby site '{scenario.Sites[step.Detail].Name}': {step.Value} of {scenario.Sites[step.Detail].Capacity} taken, or kept for services before it in the recovery order")),
            TraceKind.RunningDegraded => ServiceLine(scenario, entry, kind, step.Value,
                string.Create(Inv, $"service '{scenario.Services[i].Name}' runs at its standby '{scenario.Services[i].Standby?.Site}' with {1 - step.Value:0.##%} of its capacity: each hour there counts {step.Value:0.###} h of downtime-equivalent")),
        };
    }

    private static Backup BackupOf(Scenario scenario, in TraceEvent step) => scenario.DataSets[step.Subject].Backups[step.Detail];

    private static Line DataLine(Scenario scenario, TraceEntry entry, string kind, string text)
    {
        var d = scenario.DataSets[entry.Step.Subject];
        return new(entry, kind, "data", d.Name, entry.Step.Value, entry.Step.Value2, $"data '{d.Name}': {text}");
    }

    private static Line ReplicaLine(Scenario scenario, TraceEntry entry, string kind, double value, double value2, string what)
    {
        var d = scenario.DataSets[entry.Step.Subject];
        int r = entry.Step.Detail;
        string target = r >= 0 && r < d.Replications.Length ? $" at {d.Replications[r].Target}" : "";
        return new(entry, kind, "data", d.Name, value, value2, $"replica of data '{d.Name}'{target} {what}");
    }

    private static string FailoverWait(Service s) => s.Recovery.Failover?.Mode switch
    {
        FailoverMode.Manual => $"manual failover {Hours(s.Recovery.Failover.AfterHours)} after detection, once a person is there",
        FailoverMode.Estimate => "a person must first be there to estimate",
        FailoverMode.Automatic or FailoverMode.Never or null => "",
    };

    private static Line ServiceLine(Scenario scenario, TraceEntry entry, string kind, double value, string text) =>
        new(entry, kind, "service", scenario.Services[entry.Step.Subject].Name, value, 0, text);

    private static Line ThreatLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var t = scenario.Threats[step.Subject];
        string what = t.Effect switch
        {
            Effect.Outage when t.Planned => $"planned maintenance window of {Hours(step.Value)}",
            Effect.Outage when t.EndsAfterDetection => $"a silent hang until someone notices, then {Hours(step.Value)} to fix",
            Effect.Outage => $"outage for {Hours(step.Value)}",
            Effect.Destroyed => $"destroyed, rebuild takes {Hours(step.Value)}",
            Effect.Corruption => $"a hidden infection that detonates in {Hours(step.Value)}",
        };
        if (t.Silent && !t.EndsAfterDetection)
        {
            what += " (silent: liveness checks miss it)";
        }

        string before = entry.Step.Time < 0 ? string.Create(Inv, $" ({Hours(-entry.Step.Time)} before the trial's start)") : "";
        return new(entry, kind, "threat", t.Name, step.Value, 0, $"threat '{t.Name}' ({t.Kind}) strikes {t.Scope}{before}: {what}");
    }

    private static Line ThreatEndLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var t = scenario.Threats[entry.Step.Subject];
        string text = t.Effect == Effect.Outage
            ? $"threat '{t.Name}' over: {t.Scope} available again"
            : $"rebuild after '{t.Name}' complete: {t.Scope} usable again";
        return new(entry, kind, "threat", t.Name, 0, 0, text);
    }

    private static Line ComponentFailedLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var c = scenario.Components[entry.Step.Subject];
        string effect = c.Failure?.Effect == Effect.Destroyed ? "destroyed, replacement" : "repair";
        return new(entry, kind, "component", c.Name, entry.Step.Value, 0, $"component '{c.Name}' fails on its own ({effect} takes {Hours(entry.Step.Value)})");
    }

    private static Line ServiceDownLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var s = scenario.Services[step.Subject];
        string cause = entry.Incident is { } incident ? "cause: " + Cause(scenario, incident) : "cause: " + CsvOutputs.SnakeCase(((CauseKind)step.Detail).ToString());
        return new(entry, kind, "service", s.Name, step.Value, 0, $"service '{s.Name}' down ({cause}); detection will take {Hours(step.Value)}");
    }

    private static Line DetectedLine(Scenario scenario, TraceEntry entry, string kind, double[] downAt)
    {
        var step = entry.Step;
        int i = step.Subject;
        var s = scenario.Services[i];
        string by = step.Detail >= 0 && step.Detail < scenario.Monitors.Length
            ? $"by monitor '{scenario.Monitors[step.Detail].Name}'"
            : "by manual discovery (no monitor saw it)";
        string people = step.Value > 0 ? $"; a person acts in {Hours(step.Value)}" : "";
        if (step.Value2 > 0)
        {
            people += $" (the day shift takes over: the off-hours response would have taken {Hours(step.Value2)})";
        }

        return new(entry, kind, "service", s.Name, entry.Time - downAt[i], 0, $"outage of '{s.Name}' detected {by}, {Hours(entry.Time - downAt[i])} after it began{people}");
    }

    private static Line FailoverStartedLine(Scenario scenario, TraceEntry entry, string kind, double[] detectedAt)
    {
        var step = entry.Step;
        int i = step.Subject;
        var s = scenario.Services[i];
        var failover = s.Recovery.Failover;
        string why = step.Detail == 1 ? "planned switchover for maintenance of the primary"
            : failover?.Mode switch
            {
                FailoverMode.Manual => $"manual failover after {Hours(failover.AfterHours)} since detection",
                FailoverMode.Estimate => "the operator's estimate says the outage outlasts a failover",
                FailoverMode.Automatic or FailoverMode.Never or null => "automatic failover at detection",
            };
        if (step.Detail == 0 && failover?.Mode == FailoverMode.Manual && entry.Time > detectedAt[i] + failover.AfterHours + 1e-9)
        {
            why += " (started when the standby was usable and a person was there)";
        }

        return new(entry, kind, "service", s.Name, step.Value, 0, $"failover started: standby '{s.Standby?.Site}' usable, {why}; takes {Hours(step.Value)}");
    }

    private static Line RestoreStartedLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var s = scenario.Services[step.Subject];
        string where = step.Detail == 0 ? $"at the primary '{s.Site}'" : $"at the standby '{s.Standby?.Site}'";
        string why = step.Detail == 0 ? "primary usable again, data lost" : "data not on a usable replica there";
        return new(entry, kind, "service", s.Name, step.Value, 0, $"restore of '{s.Name}' {where} started ({why}): takes {Hours(step.Value)}");
    }

    private static Line BackupPowerLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var c = scenario.Components[step.Subject];
        string text = double.IsInfinity(step.Value)
            ? $"utility feed of '{c.Name}' lost: the generator started and is refuelled, power holds"
            : step.Detail switch
            {
                2 => $"utility feed of '{c.Name}' lost: the generator started but fails after running {Hours(step.Value2)}; power lost {Hours(step.Value)} after the cut",
                1 => $"utility feed of '{c.Name}' lost: the generator started, fuel runs out in {Hours(step.Value)}",
                _ => $"utility feed of '{c.Name}' lost: the generator failed to start, the UPS lasts {Hours(step.Value)}",
            };
        return new(entry, kind, "component", c.Name, step.Value, step.Value2, text);
    }

    private static Line RatesRaisedLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var t = scenario.Threats[step.Subject];
        string factor = step.Value.ToString("0.###", Inv);
        string until = step.Value2.ToString("F3", Inv);
        string text = step.Detail == 0
            ? $"aftershocks: threat '{t.Name}' strikes {factor}× as often until {until} h"
            : $"aftermath of '{t.Name}': what it hit in {t.Scope} fails {factor}× as often until {until} h (its age runs {factor}× as fast)";
        return new(entry, kind, "threat", t.Name, step.Value, step.Value2, text);
    }

    private static Line DetonatedLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var t = scenario.Threats[step.Subject];
        string infected = step.Value2 < 0 ? $"{Hours(-step.Value2)} before the trial's start" : $"{Hours(step.Value2)} into the trial";
        return new(entry, kind, "threat", t.Name, step.Value, step.Value2,
            $"'{t.Name}' detonates: data in {t.Scope} corrupt since the infection {infected}; clean-up takes {Hours(step.Value)} before restores");
    }

    private static Line RecoveryPointLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var d = scenario.DataSets[step.Subject];
        string text = step.Detail switch
        {
            -1 => $"data '{d.Name}': recovery point from the replica at the standby: {Hours(step.Value)} of changes lost",
            -2 => string.Create(Inv, $"data '{d.Name}': total loss: no surviving recovery point; rebuilt empty ({d.SizeGb} GB)"),
            -3 => $"data '{d.Name}': resynchronised from the copy kept in place at the primary, which fell behind: {Hours(step.Value)} of changes lost",
            int b when b >= 0 && b < d.Backups.Length =>
                $"data '{d.Name}': restore from backup '{d.Backups[b].Name}' ({d.Backups[b].Destination}): {Hours(step.Value)} of changes lost, restore {Hours(step.Value2)}",
            int v when v <= -4 && -4 - v < d.Backups.Length =>
                $"data '{d.Name}': restore from the vault of backup '{d.Backups[-4 - v].Name}' (offsite): {Hours(step.Value)} of changes lost, retrieval and restore {Hours(step.Value2)}",
            _ => string.Create(Inv, $"data '{d.Name}': recovery point {step.Detail}: {Hours(step.Value)} of changes lost"),
        };
        return new(entry, kind, "data", d.Name, step.Value, step.Value2, text);
    }

    private static string At(Scenario scenario, double hours) => CsvOutputs.FormatStartTime(scenario.Simulation.Start, hours).Replace('T', ' ');

    private static Line BackupJobLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        var d = scenario.DataSets[step.Subject];
        bool vault = step.Detail <= -4;
        int b = vault ? -4 - step.Detail : step.Detail;
        string what = vault ? $"the vault copy of backup '{d.Backups[b].Name}'" : $"backup '{d.Backups[b].Name}'";
        int code = (int)step.Value2;
        string kept = (code % 10) switch
        {
            1 => ", kept as a daily copy",
            2 => ", kept as a weekly copy",
            3 => ", kept as a monthly copy",
            4 => ", kept as a yearly copy",
            _ => "",
        };
        string where = code >= 10 ? $", taken while the data lived at the standby '{scenario.Services.FirstOrDefault(s => s.Name == d.Service)?.Standby?.Site}'" : "";
        return new(entry, kind, "data", d.Name, step.Value, step.Value2, $"data '{d.Name}': {what} holds the job of {At(scenario, step.Value)}{kept}{where}");
    }

    private static Line IncidentLine(Scenario scenario, TraceEntry entry)
    {
        var incident = entry.Incident!.Value;
        var s = scenario.Services[incident.Service];
        string detected = incident.Detected ? $"detected after {Hours(incident.DetectionDelayHours)}" : "never detected";
        string action = CsvOutputs.SnakeCase(incident.Action.ToString());
        var text = new System.Text.StringBuilder();
        text.Append(string.Create(Inv, $"incident of '{s.Name}': {Cause(scenario, incident)}, {detected}, {action}, downtime {Hours(incident.DowntimeHours)}"));
        if (incident.PlannedHours > 0)
        {
            text.Append(incident.IsPlanned ? " (all of it planned)" : $" ({Hours(incident.PlannedHours)} of it planned)");
        }

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

    private static string Cause(Scenario scenario, IncidentRecord incident) => incident.CauseKind switch
    {
        CauseKind.Threat => $"threat '{scenario.Threats[incident.CauseIndex].Name}' on {scenario.Threats[incident.CauseIndex].Scope}",
        CauseKind.Maintenance => $"planned maintenance '{scenario.Threats[incident.CauseIndex].Name}' on {scenario.Threats[incident.CauseIndex].Scope}",
        CauseKind.Failback => $"planned failback of '{scenario.Services[incident.CauseIndex].Name}' to its primary",
        CauseKind.ComponentFailure => $"failure of component '{scenario.Components[incident.CauseIndex].Name}'",
    };

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
