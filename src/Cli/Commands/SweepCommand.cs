using System.CommandLine;
using System.Globalization;
using DisasterSim.Cli.Charts;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.Comparison;
using DisasterSim.Models.Variants;
using Spectre.Console;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim sweep S.yaml --set PATH=v1,v2 ...</c>: runs the full grid on common random numbers, marks the Pareto front and the cheapest variant meeting the targets.</summary>
public static class SweepCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = new Argument<string>("scenario") { Description = "Path of the scenario YAML file to vary." };
        var sets = new Option<string[]>("--set") { Description = "A swept parameter: PATH=v1,v2,v3, e.g. data[erp-db].backups[nightly].interval=1h,4h,24h. Repeatable; the grid is every combination.", HelpName = "PATH=VALUES" };
        var with = new Option<string[]>("--with") { Description = "A setting that moves together with the --set before it, one value for each of its values: --set \"...interval=1h,24h\" --with \"...cost_per_year=9000,1200\".", HelpName = "PATH=VALUES" };
        var grid = new Option<string[]>("--grid") { Description = "A CSV file whose header names override paths and whose rows are settings that go together (the first column names the variants); combined with every --set.", HelpName = "FILE" };
        var targets = new Option<string[]>("--target") { Description = "A requirement: METRIC.STATISTIC<=VALUE, e.g. \"rto.p95<=4h\", \"rpo.p99<=1h\", \"downtime.mean<=2h\". Repeatable.", HelpName = "TARGET" };
        var pareto = new Option<string[]>("--pareto") { Description = "Risk coordinates of the Pareto front besides protection cost [default: rto.p95 and rpo.p95].", HelpName = "METRIC.STAT" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory [default: out/sweep-<scenario file name>].", HelpName = "DIR" };
        var parts = new VariantShards.PartOptions();
        var race = new SweepRace.Options();
        var common = new VariantRuns.CommonOptions();
        OptionChecks.AddTo(scenario, output);
        var command = new Command("sweep", "Run every combination of parameter values on the same simulated disasters; mark the Pareto front, the lowest expected cost, and the cheapest variant meeting the targets.")
        {
            scenario, sets, with, grid, targets, pareto, output,
        };
        common.AddTo(command);
        parts.AddTo(command);
        race.AddTo(command);
        command.SetAction(parse => Execute(
            parse.GetRequiredValue(scenario),
            AxisTexts(parse, context),
            parse.GetValue(targets) ?? [],
            parse.GetValue(pareto) ?? [],
            parse.GetValue(output),
            common.Read(parse),
            parts.Read(parse),
            race.Read(parse, (parse.GetValue(targets) ?? []).Length > 0, parse.GetValue(common.Precision) is not null),
            context));
        return command;
    }

    // The sweep's settings in the order given: "PATH=VALUES" for --set, "--with PATH=VALUES" for --with (linked to the
    // --set before it), "--grid NAME" + newline + the file's text for --grid (its text travels into shards, so merge
    // needs nothing else). Null items stand for a grid file that cannot be read (already reported).
    private static string[] AxisTexts(ParseResult parse, CliContext context)
    {
        var texts = new List<string>();
        var tokens = parse.Tokens;
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            string option = tokens[i].Value;
            string value = tokens[i + 1].Value;
            switch (option)
            {
                case "--set":
                    texts.Add(value);
                    i++;
                    break;
                case "--with":
                    texts.Add("--with " + value);
                    i++;
                    break;
                case "--grid":
                    try
                    {
                        texts.Add("--grid " + Path.GetFileName(value) + "\n" + ScenarioInput.ReadText(value));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                    {
                        texts.Add("--grid-unreadable " + value + ": " + e.Message);
                    }

                    i++;
                    break;
            }
        }

        return [.. texts];
    }

    private static int Execute(string file, string[] setTexts, string[] targetTexts, string[] paretoTexts, string? output, RunSettings settings, PartSettings parts, bool race, CliContext context)
    {
        var (plan, exit) = Prepare(file, setTexts, targetTexts, paretoTexts, context, settings.MaxVariants);
        if (plan is null)
        {
            return exit;
        }

        if (!VariantRuns.Check(settings.PrecisionMetric, plan.Loaded, context))
        {
            return ExitCodes.UsageError;
        }

        if (VariantRuns.CheckLimits(plan.Loaded, settings, parts, context) is int refused)
        {
            return refused;
        }

        string outputPath = output ?? DefaultOutput(file);
        var arguments = new List<ShardArgument> { new("--set", setTexts), new("--target", targetTexts), new("--pareto", paretoTexts) };
        var job = new VariantJob("sweep", [file], arguments, plan.Inputs, plan.Loaded);
        if (parts.IsPart)
        {
            if (race)
            {
                context.Stderr.WriteLine("disastersim: a race cannot be split into parts (--shard, --trials-from, --trials-to): which variants go on depends on every trial so far; run it whole, with --resume to survive interruptions, or give --no-race.");
                return ExitCodes.UsageError;
            }

            return VariantShards.Write(job, settings, parts, outputPath, context);
        }

        var worst = VariantRuns.WorstTrials(plan.Loaded);
        return VariantShards.WithCheckpoint(job, settings, parts, outputPath, context, stores =>
            Write(plan, outputPath, () => race
                ? SweepRace.Run(plan.Loaded, plan.Targets, plan.Metrics, settings, stores, context)
                : (VariantRuns.Run(plan.Loaded, settings, plan.Metrics, pairWithFirst: true, context, stores, worst.Consumer), null), context, settings.Stdout, race ? null : worst.Worst));
    }

    /// <summary>Writes the files of a sweep whose shards <paramref name="set"/> holds, byte-identical to the sweep run in one process.</summary>
    internal static int Merge(ShardSet set, string? output, CliContext context)
    {
        if (VariantShards.ScenarioCopies(set, context) is not { } copies)
        {
            return ExitCodes.RuntimeFailure;
        }

        if (copies.Count != 1)
        {
            return RunCommand.Fail(context, $"{Path.Combine(set.Shards[0].Directory, ShardManifest.FileName)}: a sweep shard has one scenario copy, this one {copies.Count}; the file was altered");
        }

        var (plan, exit) = Prepare(copies[0], VariantShards.Values(set.First, "--set"), VariantShards.Values(set.First, "--target"), VariantShards.Values(set.First, "--pareto"), context, RunLimits.DefaultMaxVariants);
        if (plan is null)
        {
            return exit;
        }

        // Read before the output directory is created, so that a bad shard leaves nothing behind.
        var worst = VariantRuns.WorstTrials(plan.Loaded);
        var results = VariantShards.TryRead(set, plan.Loaded, plan.Metrics, pairWithFirst: true, context, out int failure, worst.Consumer);
        return results is null ? failure : Write(plan, output ?? DefaultOutput(copies[0]), () => (results, null), context, StdoutFormat.Table, worst.Worst);
    }

    private static string DefaultOutput(string file) => Path.Combine("out", "sweep-" + Path.GetFileNameWithoutExtension(file));

    // Parses the options, builds the grid and loads the variants: everything but the runs.
    private static (Plan? Plan, int Exit) Prepare(string file, string[] setTexts, string[] targetTexts, string[] paretoTexts, CliContext context, int maxVariants)
    {
        List<SweepAxis> axes;
        List<Target> targets;
        List<RiskMeasure> risks;
        try
        {
            axes = Axes(setTexts);
            targets = targetTexts.Select(Target.Parse).ToList();
            risks = (paretoTexts.Length == 0 ? ["rto.p95", "rpo.p95"] : paretoTexts).Select(RiskMeasure.Parse).ToList();
        }
        catch (FormatException e)
        {
            context.Stderr.WriteLine($"disastersim: {e.Message}");
            return (null, ExitCodes.UsageError);
        }

        var duplicate = axes.SelectMany(a => a.Columns).GroupBy(a => a.PathText).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            context.Stderr.WriteLine($"disastersim: --set {duplicate.Key} is given twice; list all its values in one --set.");
            return (null, ExitCodes.UsageError);
        }

        // Counted before the grid is built: 1,000 values on each of two paths make a million variants.
        if (!RunLimits.CheckVariants(axes.Aggregate(1.0, (n, a) => n * a.Values.Count), maxVariants, "variants in the grid", context))
        {
            return (null, ExitCodes.UsageError);
        }

        var grid = SweepAxis.Grid(axes);
        var inputs = grid.Select(g => new VariantInput(g.Variant.Name, file, g.Variant.Overrides)).ToList();
        var loaded = VariantRuns.Load(inputs, context);
        if (loaded is null)
        {
            return (null, ExitCodes.InvalidScenario);
        }

        foreach (var metric in targets.Select(t => t.Metric).Concat(risks.Select(r => r.Metric)))
        {
            if (!VariantRuns.Check(metric, loaded, context))
            {
                return (null, ExitCodes.UsageError);
            }
        }

        // What the table, the costs, the Pareto front and the targets read.
        var metrics = PolicyComparison.DefaultMetrics(loaded[0].Scenario, withCost: true)
            .Concat(targets.Select(t => t.Metric)).Concat(risks.Select(r => r.Metric)).Distinct().ToList();
        return (new Plan(axes, targets, risks, grid.Select(g => g.Settings).ToList(), inputs, loaded, metrics), ExitCodes.Success);
    }

    // --set starts an axis, --with links to the one before it, --grid adds an axis of linked columns.
    private static List<SweepAxis> Axes(IReadOnlyList<string> texts)
    {
        var axes = new List<SweepAxis>();
        foreach (string text in texts)
        {
            if (text.StartsWith("--with ", StringComparison.Ordinal))
            {
                var linked = SweepAxis.Parse(text["--with ".Length..]);
                if (axes.Count == 0)
                {
                    throw new FormatException($"--with {linked.PathText} has no --set before it to move with; give the --set first.");
                }

                axes[^1] = axes[^1].With(linked);
            }
            else if (text.StartsWith("--grid-unreadable ", StringComparison.Ordinal))
            {
                throw new FormatException("--grid " + text["--grid-unreadable ".Length..]);
            }
            else if (text.StartsWith("--grid ", StringComparison.Ordinal))
            {
                int newline = text.IndexOf('\n', StringComparison.Ordinal);
                axes.Add(SweepAxis.ParseGrid(text[(newline + 1)..], text["--grid ".Length..newline]));
            }
            else
            {
                axes.Add(SweepAxis.Parse(text));
            }
        }

        if (axes.Count == 0)
        {
            throw new FormatException("sweep needs at least one --set PATH=v1,v2 or --grid FILE.");
        }

        return axes;
    }

    // Gets the runs (simulated, or merged from shards), analyses them and writes every file: the same code for both.
    private static int Write(Plan plan, string outputPath, Func<(List<VariantResult> Results, RaceOutcome? Race)> run, CliContext context, StdoutFormat format, IReadOnlyList<RunDistributions>? worst)
    {
        var (axes, targets, risks) = (plan.Axes, plan.Targets, plan.Risks);
        using var directory = VariantRuns.OpenOutput(outputPath, context);
        if (directory is null)
        {
            return ExitCodes.RuntimeFailure;
        }

        try
        {
            var (results, race) = run();
            var points = SweepAnalysis.Evaluate(results, risks, targets, VariantRuns.Costs);

            // In a race, only the variants still in it at the end can be chosen: the others were shown to fail or to cost more.
            var candidates = race is null ? points : [.. race.Survivors.Select(i => points[i])];
            var cheapest = targets.Count == 0 ? null : SweepAnalysis.CheapestMeetingTargets(candidates);
            var table = Table(axes, plan.Settings, points, risks, targets, cheapest, race);
            directory.WriteText("sweep.csv", w => ComparisonOutputs.WriteSweep(w, table));
            var written = new List<string> { "sweep.csv" };
            var scenario = results[0].Result.Scenario;
            // compare.csv pairs every variant with the first on the same trials; a race gives variants different trial counts.
            IReadOnlyList<MetricComparison> rows = [];
            if (race is null)
            {
                var metrics = PolicyComparison.DefaultMetrics(scenario, withCost: Engine.Costs.CostModel.HasCosts(scenario)).Where(m => plan.Metrics.Contains(m) && results.All(r => m.Check(r.Result.Scenario) is null)).ToList();
                rows = PolicyComparison.Compare(results, metrics, VariantRuns.Costs);
                directory.WriteText("compare.csv", w => ComparisonOutputs.WriteCompare(w, rows, results[0].Name, scenario));
                written.Add("compare.csv");
            }
            var sets = VariantRuns.ExceedanceSets(results);
            var charts = VariantRuns.RiskCharts(results, sets);
            charts.AddRange(VariantRuns.ParetoCharts(points, risks));
            charts.AddRange(VariantRuns.DifferenceCharts(rows, scenario).Where(c => c.File.Contains("cost", StringComparison.Ordinal) || c.File.Contains("downtime_", StringComparison.Ordinal)));
            var drawn = new Dictionary<Chart, byte[]>(ReferenceEqualityComparer.Instance);
            written.AddRange(VariantRuns.WriteRiskOutputs(directory, sets, charts, drawn));
            var options = axes.SelectMany(a => a.Columns.Select((c, k) => (k == 0 ? "--set" : "--with", c.PathText + "=" + string.Join(",", c.Values))))
                .Concat(targets.Select(t => ("--target", t.Text)))
                .Concat(plan.Risks.Select(r => ("--pareto", r.ToString())));
            var commandLine = VariantRuns.ReproducingCommandLine("sweep", [plan.Inputs[0].Path], options, results);
            VariantRuns.WriteMetadata(directory, "sweep", commandLine, plan.Inputs, results, [.. targets.Select(t => t.Text)]);
            written.Add("metadata.json");
            string report = ComparisonReport.Build($"Sweep of {scenario.Name}", results, rows, charts, drawn, commandLine, worst, table, 1 + axes.Sum(a => a.Columns.Count()));
            directory.WriteText("report.html", w => w.Write(report));
            written.Add("report.html");
            context.CancellationToken.ThrowIfCancellationRequested();
            directory.Commit();
            var stdout = context.Stdout;
            if (format == StdoutFormat.Table)
            {
                stdout.Write((race is null
                    ? string.Create(CultureInfo.InvariantCulture, $"{points.Count} variants on common random numbers: {results[0].Result.Options.Trials:N0} trials, seed {results[0].Result.Options.Seed}.")
                    : string.Create(CultureInfo.InvariantCulture, $"{points.Count} variants raced on common random numbers: {race.Variants.Min(v => v.Trials):N0} to {race.Variants.Max(v => v.Trials):N0} trials each (sweep.csv says how many and why a variant was dropped), seed {results[0].Result.Options.Seed}.")) + "\n");
            }

            TextTables.Write(stdout, [ComparisonTables.Sweep(points, risks, targets.Count > 0)], format);
            if (targets.Count > 0 && format == StdoutFormat.Table)
            {
                stdout.Write((cheapest is null
                    ? $"No variant meets every target ({string.Join(", ", targets.Select(t => t.Text))})."
                    : $"Cheapest variant meeting every target: {cheapest.Variant.Name} (expected total cost {NumberText.Money(cheapest.ExpectedTotalCost)} {CsvOutputs.CurrencyUnit(scenario)} a year; confidence that every target holds: {NumberText.Percent(cheapest.TargetConfidence)}).") + "\n");
            }

            if (points.All(p => p.AnnualProtectionCost == 0 && p.ExpectedTotalCost == 0))
            {
                context.Stderr.WriteLine("Note: the scenario states no costs, so every cost is 0 and 'cheapest' falls back on the highest confidence, then the grid order.");
            }

            context.Stderr.WriteLine($"Wrote {string.Join(", ", written)} to {outputPath}");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine("disastersim: cancelled; no output written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"disastersim: error: cannot write output to '{outputPath}': {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    private static SweepTable Table(List<SweepAxis> axes, List<IReadOnlyList<string>> settings, IReadOnlyList<SweepPoint> points, List<RiskMeasure> risks, List<Target> targets, SweepPoint? cheapest, RaceOutcome? race)
    {
        var scenario = points[0].Variant.Result.Scenario;
        var columns = new List<string> { "variant" };
        columns.AddRange(axes.SelectMany(a => a.Columns).Select(a => a.PathText));
        columns.AddRange(["trials", "protection_cost_annual", "penalty_mean", "total_cost_mean"]);

        foreach (string column in scenario.Services.Select(s => $"rto_breach[{s.Name}]")
            .Concat(scenario.DataSets.Select(d => $"rpo_breach[{d.Name}]"))
            .Concat(scenario.DataSets.Select(d => $"total_loss[{d.Name}]")))
        {
            columns.Add(column + ".p_trial");
            columns.Add(column + ".p_trial_upper95");
        }
        columns.AddRange(risks.Select(r => $"pareto.{r}"));
        columns.AddRange(["pareto_front", "lowest_total_cost"]);
        foreach (var t in targets)
        {
            columns.Add($"target:{t.Text}.estimate");
            columns.Add($"target:{t.Text}.confidence");
        }

        if (targets.Count > 0)
        {
            columns.AddRange(["meets_targets", "target_confidence", "cheapest_meeting_targets"]);
        }

        if (race is not null)
        {
            columns.Add("race");
        }

        var names = points.Select(p => p.Variant.Name).ToList();

        var rows = new List<IReadOnlyList<object?>>();
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var result = p.Variant.Result;
            var row = new List<object?> { p.Variant.Name };
            row.AddRange(settings[i]);
            row.AddRange([result.Options.Trials, p.AnnualProtectionCost, p.MeanPenalty, p.ExpectedTotalCost]);

            var probabilities = result.Services.Select(s => s.RtoHours is null ? null : (double?)s.TrialBreachProbability)
                .Concat(result.DataSets.Select(d => d.RpoHours is null ? null : (double?)d.TrialBreachProbability))
                .Concat(result.DataSets.Select(d => (double?)d.TotalLossProbability));
            foreach (double? probability in probabilities)
            {
                // Never a bare 0: no occurrence in N trials still allows up to about 3/N at 95%.
                row.Add(probability);
                row.Add(probability == 0 ? Exceedance.ZeroEventUpperBound(result.Options.Trials) : null);
            }
            row.AddRange(p.Risks.Select(r => (object)r));
            row.AddRange([p.OnParetoFront, p.LowestTotalCost]);
            foreach (var o in p.Targets)
            {
                row.AddRange([o.Estimate, o.Confidence]);
            }

            if (targets.Count > 0)
            {
                row.AddRange([p.MeetsTargets, p.TargetConfidence, ReferenceEquals(p, cheapest)]);
            }

            if (race is not null)
            {
                row.Add(SweepRace.Status(race, i, names));
            }

            rows.Add(row);
        }

        return new SweepTable(columns, rows);
    }

    private sealed record Plan(List<SweepAxis> Axes, List<Target> Targets, List<RiskMeasure> Risks, List<IReadOnlyList<string>> Settings, List<VariantInput> Inputs, List<(string Name, Models.Scenario Scenario)> Loaded, List<Metric> Metrics);
}
