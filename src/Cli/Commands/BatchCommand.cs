using System.CommandLine;
using System.Globalization;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Attribution;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim batch DIR_OR_GLOB --out DIR</c>: runs every scenario, writes each one's outputs in a subfolder and one combined summary.</summary>
public static class BatchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = new Argument<string>("scenarios") { Description = "A directory (every *.yaml and *.yml in it) or a file pattern such as 'scenarios/0*.yaml'." };
        var output = new Option<string>("--out", "-o") { Description = "Output directory: summary.csv, and one subfolder per scenario.", HelpName = "DIR", DefaultValueFactory = _ => Path.Combine("out", "batch") };
        var common = new VariantRuns.CommonOptions(perScenario: true);
        input.Validators.Add(OptionChecks.NoOptionLikeFiles);
        output.Validators.Add(OptionChecks.OutputDirectory);
        var command = new Command("batch", "Run every scenario of a directory or pattern, each on its own seed and trials: one combined summary.csv, metadata.json and report.html, each scenario's own files in a subfolder; a table of every scenario on stdout.") { input, output };
        common.AddTo(command);
        command.SetAction(parse => Execute(parse.GetRequiredValue(input), parse.GetValue(output)!, common.Read(parse), context));
        return command;
    }

    /// <summary>Expands a directory or a pattern (<c>*</c> and <c>?</c> in the file name) into scenario files, sorted by ordinal name.</summary>
    public static IReadOnlyList<string> Expand(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Directory.Exists(input))
        {
            return Directory.EnumerateFiles(input)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        string directory = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
        string pattern = Path.GetFileName(input);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, pattern).Order(StringComparer.Ordinal).ToList();
    }

    private static int Execute(string input, string outputPath, RunSettings settings, CliContext context)
    {
        var files = Expand(input);
        if (files.Count == 0)
        {
            context.Stderr.WriteLine($"disastersim: error: '{input}' matches no scenario file; give a directory of .yaml files or a pattern such as 'scenarios/*.yaml'.");
            return ExitCodes.InvalidScenario;
        }

        if (!RunLimits.CheckVariants(files.Count, settings.MaxVariants, "scenarios", context))
        {
            return ExitCodes.UsageError;
        }

        var names = files.Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        var loaded = VariantRuns.Load(files.Select((f, i) => new VariantInput(names[i], f, [])).ToList(), context);
        if (loaded is null)
        {
            return ExitCodes.InvalidScenario;
        }

        // Each scenario runs alone, with its own trials unless given; a run to a precision may take up to --max-trials.
        var runs = loaded.Select(l => (l.Name, l.Scenario, new RunOptions(settings.Precision is null ? settings.Trials ?? l.Scenario.Simulation.Trials : settings.MaxTrials, settings.Seed ?? l.Scenario.Simulation.Seed, settings.Threads))).ToList();
        if (settings.Limits.Check(runs, keepRecords: false, together: false, context, out _) is int refused)
        {
            return refused;
        }

        using var root = VariantRuns.OpenOutput(outputPath, context);
        if (root is null)
        {
            return ExitCodes.RuntimeFailure;
        }

        try
        {
            var overview = new List<IReadOnlyList<string>>();
            var results = new List<VariantResult>();
            var summary = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            summary.Write("scenario," + string.Join(",", CsvOutputs.SummaryColumns) + "\n");
            for (int i = 0; i < loaded.Count; i++)
            {
                // Each scenario runs on its own seed and trials unless given on the command line; precision applies to each alone.
                string folder = Path.Combine(outputPath, VariantRuns.FileSafe(names[i]));
                RunResult result;
                CauseAttribution causes;
                using (var directory = new OutputDirectory(folder, context.LockHolder))
                {
                    // trials.csv and incidents.csv are written as the trials go, as run writes them.
                    var scenario = loaded[i].Scenario;
                    using var streamed = new StreamedRunFiles(directory, scenario, new RunOptions(1, 0, 1), new PerTrialFiles(true, true, OutputFormat.Csv), shardBinding: null, context.CancellationToken);
                    var variant = VariantRuns.Run([loaded[i]], settings, [], pairWithFirst: false, context, more: new GroupConsumerChain([.. streamed.Consumers.Select(c => new VariantChunks(0, c))]), exactRunSummaries: true)[0];
                    streamed.Complete();
                    result = variant.Result;
                    causes = streamed.Attribution;
                    var metadata = Output.RunMetadata.From(result, files[i], ScenarioInput.ReadBytes(files[i]));
                    var sets = VariantRuns.ExceedanceSets([variant]);
                    RunCommand.WriteOutputs(directory, result, causes, streamed.Distributions, metadata, context.CancellationToken, () => VariantRuns.WriteRiskOutputs(directory, sets, VariantRuns.RiskCharts([variant], sets)));
                }

                var rows = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                CsvOutputs.WriteSummary(rows, result, causes.Results());
                string scenarioField = Field(names[i]);
                foreach (string line in rows.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
                {
                    summary.Write(scenarioField + "," + line + "\n");
                }

                results.Add(new VariantResult(names[i], result));
                overview.Add(Overview(names[i], result));
                context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[i]}: {result.Options.Trials:N0} trials, seed {result.Options.Seed} -> {folder}"));
            }

            root.WriteText("summary.csv", w => w.Write(summary.ToString()));
            var table = new TextTable("Scenarios (per year; money in each scenario's currency)", OverviewHeader, overview);
            var commandLine = new List<string> { "disastersim", "batch", input };
            if (settings.Trials is long n)
            {
                commandLine.AddRange(["--trials", n.ToString(CultureInfo.InvariantCulture)]);
            }

            if (settings.Seed is ulong seed)
            {
                commandLine.AddRange(["--seed", seed.ToString(CultureInfo.InvariantCulture)]);
            }

            VariantRuns.WriteMetadata(root, "batch", commandLine, [.. files.Select((f, i) => new VariantInput(names[i], f, []))], results);
            var report = new HtmlReport("Batch: " + input, string.Create(CultureInfo.InvariantCulture, $"{loaded.Count} scenarios, each on its own seed and trials"));
            report.Table(OverviewHeader, overview);
            report.Paragraph("Each scenario's own report, with its charts, causes and worst trials:");
            report.Links(names.Select(n => (n, VariantRuns.FileSafe(n) + "/report.html")));
            report.Code(string.Join(" ", commandLine));
            string html = report.Render();
            root.WriteText("report.html", w => w.Write(html));
            root.Commit();
            TextTables.Write(context.Stdout, [table], settings.Stdout);
            context.Stderr.WriteLine($"Wrote summary.csv, metadata.json, report.html ({loaded.Count} scenarios) to {outputPath}");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine("disastersim: cancelled; summary.csv not written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"disastersim: error: cannot write output to '{outputPath}': {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    private static readonly string[] OverviewHeader = ["Scenario", "Trials", "Downtime, h", "P95, h", "Data lost, h", "P(total loss)", "Cost", "P99 cost"];

    // One scenario's headline figures per year: downtime and data loss over all services and data sets, cost.
    private static IReadOnlyList<string> Overview(string name, RunResult result)
    {
        double downtime = result.Services.Sum(s => s.DowntimePerTrial.Mean);
        double p95 = result.Services.Count == 0 ? 0 : result.Services.Max(s => s.DowntimePerTrial.P95);
        double loss = result.DataSets.Sum(d => d.LossHoursPerTrial.Mean);
        double totalLoss = result.DataSets.Count == 0 ? 0 : result.DataSets.Max(d => d.TotalLossProbability);
        bool priced = Engine.Costs.CostModel.HasCosts(result.Scenario);
        return
        [
            name,
            result.Options.Trials.ToString("N0", CultureInfo.InvariantCulture),
            NumberText.Display(downtime),
            NumberText.Display(p95),
            NumberText.Display(loss),
            NumberText.Percent(totalLoss),
            priced ? NumberText.Money(result.Costs.Total.Mean) + " " + CsvOutputs.CurrencyUnit(result.Scenario) : "-",
            priced ? NumberText.Money(result.Costs.Total.P99) : "-",
        ];
    }

    // A file name as a CSV field: quoted when it holds a separator or quote, neutralised when a spreadsheet would run it.
    private static string Field(string text)
    {
        string safe = text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? "'" + text : text;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
