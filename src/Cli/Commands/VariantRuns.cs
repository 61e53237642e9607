using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DisasterSim.Cli.Charts;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using DisasterSim.Models.Variants;

namespace DisasterSim.Cli.Commands;

/// <summary>A variant to load: a label, a scenario file and overrides.</summary>
internal sealed record VariantInput(string Name, string Path, IReadOnlyList<ScenarioOverride> Overrides);

/// <summary>How the runs of compare, sweep and batch are made: trial count or precision, seed, threads.</summary>
internal sealed record RunSettings(long? Trials, ulong? Seed, int Threads, PrecisionSetting? Precision, Metric PrecisionMetric, long MaxTrials)
{
    /// <summary>Gets the limits checked before the runs start.</summary>
    public RunLimits Limits { get; init; } = new(RunLimits.DefaultMaxTrialYears, RunLimits.AvailableMemory, RunLimits.DefaultMaxHours);

    /// <summary>Gets the most variants (or scenarios of a batch) one command runs.</summary>
    public int MaxVariants { get; init; } = RunLimits.DefaultMaxVariants;
}

/// <summary>A precision as given on the command line: <c>1%</c> (relative) or <c>0.5h</c> / <c>0.5</c> (absolute, in the metric's unit).</summary>
internal sealed record PrecisionSetting(double HalfWidth, bool Relative)
{
    public static PrecisionSetting? Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value.Trim() : "";
        if (text.EndsWith('%')
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double pct) && pct > 0 && pct < 100)
        {
            return new PrecisionSetting(pct / 100, true);
        }

        if (DurationText.TryParseHours(text, out double hours) && hours > 0)
        {
            return new PrecisionSetting(hours, false);
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) && value > 0)
        {
            return new PrecisionSetting(value, false);
        }

        result.AddError($"--precision must be a share of the mean such as 1% or an absolute half-width such as 0.5h; got '{text}'.");
        return null;
    }
}

/// <summary>Options, loading, running on common random numbers, and the outputs shared by compare, sweep and batch.</summary>
internal static class VariantRuns
{
    /// <summary>Gets the cost model: the prices the scenario states (protection per year, penalties).</summary>
    public static ICostModel Costs { get; } = ScenarioCostModel.Instance;

    /// <summary>The options every multi-run command takes.</summary>
    public sealed class CommonOptions
    {
        public Option<long?> Trials { get; } = new("--trials", "-n") { Description = "Trials per variant [default: the first scenario's simulation.trials]; with --precision, the first batch.", HelpName = "N" };

        public Option<ulong?> Seed { get; } = new("--seed", "-s") { Description = "Master seed shared by every variant [default: the first scenario's simulation.seed].", HelpName = "S", CustomParser = OptionChecks.Seed };

        public Option<int> Threads { get; } = new("--threads", "-t") { Description = "Worker threads; the results do not depend on it.", HelpName = "T", DefaultValueFactory = _ => Environment.ProcessorCount };

        public Option<PrecisionSetting?> Precision { get; } = new("--precision") { Description = "Run batches of trials until the 95% CI half-width of --precision-metric's mean is within this (1% of the mean, or 0.5h), up to --max-trials.", HelpName = "P", CustomParser = PrecisionSetting.Parse };

        public Option<string> PrecisionMetric { get; } = new("--precision-metric") { Description = "Metric whose mean --precision applies to: downtime, loss, loss_gb, worst_downtime, worst_loss, cost, optionally [name].", HelpName = "METRIC", DefaultValueFactory = _ => "downtime" };

        public Option<long> MaxTrials { get; } = new("--max-trials") { Description = "Most trials per variant with --precision.", HelpName = "N", DefaultValueFactory = _ => 1_000_000 };

        public RunLimits.Options Limits { get; } = new();

        public Option<int> MaxVariants { get; } = RunLimits.MaxVariantsOption("variants (scenarios of a batch)");

        public void AddTo(Command command)
        {
            command.Options.Add(Trials);
            command.Options.Add(Seed);
            command.Options.Add(Threads);
            command.Options.Add(Precision);
            command.Options.Add(PrecisionMetric);
            command.Options.Add(MaxTrials);
            command.Options.Add(MaxVariants);
            Limits.AddTo(command);
            Trials.Validators.Add(r => AtLeast(r, r.GetValueOrDefault<long?>(), 2, "--trials"));
            Threads.Validators.Add(r => AtLeast(r, r.GetValueOrDefault<int>(), 1, "--threads"));
            MaxTrials.Validators.Add(r => AtLeast(r, r.GetValueOrDefault<long>(), 2, "--max-trials"));
            PrecisionMetric.Validators.Add(r =>
            {
                try
                {
                    var metric = Metric.Parse(r.GetValueOrDefault<string>() ?? "");
                    if (!metric.PerTrial)
                    {
                        r.AddError($"--precision-metric must have one value per trial; '{metric}' has one per incident (use worst_downtime or worst_loss).");
                    }
                }
                catch (FormatException e)
                {
                    r.AddError("--precision-metric: " + e.Message);
                }
            });
        }

        public RunSettings Read(ParseResult parse) => new(
            parse.GetValue(Trials),
            parse.GetValue(Seed),
            parse.GetValue(Threads),
            parse.GetValue(Precision),
            Metric.Parse(parse.GetValue(PrecisionMetric) ?? "downtime"),
            parse.GetValue(MaxTrials))
        {
            Limits = Limits.Read(parse),
            MaxVariants = parse.GetValue(MaxVariants),
        };

        private static void AtLeast(OptionResult r, long? value, long min, string name)
        {
            if (value is long v && v < min)
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {min}; got {v}."));
            }
        }
    }

    /// <summary>Loads every variant, printing diagnostics prefixed with the variant's name; null if any fails.</summary>
    public static List<(string Name, Scenario Scenario)>? Load(IReadOnlyList<VariantInput> inputs, CliContext context)
    {
        var loaded = new List<(string, Scenario)>();
        bool failed = false;
        foreach (var input in inputs)
        {
            if (!File.Exists(input.Path))
            {
                string why = Directory.Exists(input.Path) ? "is a directory, not a scenario file" : "file not found";
                context.Stderr.WriteLine(new Diagnostic(Severity.Error, input.Path, 0, 0, "", $"{why}; give the path of a scenario YAML file.").ToString());
                return null;
            }

            var result = input.Overrides.Count == 0 ? context.LoadScenario(input.Path) : VariantLoader.Load(input.Path, input.Overrides);
            foreach (var d in result.Diagnostics)
            {
                context.Stderr.WriteLine(input.Overrides.Count == 0 ? d.ToString() : $"variant {input.Name}: {d}");
            }

            if (result.Scenario is null || result.Diagnostics.Any(d => d.Severity == Severity.Error))
            {
                failed = true;
                continue;
            }

            loaded.Add((input.Name, result.Scenario));
        }

        return failed ? null : loaded;
    }

    /// <summary>
    /// Checks the runs a compare or sweep (or shard of one) would make against the limits, before any starts: their number,
    /// simulated years, and the time and memory their pilot trials predict (every variant's records are kept at once; a run to
    /// a precision may take up to <c>--max-trials</c>).
    /// </summary>
    /// <returns>Null when the runs may start; otherwise the exit code, the reason printed.</returns>
    public static int? CheckLimits(IReadOnlyList<(string Name, Scenario Scenario)> variants, RunSettings settings, string? shard, CliContext context)
    {
        if (!RunLimits.CheckVariants(variants.Count, settings.MaxVariants, "variants", context))
        {
            return ExitCodes.UsageError;
        }

        var baseline = variants[0].Scenario.Simulation;
        long total = settings.Precision is null ? settings.Trials ?? baseline.Trials : settings.MaxTrials;
        var (first, trials) = shard is not null && Sharding.ShardRange.Parse(shard) is var (index, count) ? Sharding.ShardRange.Of(total, index, count) : (0, total);
        var options = new RunOptions(Math.Max(1, trials), settings.Seed ?? baseline.Seed, settings.Threads) { FirstTrial = first };
        return settings.Limits.Check([.. variants.Select(v => (v.Name, v.Scenario, options))], keepRecords: true, together: true, context, out _);
    }

    /// <summary>Checks a metric names existing entities in every variant; prints the problem and returns false otherwise.</summary>
    public static bool Check(Metric metric, IEnumerable<(string Name, Scenario Scenario)> variants, CliContext context)
    {
        foreach (var (name, scenario) in variants)
        {
            if (metric.Check(scenario) is string problem)
            {
                context.Stderr.WriteLine($"disastersim: error: variant {name}: {problem}");
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs every variant on the same seed and trials (common random numbers).</summary>
    public static List<VariantResult> Run(IReadOnlyList<(string Name, Scenario Scenario)> variants, RunSettings settings, CliContext context)
    {
        var baseline = variants[0].Scenario.Simulation;
        long trials = settings.Trials ?? baseline.Trials;
        ulong seed = settings.Seed ?? baseline.Seed;
        if (settings.Precision is PrecisionSetting precision)
        {
            long batch = Math.Min(trials, settings.MaxTrials);
            var target = new PrecisionTarget(precision.HalfWidth, precision.Relative, Math.Max(2, batch), Math.Max(Math.Max(2, batch), settings.MaxTrials));
            var outcome = PrecisionRunner.Run(
                variants.Select(v => v.Scenario).ToList(),
                seed,
                settings.Threads,
                target,
                r => settings.PrecisionMetric.Values(r, VariantRuns.Costs),
                null,
                context.CancellationToken);
            string goal = precision.Relative
                ? (precision.HalfWidth * 100).ToString("0.###", CultureInfo.InvariantCulture) + "% of the mean"
                : precision.HalfWidth.ToString("R", CultureInfo.InvariantCulture) + " " + settings.PrecisionMetric.Unit;
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Precision: {(outcome.Converged ? "converged" : "NOT converged")} after {outcome.Trials} trials per variant (target: 95% CI half-width of {settings.PrecisionMetric} mean within {goal}; worst half-width {outcome.HalfWidths.Max():G4} {settings.PrecisionMetric.Unit}, first batch {target.BatchTrials}, at most {target.MaxTrials})."));
            return variants.Select((v, i) => new VariantResult(v.Name, outcome.Results[i])).ToList();
        }

        var options = new RunOptions(trials, seed, settings.Threads);
        return variants.Select(v => new VariantResult(v.Name, context.RunSimulation(v.Scenario, options, RunHooks.Default, null, context.CancellationToken))).ToList();
    }

    /// <summary>The exceedance curves of every variant: per service downtime and per data set loss, aggregate and occurrence, on shared levels.</summary>
    public static List<ExceedanceSet> ExceedanceSets(IReadOnlyList<VariantResult> variants)
    {
        var sets = new List<ExceedanceSet>();
        var scenario = variants[0].Result.Scenario;
        var entities = scenario.Services.Select(s => ("downtime", s.Name, MetricKind.Downtime, MetricKind.WorstDowntime))
            .Concat(scenario.DataSets.Select(d => ("loss", d.Name, MetricKind.Loss, MetricKind.WorstLoss)));
        foreach (var (metric, entity, aggregate, occurrence) in entities)
        {
            if (variants.Any(v => new Metric(aggregate, entity).Check(v.Result.Scenario) is not null))
            {
                // A service or data set that some variant lacks has no common curve.
                continue;
            }

            var samples = variants.Select(v => (
                v.Name,
                Aggregate: new Metric(aggregate, entity).Values(v.Result, VariantRuns.Costs),
                Occurrence: new Metric(occurrence, entity).Values(v.Result, VariantRuns.Costs))).ToList();
            var levels = Exceedance.Levels(samples.SelectMany(s => new[] { s.Aggregate, s.Occurrence }));
            foreach (var (name, agg, occ) in samples)
            {
                sets.Add(new ExceedanceSet(name, metric, entity, "aggregate", "hours", agg.Length, Exceedance.Curve(agg, levels)));
                sets.Add(new ExceedanceSet(name, metric, entity, "occurrence", "hours", occ.Length, Exceedance.Curve(occ, levels)));
            }
        }

        return sets;
    }

    /// <summary>Writes exceedance.csv and the exceedance and histogram charts of <paramref name="variants"/> into <paramref name="directory"/>.</summary>
    /// <returns>The names of the files written.</returns>
    public static List<string> WriteRiskOutputs(OutputDirectory directory, IReadOnlyList<VariantResult> variants)
    {
        foreach (var variant in variants)
        {
            FiniteGuard.CheckStatistics(variant.Result, $"the outputs of variant {variant.Name}");
        }

        var files = new List<string>();
        var sets = ExceedanceSets(variants);
        directory.WriteText("exceedance.csv", w => ComparisonOutputs.WriteExceedance(w, sets));
        files.Add("exceedance.csv");
        var scenario = variants[0].Result.Scenario;
        bool many = scenario.Services.Length + scenario.DataSets.Length > 2;
        foreach (var group in sets.GroupBy(s => (s.Metric, s.Entity)))
        {
            string file = "exceedance-" + group.Key.Metric + (many ? "-" + FileSafe(group.Key.Entity) : "") + ".svg";
            string quantity = group.Key.Metric == "downtime" ? $"downtime of {group.Key.Entity} (hours)" : $"data lost from {group.Key.Entity} (hours of changes)";
            string title = $"How often a year exceeds a level: {(group.Key.Metric == "downtime" ? "downtime" : "data loss")}, {group.Key.Entity}";
            string svg = RiskCharts.Exceedance(title, quantity, group.ToList());
            directory.WriteText(file, w => w.Write(svg));
            files.Add(file);
        }

        foreach (var service in scenario.Services.Select(s => s.Name))
        {
            var metric = new Metric(MetricKind.Rto, service);
            if (variants.Any(v => metric.Check(v.Result.Scenario) is not null))
            {
                continue;
            }

            string file = "histogram-downtime" + (many ? "-" + FileSafe(service) : "") + ".svg";
            string svg = RiskCharts.Histogram($"Downtime per incident: {service}", "downtime of one incident (hours)", variants.Select(v => (v.Name, metric.Values(v.Result, VariantRuns.Costs))).ToList());
            directory.WriteText(file, w => w.Write(svg));
            files.Add(file);
        }

        foreach (var data in scenario.DataSets.Select(d => d.Name))
        {
            var metric = new Metric(MetricKind.Rpo, data);
            if (variants.Any(v => metric.Check(v.Result.Scenario) is not null))
            {
                continue;
            }

            string file = "histogram-loss" + (many ? "-" + FileSafe(data) : "") + ".svg";
            string svg = RiskCharts.Histogram($"Data loss per incident: {data}", "data lost in one incident (hours of changes)", variants.Select(v => (v.Name, metric.Values(v.Result, VariantRuns.Costs))).ToList());
            directory.WriteText(file, w => w.Write(svg));
            files.Add(file);
        }

        return files;
    }

    /// <summary>Writes metadata.json: seed, trials and each variant's file hash and overrides.</summary>
    /// <exception cref="IOException">A scenario file cannot be read any more.</exception>
    public static void WriteMetadata(OutputDirectory directory, IReadOnlyList<VariantInput> inputs, IReadOnlyList<VariantResult> results)
    {
        var hashes = inputs.Select(i => i.Path).Distinct().ToDictionary(p => p, p => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ScenarioInput.ReadBytes(p))));
        var metadata = new ComparisonMetadata(
            RunMetadata.CurrentEngineVersion,
            results[0].Result.Options.Seed,
            results[0].Result.Options.Trials,
            inputs.Select(i => new VariantMetadata(i.Name, System.IO.Path.GetFileName(i.Path), hashes[i.Path], i.Overrides.Select(o => o.ToString()).ToList())).ToList());
        directory.Write("metadata.json", metadata.WriteJson);
    }

    /// <summary>Opens the output directory, printing the failure.</summary>
    public static OutputDirectory? OpenOutput(string path, CliContext context)
    {
        try
        {
            return new OutputDirectory(path, context.LockHolder);
        }
        catch (OutputLockedException e)
        {
            context.Stderr.WriteLine($"disastersim: error: {e.Message}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            context.Stderr.WriteLine($"disastersim: error: cannot create output directory '{path}': {e.Message}");
            return null;
        }
    }

    /// <summary>Replaces characters that do not belong in a file name.</summary>
    public static string FileSafe(string name) =>
        OptionChecks.FolderName(new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()));

    /// <summary>Formats a value for the console: 4 significant digits.</summary>
    public static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
