using System.CommandLine;
using DisasterSim.Cli.Charts;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.Comparison;
using DisasterSim.Models.Variants;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim compare A.yaml B.yaml ...</c> or <c>compare S.yaml --variant NAME:PATH=VALUE ...</c>: runs every variant on common random numbers and compares each with the first.</summary>
public static class CompareCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenarios = new Argument<string[]>("scenarios") { Description = "Scenario files; the first is the baseline. With --variant, one file: the baseline.", Arity = ArgumentArity.OneOrMore };
        var variants = new Option<string[]>("--variant", "-V") { Description = "A variant of the one scenario: NAME:PATH=VALUE[;PATH=VALUE...], e.g. hourly:data[erp-db].backups[nightly].interval=1h. Repeatable.", HelpName = "SPEC", AllowMultipleArgumentsPerToken = false };
        var metrics = new Option<string[]>("--metric", "-m") { Description = "Metrics to compare (downtime, loss, loss_gb, worst_downtime, worst_loss, rto, rpo, cost; optionally [name]) [default: all, per service and data set].", HelpName = "METRIC" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory [default: out/compare-<first scenario file name>].", HelpName = "DIR" };
        var parts = new VariantShards.PartOptions();
        var common = new VariantRuns.CommonOptions();
        OptionChecks.AddTo(scenarios, output);
        var command = new Command("compare", "Compare policies on the same simulated disasters: paired differences with 95% CIs, Holm-corrected significance, exceedance curves and charts.")
        {
            scenarios, variants, metrics, output,
        };
        common.AddTo(command);
        parts.AddTo(command);
        command.SetAction(parse => Execute(
            parse.GetRequiredValue(scenarios),
            parse.GetValue(variants) ?? [],
            parse.GetValue(metrics) ?? [],
            parse.GetValue(output),
            common.Read(parse),
            parts.Read(parse),
            context));
        return command;
    }

    private static int Execute(string[] files, string[] variantSpecs, string[] metricTexts, string? output, RunSettings settings, PartSettings parts, CliContext context)
    {
        if (!RunLimits.CheckVariants(variantSpecs.Length > 0 ? variantSpecs.Length + 1 : files.Length, settings.MaxVariants, "variants", context))
        {
            return ExitCodes.UsageError;
        }

        var (plan, exit) = Prepare(files, variantSpecs, metricTexts, context);
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

        string outputPath = output ?? DefaultOutput(files[0]);
        var arguments = new List<ShardArgument> { new("--variant", variantSpecs), new("--metric", metricTexts) };
        var job = new VariantJob("compare", files, arguments, plan.Inputs, plan.Loaded);
        if (parts.IsPart)
        {
            return VariantShards.Write(job, settings, parts, outputPath, context);
        }

        var worst = VariantRuns.WorstTrials(plan.Loaded);
        return VariantShards.WithCheckpoint(job, settings, parts, outputPath, context, stores =>
            Write(plan, outputPath, () => VariantRuns.Run(plan.Loaded, settings, plan.Metrics, pairWithFirst: true, context, stores, worst.Consumer), context, settings.Stdout, worst.Worst));
    }

    /// <summary>Writes the files of a compare whose shards <paramref name="set"/> holds, byte-identical to the compare run in one process.</summary>
    internal static int Merge(ShardSet set, string? output, CliContext context)
    {
        if (VariantShards.ScenarioCopies(set, context) is not { } copies)
        {
            return ExitCodes.RuntimeFailure;
        }

        string[] variantSpecs = VariantShards.Values(set.First, "--variant");
        if (!RunLimits.CheckVariants(variantSpecs.Length > 0 ? variantSpecs.Length + 1 : copies.Count, RunLimits.DefaultMaxVariants, "variants", context))
        {
            return ExitCodes.UsageError;
        }

        var (plan, exit) = Prepare([.. copies], variantSpecs, VariantShards.Values(set.First, "--metric"), context);
        if (plan is null)
        {
            return exit;
        }

        // Read before the output directory is created, so that a bad shard leaves nothing behind.
        var worst = VariantRuns.WorstTrials(plan.Loaded);
        var results = VariantShards.TryRead(set, plan.Loaded, plan.Metrics, pairWithFirst: true, context, out int failure, worst.Consumer);
        return results is null ? failure : Write(plan, output ?? DefaultOutput(copies[0]), () => results, context, StdoutFormat.Table, worst.Worst);
    }

    private static string DefaultOutput(string firstFile) => Path.Combine("out", "compare-" + Path.GetFileNameWithoutExtension(firstFile));

    // Parses the options and loads the variants: everything but the runs.
    private static (Plan? Plan, int Exit) Prepare(string[] files, string[] variantSpecs, string[] metricTexts, CliContext context)
    {
        List<VariantInput> inputs;
        try
        {
            inputs = Inputs(files, variantSpecs);
        }
        catch (FormatException e)
        {
            context.Stderr.WriteLine($"disastersim: {e.Message}");
            return (null, ExitCodes.UsageError);
        }

        List<Metric>? chosen = null;
        try
        {
            chosen = metricTexts.Length == 0 ? null : metricTexts.Select(Metric.Parse).ToList();
        }
        catch (FormatException e)
        {
            context.Stderr.WriteLine($"disastersim: --metric: {e.Message}");
            return (null, ExitCodes.UsageError);
        }

        var loaded = VariantRuns.Load(inputs, context);
        if (loaded is null)
        {
            return (null, ExitCodes.InvalidScenario);
        }

        foreach (var metric in chosen ?? [])
        {
            if (!VariantRuns.Check(metric, loaded, context))
            {
                return (null, ExitCodes.UsageError);
            }
        }

        var first = loaded[0].Scenario;
        var metrics = chosen ?? PolicyComparison.DefaultMetrics(first, withCost: Engine.Costs.CostModel.HasCosts(first)).Where(m => loaded.All(v => m.Check(v.Scenario) is null)).ToList();
        return (new Plan(inputs, loaded, metrics, chosen), ExitCodes.Success);
    }

    // Gets the runs (simulated, or merged from shards), analyses them and writes every file: the same code for both.
    private static int Write(Plan plan, string outputPath, Func<List<VariantResult>> run, CliContext context, StdoutFormat format, IReadOnlyList<RunDistributions>? worst)
    {
        using var directory = VariantRuns.OpenOutput(outputPath, context);
        if (directory is null)
        {
            return ExitCodes.RuntimeFailure;
        }

        try
        {
            var results = run();
            var rows = PolicyComparison.Compare(results, plan.Metrics, VariantRuns.Costs);
            var scenario = results[0].Result.Scenario;
            directory.WriteText("compare.csv", w => ComparisonOutputs.WriteCompare(w, rows, results[0].Name, scenario));
            var written = new List<string> { "compare.csv" };
            var sets = VariantRuns.ExceedanceSets(results);
            var charts = VariantRuns.RiskCharts(results, sets);
            charts.AddRange(VariantRuns.DifferenceCharts(rows, scenario));
            charts.AddRange(ComparisonReport.ParetoCharts(rows, scenario));
            var drawn = new Dictionary<Chart, byte[]>(ReferenceEqualityComparer.Instance);
            written.AddRange(VariantRuns.WriteRiskOutputs(directory, sets, charts, drawn));
            bool byFile = plan.Inputs.All(i => i.Overrides.Count == 0);
            var options = new List<(string, string)>();
            if (!byFile)
            {
                options.AddRange(plan.Inputs.Skip(1).Select(i => ("--variant", i.Name + ":" + string.Join(";", i.Overrides.Select(o => o.ToString())))));
            }

            options.AddRange((plan.Chosen ?? []).Select(m => ("--metric", m.ToString())));
            var commandLine = VariantRuns.ReproducingCommandLine("compare", byFile ? plan.Inputs.Select(i => i.Path) : [plan.Inputs[0].Path], options, results);
            VariantRuns.WriteMetadata(directory, "compare", commandLine, plan.Inputs, results);
            written.Add("metadata.json");
            string report = ComparisonReport.Build($"Comparison: {string.Join(", ", results.Select(r => r.Name))}", results, rows, charts, drawn, commandLine, worst);
            directory.WriteText("report.html", w => w.Write(report));
            written.Add("report.html");
            context.CancellationToken.ThrowIfCancellationRequested();
            directory.Commit();
            ComparisonTables.WriteCompare(context.Stdout, rows, scenario, results[0].Result.Options.Trials, results[0].Result.Options.Seed, format);
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

    private static List<VariantInput> Inputs(string[] files, string[] variantSpecs)
    {
        if (variantSpecs.Length > 0)
        {
            if (files.Length != 1)
            {
                throw new FormatException($"--variant needs exactly one scenario file (the baseline); got {files.Length}.");
            }

            var specs = variantSpecs.Select(VariantSpec.Parse).ToList();
            var inputs = new List<VariantInput> { new("baseline", files[0], []) };
            inputs.AddRange(specs.Select(s => new VariantInput(s.Name, files[0], s.Overrides)));
            var duplicate = inputs.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new FormatException($"two variants are named '{duplicate.Key}'; give each --variant its own name ('baseline' is the unmodified scenario).");
            }

            return inputs;
        }

        if (files.Length < 2)
        {
            throw new FormatException("compare needs at least two scenario files, or one with --variant NAME:PATH=VALUE.");
        }

        // Labels are file names; a name given twice gets its position appended so the columns stay apart.
        var names = files.Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        return files.Select((f, i) => new VariantInput(names.Count(n => n == names[i]) > 1 ? $"{names[i]}#{i + 1}" : names[i], f, [])).ToList();
    }

    private sealed record Plan(List<VariantInput> Inputs, List<(string Name, Models.Scenario Scenario)> Loaded, List<Metric> Metrics, List<Metric>? Chosen);
}
