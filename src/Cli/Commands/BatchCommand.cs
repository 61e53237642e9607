using System.CommandLine;
using System.Globalization;
using DisasterSim.Cli.Output;
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
        var common = new VariantRuns.CommonOptions();
        input.Validators.Add(OptionChecks.NoOptionLikeFiles);
        output.Validators.Add(OptionChecks.OutputDirectory);
        var command = new Command("batch", "Run every scenario of a directory or pattern; one combined summary.csv, each scenario's own outputs in a subfolder.") { input, output };
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
            var summary = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            summary.Write("scenario," + string.Join(",", CsvOutputs.SummaryColumns) + "\n");
            for (int i = 0; i < loaded.Count; i++)
            {
                // Each scenario runs on its own seed and trials unless given on the command line; precision applies to each alone.
                string folder = Path.Combine(outputPath, VariantRuns.FileSafe(names[i]));
                RunResult result;
                using (var directory = new OutputDirectory(folder, context.LockHolder))
                {
                    // trials.csv and incidents.csv are written as the trials go, as run writes them.
                    var scenario = loaded[i].Scenario;
                    using var streamed = new StreamedRunFiles(directory, scenario, new RunOptions(1, 0, 1), new PerTrialFiles(true, true, OutputFormat.Csv), shardBinding: null, context.CancellationToken);
                    var variant = VariantRuns.Run([loaded[i]], settings, [], pairWithFirst: false, context, more: new GroupConsumerChain([.. streamed.Consumers.Select(c => new VariantChunks(0, c))]), exactRunSummaries: true)[0];
                    streamed.Complete();
                    result = variant.Result;
                    var metadata = Output.RunMetadata.From(result, files[i], ScenarioInput.ReadBytes(files[i]));
                    RunCommand.WriteOutputs(directory, result, metadata, context.CancellationToken, () => VariantRuns.WriteRiskOutputs(directory, [variant]));
                }

                var one = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                CsvOutputs.WriteSummary(one, result);
                string scenarioField = Field(names[i]);
                foreach (string line in one.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
                {
                    summary.Write(scenarioField + "," + line + "\n");
                }

                context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[i]}: {result.Options.Trials} trials, seed {result.Options.Seed} -> {folder}"));
            }

            root.WriteText("summary.csv", w => w.Write(summary.ToString()));
            root.Commit();
            context.Stderr.WriteLine($"Wrote summary.csv ({loaded.Count} scenarios) to {outputPath}");
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

    // A file name as a CSV field: quoted when it holds a separator or quote, neutralised when a spreadsheet would run it.
    private static string Field(string text)
    {
        string safe = text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? "'" + text : text;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
