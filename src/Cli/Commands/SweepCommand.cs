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
        var sets = new Option<string[]>("--set") { Description = "A swept parameter: PATH=v1,v2,v3, e.g. data[erp-db].backups[nightly].interval=1h,4h,24h. Repeatable; the grid is every combination.", HelpName = "PATH=VALUES", Required = true };
        var targets = new Option<string[]>("--target") { Description = "A requirement: METRIC.STATISTIC<=VALUE, e.g. \"rto.p95<=4h\", \"rpo.p99<=1h\", \"downtime.mean<=2h\". Repeatable.", HelpName = "TARGET" };
        var pareto = new Option<string[]>("--pareto") { Description = "Risk coordinates of the Pareto front besides protection cost [default: rto.p95 and rpo.p95].", HelpName = "METRIC.STAT" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory [default: out/sweep-<scenario file name>].", HelpName = "DIR" };
        var parts = new VariantShards.PartOptions();
        var race = new SweepRace.Options();
        var common = new VariantRuns.CommonOptions();
        OptionChecks.AddTo(scenario, output);
        var command = new Command("sweep", "Run every combination of parameter values on the same simulated disasters; mark the Pareto front, the lowest expected cost, and the cheapest variant meeting the targets.")
        {
            scenario, sets, targets, pareto, output,
        };
        common.AddTo(command);
        parts.AddTo(command);
        race.AddTo(command);
        command.SetAction(parse => Execute(
            parse.GetRequiredValue(scenario),
            parse.GetValue(sets) ?? [],
            parse.GetValue(targets) ?? [],
            parse.GetValue(pareto) ?? [],
            parse.GetValue(output),
            common.Read(parse),
            parts.Read(parse),
            race.Read(parse, (parse.GetValue(targets) ?? []).Length > 0, parse.GetValue(common.Precision) is not null),
            context));
        return command;
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

        return VariantShards.WithCheckpoint(job, settings, parts, outputPath, context, stores =>
            Write(plan, outputPath, () => race
                ? SweepRace.Run(plan.Loaded, plan.Targets, plan.Metrics, settings, stores, context)
                : (VariantRuns.Run(plan.Loaded, settings, plan.Metrics, pairWithFirst: false, context, stores), null), context));
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
        var results = VariantShards.TryRead(set, plan.Loaded, plan.Metrics, pairWithFirst: false, context, out int failure);
        return results is null ? failure : Write(plan, output ?? DefaultOutput(copies[0]), () => (results, null), context);
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
            axes = setTexts.Select(SweepAxis.Parse).ToList();
            targets = targetTexts.Select(Target.Parse).ToList();
            risks = (paretoTexts.Length == 0 ? ["rto.p95", "rpo.p95"] : paretoTexts).Select(RiskMeasure.Parse).ToList();
        }
        catch (FormatException e)
        {
            context.Stderr.WriteLine($"disastersim: {e.Message}");
            return (null, ExitCodes.UsageError);
        }

        var duplicate = axes.GroupBy(a => a.PathText).FirstOrDefault(g => g.Count() > 1);
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

    // Gets the runs (simulated, or merged from shards), analyses them and writes every file: the same code for both.
    private static int Write(Plan plan, string outputPath, Func<(List<VariantResult> Results, RaceOutcome? Race)> run, CliContext context)
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
            string svg = RiskCharts.Sweep(points, risks);
            directory.WriteText("sweep.svg", w => w.Write(svg));
            var written = new List<string> { "sweep.csv", "sweep.svg" };
            written.AddRange(VariantRuns.WriteRiskOutputs(directory, results));
            VariantRuns.WriteMetadata(directory, plan.Inputs, results);
            written.Add("metadata.json");
            context.CancellationToken.ThrowIfCancellationRequested();
            directory.Commit();
            var console = ComparisonTables.Console(context.Stdout);
            console.WriteLine(race is null
                ? string.Create(CultureInfo.InvariantCulture, $"{points.Count} variants on common random numbers: {results[0].Result.Options.Trials} trials, seed {results[0].Result.Options.Seed}.")
                : string.Create(CultureInfo.InvariantCulture, $"{points.Count} variants raced on common random numbers: {race.Variants.Min(v => v.Trials)} to {race.Variants.Max(v => v.Trials)} trials each (sweep.csv says how many and why a variant was dropped), seed {results[0].Result.Options.Seed}."));
            ComparisonTables.RenderSweep(console, points, risks, targets.Count > 0);
            if (targets.Count > 0)
            {
                console.WriteLine(cheapest is null
                    ? $"No variant meets every target ({string.Join(", ", targets.Select(t => t.Text))})."
                    : $"Cheapest variant meeting every target: {cheapest.Variant.Name} (expected total cost {ComparisonTables.N(cheapest.ExpectedTotalCost)}; confidence that every target holds: {ComparisonTables.Percent(cheapest.TargetConfidence)}).");
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
        var metrics = PolicyComparison.DefaultMetrics(points[0].Variant.Result).Where(m => m.Kind != MetricKind.Cost).ToList();
        var columns = new List<string> { "variant" };
        columns.AddRange(axes.Select(a => a.PathText));
        columns.AddRange(["trials", "protection_cost_annual", "penalty_mean", "total_cost_mean"]);
        foreach (var m in metrics)
        {
            columns.AddRange(new[] { "mean", "p50", "p90", "p95", "p99" }.Select(s => $"{m}.{s}"));
        }

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
            foreach (var m in metrics)
            {
                var s = m.Check(result.Scenario) is null ? p.Variant.SampleOf(m, VariantRuns.Costs).Summary : Engine.Statistics.Summaries.Summarize([]);
                row.AddRange([s.Mean, s.P50, s.P90, s.P95, s.P99]);
            }

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
