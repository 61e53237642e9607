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

    /// <summary>Gets whether a progress bar may be shown (stderr a terminal, and no --no-progress).</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Gets how stdout shows the results.</summary>
    public StdoutFormat Stdout { get; init; } = StdoutFormat.Table;
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
        /// <summary>Creates the options; <paramref name="perScenario"/> words them for batch, whose scenarios each run on their own.</summary>
        public CommonOptions(bool perScenario = false)
        {
            if (perScenario)
            {
                Trials.Description = "Trials of every scenario [default: each scenario's own simulation.trials]; with --precision, the first batch.";
                Seed.Description = "Master seed of every scenario [default: each scenario's own simulation.seed].";
                MaxTrials.Description = "Most trials of a scenario with --precision.";
            }
        }

        public Option<long?> Trials { get; } = new("--trials", "-n") { Description = "Trials per variant [default: the first scenario's simulation.trials]; with --precision, the first batch.", HelpName = "N" };

        public Option<ulong?> Seed { get; } = new("--seed", "-s") { Description = "Master seed shared by every variant [default: the first scenario's simulation.seed].", HelpName = "S", CustomParser = OptionChecks.Seed };

        public Option<int> Threads { get; } = new("--threads", "-t") { Description = "Worker threads; the results do not depend on it.", HelpName = "T", DefaultValueFactory = _ => Environment.ProcessorCount };

        public Option<PrecisionSetting?> Precision { get; } = new("--precision") { Description = "Run batches of trials until the 95% CI half-width of --precision-metric's mean is within this (1% of the mean, or 0.5h), up to --max-trials.", HelpName = "P", CustomParser = PrecisionSetting.Parse };

        public Option<string> PrecisionMetric { get; } = new("--precision-metric") { Description = "Metric whose mean --precision applies to: downtime, loss, loss_gb, worst_downtime, worst_loss, cost, optionally [name].", HelpName = "METRIC", DefaultValueFactory = _ => "downtime" };

        public Option<StdoutFormat> Stdout { get; } = RunCommand.StdoutOption();

        public Option<long> MaxTrials { get; } = new("--max-trials") { Description = "Most trials per variant with --precision.", HelpName = "N", DefaultValueFactory = _ => 1_000_000 };

        public RunLimits.Options Limits { get; } = new();

        public Option<int> MaxVariants { get; } = RunLimits.MaxVariantsOption("variants (scenarios of a batch)");

        public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Do not show a progress bar on stderr." };

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
            command.Options.Add(NoProgress);
            command.Options.Add(Stdout);
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
            ShowProgress = !parse.GetValue(NoProgress),
            Stdout = parse.GetValue(Stdout),
        };

        /// <summary>Adds an error when <paramref name="value"/> is below <paramref name="min"/>.</summary>
        internal static void AtLeast(OptionResult r, long? value, long min, string name)
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
    /// Checks the runs a compare or sweep (or a part of one) would make against the limits, before any starts: their number,
    /// simulated years, and the time and memory their pilot trials predict (every variant's collected values are held at once;
    /// a run to a precision may take up to <c>--max-trials</c>).
    /// </summary>
    /// <returns>Null when the runs may start; otherwise the exit code, the reason printed.</returns>
    public static int? CheckLimits(IReadOnlyList<(string Name, Scenario Scenario)> variants, RunSettings settings, PartSettings parts, CliContext context)
    {
        if (!RunLimits.CheckVariants(variants.Count, settings.MaxVariants, "variants", context))
        {
            return ExitCodes.UsageError;
        }

        var (total, seed) = TrialsAndSeed(variants, settings);
        var range = settings.Precision is null && parts.IsPart ? Sharding.ShardRange.Choose(total, settings.Trials, parts.Shard, parts.TrialsFrom, parts.TrialsTo).Range : null;
        long trials = settings.Precision is null ? range?.Count ?? total : settings.MaxTrials;

        // A bad part is refused later, with its own message; the limits then see the whole run.
        var options = new RunOptions(Math.Max(1, trials), seed, settings.Threads) { FirstTrial = range?.First ?? 0 };
        return settings.Limits.Check([.. variants.Select(v => (v.Name, v.Scenario, options))], keepRecords: false, together: true, context, out _);
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

    /// <summary>The metrics the risk outputs read (exceedance curves and histograms): per service downtime, worst downtime and downtime per incident; per data set the same of loss; the cost when the scenario has prices.</summary>
    public static IEnumerable<Metric> RiskMetrics(Scenario scenario) =>
        scenario.Services.SelectMany(s => new[] { new Metric(MetricKind.Downtime, s.Name), new Metric(MetricKind.WorstDowntime, s.Name), new Metric(MetricKind.Rto, s.Name) })
            .Concat(scenario.DataSets.SelectMany(d => new[] { new Metric(MetricKind.Loss, d.Name), new Metric(MetricKind.WorstLoss, d.Name), new Metric(MetricKind.Rpo, d.Name) }))
            .Concat(Engine.Costs.CostModel.HasCosts(scenario) ? [new Metric(MetricKind.Cost)] : []);

    /// <summary>The trials and seed of a multi-variant run: the options, else the first variant's simulation block.</summary>
    public static (long Trials, ulong Seed) TrialsAndSeed(IReadOnlyList<(string Name, Scenario Scenario)> variants, RunSettings settings) =>
        (settings.Trials ?? variants[0].Scenario.Simulation.Trials, settings.Seed ?? variants[0].Scenario.Simulation.Seed);

    /// <summary>The collectors of a multi-variant run, the same for a run in one process and a merge of its shards: the metrics asked for and the risk outputs'.</summary>
    public static VariantCollectors Collectors(IReadOnlyList<(string Name, Scenario Scenario)> variants, IEnumerable<Metric> metrics, ulong seed, int threads, bool pairWithFirst, bool exactRunSummaries = false)
    {
        var collect = metrics.Concat(variants.SelectMany(v => RiskMetrics(v.Scenario))).Distinct().ToList();
        return new VariantCollectors(variants, collect, Costs, new RunOptions(1, seed, threads), pairWithFirst, exactRunSummaries);
    }

    /// <summary>Runs every variant on the same seed and trials (common random numbers), collecting what the analysis reads as the trials go.</summary>
    /// <param name="variants">The variants; the first is the baseline.</param>
    /// <param name="settings">Trials or precision, seed, threads.</param>
    /// <param name="metrics">The metrics to collect (the risk outputs' and the precision metric's are added).</param>
    /// <param name="pairWithFirst">Whether to collect each variant's paired differences with the first (compare).</param>
    /// <param name="context">The console and cancellation.</param>
    /// <param name="stores">Per variant, the store of checkpointed chunks, or null.</param>
    /// <param name="more">Also receives every group, after the collectors (file writers), or null.</param>
    /// <param name="exactRunSummaries">Whether each variant's run statistics (its summary.csv) are kept exactly within the budget, as batch writes them.</param>
    public static List<VariantResult> Run(IReadOnlyList<(string Name, Scenario Scenario)> variants, RunSettings settings, IEnumerable<Metric> metrics, bool pairWithFirst, CliContext context, IReadOnlyList<ITrialChunkStore?>? stores = null, IChunkGroupConsumer? more = null, bool exactRunSummaries = false)
    {
        var (trials, seed) = TrialsAndSeed(variants, settings);
        var simulation = new VariantSimulation([.. variants.Select(v => v.Scenario)], seed, settings.Threads);
        var collectors = Collectors(variants, settings.Precision is null ? metrics : metrics.Append(settings.PrecisionMetric), seed, settings.Threads, pairWithFirst, exactRunSummaries);
        IChunkGroupConsumer consumer = more is null ? collectors : new GroupConsumerChain([collectors, more]);
        bool show = context.StderrIsTerminal && settings.ShowProgress;
        if (settings.Precision is not PrecisionSetting precision)
        {
            ProgressDisplay.Run(context, show, "Simulating", trials * variants.Count, progress =>
            {
                simulation.Run(0, trials, null, consumer, stores, progress, context.CancellationToken);
                return 0;
            });
            return collectors.Finish();
        }

        long batch = Math.Min(trials, settings.MaxTrials);
        var target = new PrecisionTarget(precision.HalfWidth, precision.Relative, Math.Max(2, batch), Math.Max(Math.Max(2, batch), settings.MaxTrials));
        var outcome = ProgressDisplay.Run(context, show, "Simulating", target.MaxTrials * variants.Count, progress =>
            PrecisionRunner.Run(simulation, target, consumer, v => collectors.SummaryOf(v, settings.PrecisionMetric), progress, context.CancellationToken));
        string goal = precision.Relative
            ? (precision.HalfWidth * 100).ToString("0.###", CultureInfo.InvariantCulture) + "% of the mean"
            : precision.HalfWidth.ToString("R", CultureInfo.InvariantCulture) + " " + settings.PrecisionMetric.Unit;
        context.Stderr.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Precision: {(outcome.Converged ? "converged" : "NOT converged")} after {outcome.Trials} trials per variant (target: 95% CI half-width of {settings.PrecisionMetric} mean within {goal}; worst half-width {outcome.HalfWidths.Max():G4} {settings.PrecisionMetric.Unit}, first batch {target.BatchTrials}, at most {target.MaxTrials})."));
        return collectors.Finish();
    }

    /// <summary>A consumer that finds each variant's worst trials as the chunks go by, for the report's table of trials to replay.</summary>
    public static (IChunkGroupConsumer Consumer, IReadOnlyList<RunDistributions> Worst) WorstTrials(IReadOnlyList<(string Name, Scenario Scenario)> variants)
    {
        var worst = variants.Select(v => new RunDistributions(v.Scenario, keep: 3)).ToList();
        return (new GroupConsumerChain([.. worst.Select((w, i) => (IChunkGroupConsumer)new VariantChunks(i, w))]), worst);
    }

    /// <summary>The exceedance curves of every variant on shared levels: per service downtime, per data set loss (the year's total and its worst incident), and cost when any variant has prices.</summary>
    /// <exception cref="NonFiniteValueException">A statistic of a variant is NaN or infinite: every multi-variant command computes these before it writes anything, so nothing non-finite is written.</exception>
    public static List<ExceedanceSet> ExceedanceSets(IReadOnlyList<VariantResult> variants)
    {
        foreach (var variant in variants)
        {
            FiniteGuard.CheckStatistics(variant.Result, $"the outputs of variant {variant.Name}");
        }

        var sets = new List<ExceedanceSet>();
        var scenario = variants[0].Result.Scenario;
        var groups = scenario.Services.Select(s => new[] { new Metric(MetricKind.Downtime, s.Name), new Metric(MetricKind.WorstDowntime, s.Name) })
            .Concat(scenario.DataSets.Select(d => new[] { new Metric(MetricKind.Loss, d.Name), new Metric(MetricKind.WorstLoss, d.Name) }))
            .ToList();
        if (variants.Any(v => Engine.Costs.CostModel.HasCosts(v.Result.Scenario)))
        {
            groups.Add([new Metric(MetricKind.Cost)]);
        }

        foreach (var group in groups)
        {
            if (variants.Any(v => group[0].Check(v.Result.Scenario) is not null))
            {
                // A service or data set that some variant lacks has no common curve.
                continue;
            }

            var samples = variants.SelectMany(v => group.Select(m => (v.Name, Metric: m, Values: v.SampleOf(m, Costs)))).ToList();
            var levels = Exceedance.Levels(samples.Select(s => s.Values));
            foreach (var (name, metric, values) in samples)
            {
                sets.Add(new ExceedanceSet(name, metric, MetricColumns.Of(metric, scenario), values.Count, Exceedance.Curve(values, levels)));
            }
        }

        return sets;
    }

    /// <summary>The charts every multi-run command draws: exceedance of downtime, loss and cost with targets, and histograms per incident.</summary>
    /// <returns>Each chart with the file name (without extension) it is written under.</returns>
    public static List<(string File, Chart Chart)> RiskCharts(IReadOnlyList<VariantResult> variants, IReadOnlyList<ExceedanceSet> sets)
    {
        var charts = new List<(string, Chart)>();
        var scenario = variants[0].Result.Scenario;
        var names = variants.Select(v => v.Name).ToList();
        bool many = scenario.Services.Length + scenario.DataSets.Length > 2;
        string currency = CsvOutputs.CurrencyUnit(scenario);
        foreach (var group in sets.GroupBy(s => (s.Columns.Entity, s.Columns.Name)))
        {
            var (entity, name) = group.Key;
            var markers = new List<ChartMarker>();
            string file;
            string title;
            string quantity;
            switch (entity)
            {
                case "service":
                    file = "exceedance-downtime" + (many ? "-" + FileSafe(name) : "");
                    title = $"Downtime of {name}: how often a year exceeds a level";
                    quantity = $"downtime of {name} (hours)";
                    if (scenario.Services.FirstOrDefault(s => s.Name == name)?.RtoHours is double rto)
                    {
                        markers.Add(new ChartMarker(rto, $"RTO {NumberText.Hours(rto)}"));
                    }

                    break;
                case "data":
                    file = "exceedance-loss" + (many ? "-" + FileSafe(name) : "");
                    title = $"Data lost from {name}: how often a year exceeds a level";
                    quantity = $"data lost from {name} (hours of changes)";
                    if (scenario.DataSets.FirstOrDefault(d => d.Name == name)?.RpoHours is double rpo)
                    {
                        markers.Add(new ChartMarker(rpo, $"RPO {NumberText.Hours(rpo)}"));
                    }

                    break;
                default:
                    file = "exceedance-cost";
                    title = $"Cost of a year: how often it exceeds a level ({currency})";
                    quantity = $"cost of a year, protection and penalties ({currency})";
                    break;
            }

            charts.Add((file, Charts.RiskCharts.Exceedance(title, quantity, [.. group], names, markers)));
        }

        foreach (var service in scenario.Services.Select(s => s.Name))
        {
            var metric = new Metric(MetricKind.Rto, service);
            if (variants.All(v => metric.Check(v.Result.Scenario) is null))
            {
                charts.Add(("histogram-downtime" + (many ? "-" + FileSafe(service) : ""), Charts.RiskCharts.Histogram($"Downtime per incident: {service}", "downtime of one incident (hours)", [.. variants.Select(v => (v.Name, v.SampleOf(metric, Costs)))])));
            }
        }

        foreach (var data in scenario.DataSets.Select(d => d.Name))
        {
            var metric = new Metric(MetricKind.Rpo, data);
            if (variants.All(v => metric.Check(v.Result.Scenario) is null))
            {
                charts.Add(("histogram-loss" + (many ? "-" + FileSafe(data) : ""), Charts.RiskCharts.Histogram($"Data loss per incident: {data}", "data lost in one incident (hours of changes)", [.. variants.Select(v => (v.Name, v.SampleOf(metric, Costs)))])));
            }
        }

        return charts;
    }

    /// <summary>For each per-trial metric compared, the paired difference of every variant with the baseline, with its interval.</summary>
    public static List<(string File, Chart Chart)> DifferenceCharts(IReadOnlyList<MetricComparison> rows, Scenario scenario)
    {
        var charts = new List<(string, Chart)>();
        foreach (var group in rows.Where(r => r.Difference is not null).GroupBy(r => r.Metric))
        {
            var columns = MetricColumns.Of(group.Key, scenario);
            charts.Add(("difference-" + FileSafe(group.Key.ToString()), Charts.RiskCharts.Differences($"Difference with the baseline: {columns.Label}", $"{columns.Metric.Replace('_', ' ')} ({columns.Unit}), variant minus baseline", [.. group])));
        }

        return charts;
    }

    /// <summary>The Pareto front of every pair of the sweep's coordinates (protection cost and the risk measures).</summary>
    public static List<(string File, Chart Chart)> ParetoCharts(IReadOnlyList<SweepPoint> points, IReadOnlyList<RiskMeasure> risks)
    {
        var currency = CsvOutputs.CurrencyUnit(points[0].Variant.Result.Scenario);
        var axes = new List<(string Name, string Label, Func<SweepPoint, double> Value)>();
        if (points.Any(p => p.AnnualProtectionCost != 0))
        {
            axes.Add(("protection", $"protection cost per year ({currency})", p => p.AnnualProtectionCost));
            axes.Add(("cost", $"expected total cost per year ({currency})", p => p.ExpectedTotalCost));
        }

        for (int r = 0; r < risks.Count; r++)
        {
            int k = r;
            axes.Add((risks[r].ToString(), risks[r].Describe(), p => p.Risks[k]));
        }

        var charts = new List<(string, Chart)>();
        for (int a = 0; a < axes.Count; a++)
        {
            for (int b = a + 1; b < axes.Count; b++)
            {
                var (x, y) = (axes[a], axes[b]);
                charts.Add(($"pareto-{FileSafe(x.Name)}-{FileSafe(y.Name)}", Charts.RiskCharts.Pareto(x.Label, y.Label, [.. points.Select(p => (p.Variant.Name, x.Value(p), y.Value(p)))])));
            }
        }

        return charts;
    }

    /// <summary>Writes exceedance.csv and each chart as PNG and SVG into <paramref name="directory"/>.</summary>
    /// <returns>The names of the files written.</returns>
    public static List<string> WriteRiskOutputs(OutputDirectory directory, IReadOnlyList<ExceedanceSet> sets, IReadOnlyList<(string File, Chart Chart)> charts, Dictionary<Chart, byte[]>? drawn = null)
    {
        directory.WriteText("exceedance.csv", w => ComparisonOutputs.WriteExceedance(w, sets));
        var files = new List<string> { "exceedance.csv" };
        files.AddRange(WriteCharts(directory, charts, drawn));
        return files;
    }

    /// <summary>Writes each chart as NAME.png and NAME.svg; records each PNG in <paramref name="drawn"/> for the report.</summary>
    /// <returns>The names of the files written.</returns>
    public static List<string> WriteCharts(OutputDirectory directory, IReadOnlyList<(string File, Chart Chart)> charts, Dictionary<Chart, byte[]>? drawn = null)
    {
        var files = new List<string>();
        foreach (var (file, chart) in charts)
        {
            byte[] png = ChartRenderer.Png(chart);
            drawn?.TryAdd(chart, png);
            directory.Write(file + ".png", s => s.Write(png));
            string svg = ChartRenderer.Svg(chart);
            directory.WriteText(file + ".svg", w => w.Write(svg));
            files.Add(file + ".png");
            files.Add(file + ".svg");
        }

        return files;
    }

    /// <summary>Writes metadata.json: the command that reproduces the files, seed, trials, targets, and each variant's file hash, overrides, own hash and RTO/RPO.</summary>
    /// <exception cref="IOException">A scenario file cannot be read any more.</exception>
    public static void WriteMetadata(OutputDirectory directory, string command, IReadOnlyList<string> commandLine, IReadOnlyList<VariantInput> inputs, IReadOnlyList<VariantResult> results, IReadOnlyList<string>? targets = null)
    {
        var hashes = inputs.Select(i => i.Path).Distinct().ToDictionary(p => p, p => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ScenarioInput.ReadBytes(p))));
        var metadata = new ComparisonMetadata(
            RunMetadata.CurrentEngineVersion,
            results[0].Result.Options.Seed,
            results.Max(r => r.Result.Options.Trials),
            [.. inputs.Select((i, k) => new VariantMetadata(i.Name, System.IO.Path.GetFileName(i.Path), hashes[i.Path], [.. i.Overrides.Select(o => o.ToString())])
            {
                Rto = [.. results[k].Result.Scenario.Services.Where(s => s.RtoHours is not null).Select(s => (s.Name, s.RtoHours!.Value))],
                Rpo = [.. results[k].Result.Scenario.DataSets.Where(d => d.RpoHours is not null).Select(d => (d.Name, d.RpoHours!.Value))],
            })])
        {
            Command = command,
            CommandLine = commandLine,
            Targets = targets ?? [],
        };
        directory.Write("metadata.json", metadata.WriteJson);
    }

    /// <summary>The command that reproduces a compare or sweep: its scenario files by name, its shaping options, and the trials and seed it ran.</summary>
    public static List<string> ReproducingCommandLine(string command, IEnumerable<string> files, IEnumerable<(string Option, string Value)> options, IReadOnlyList<VariantResult> results)
    {
        var line = new List<string> { "disastersim", command };
        line.AddRange(files.Select(f => System.IO.Path.GetFileName(f)));
        foreach (var (option, value) in options)
        {
            line.Add(option);
            line.Add(value);
        }

        line.AddRange(["--trials", results[0].Result.Options.Trials.ToString(CultureInfo.InvariantCulture), "--seed", results[0].Result.Options.Seed.ToString(CultureInfo.InvariantCulture)]);
        return line;
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
}
