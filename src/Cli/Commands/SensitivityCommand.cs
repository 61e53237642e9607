using System.CommandLine;
using System.Globalization;
using DisasterSim.Cli.Charts;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Comparison;
using DisasterSim.Models.Variants;

namespace DisasterSim.Cli.Commands;

/// <summary>
/// <c>disastersim sensitivity S.yaml --vary PATH=low,high ...</c>: one setting at a time at its low and its high value, every
/// run on the same simulated disasters as the baseline, and how far each moves a metric: sensitivity.csv and a tornado chart.
/// </summary>
public static class SensitivityCommand
{
    /// <summary>The columns of <c>sensitivity.csv</c>.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "setting", "side", "value", "entity", "name", "metric", "per", "unit", "count", "mean", "mean_ci_low", "mean_ci_high",
        "baseline_mean", "diff_mean", "diff_ci_low", "diff_ci_high", "p_value", "swing",
    ];

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = new Argument<string>("scenario") { Description = "Path of the scenario YAML file: the baseline." };
        var vary = new Option<string[]>("--vary") { Description = "A setting and its low and high values: PATH=LOW,HIGH, e.g. threats[fire].rate_per_year=0.001,0.01. Repeatable; each is varied alone.", HelpName = "PATH=LOW,HIGH", Required = true };
        var metric = new Option<string>("--metric", "-m") { Description = "The metric whose mean the tornado shows: cost, downtime, loss, loss_gb, worst_downtime, worst_loss, optionally [name] [default: cost when the scenario has prices, else downtime].", HelpName = "METRIC" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory [default: out/sensitivity-<scenario file name>].", HelpName = "DIR" };
        var common = new VariantRuns.CommonOptions();
        OptionChecks.AddTo(scenario, output);
        var command = new Command("sensitivity", "Vary one setting at a time between a low and a high value on the same simulated disasters; write sensitivity.csv and a tornado chart of a metric.")
        {
            scenario, vary, metric, output,
        };
        common.AddTo(command);
        command.SetAction(parse => Execute(parse.GetRequiredValue(scenario), parse.GetValue(vary) ?? [], parse.GetValue(metric), parse.GetValue(output), common.Read(parse), context));
        return command;
    }

    private static int Execute(string file, string[] varyTexts, string? metricText, string? output, RunSettings settings, CliContext context)
    {
        List<SweepAxis> settingsVaried;
        try
        {
            settingsVaried = [.. varyTexts.Select(SweepAxis.Parse)];
        }
        catch (FormatException e)
        {
            context.Stderr.WriteLine($"disastersim: --vary: {e.Message}");
            return ExitCodes.UsageError;
        }

        var wrong = settingsVaried.FirstOrDefault(a => a.Values.Count != 2);
        if (wrong is not null)
        {
            context.Stderr.WriteLine($"disastersim: --vary {wrong.PathText} has {wrong.Values.Count} values; give exactly two, the low and the high: PATH=LOW,HIGH.");
            return ExitCodes.UsageError;
        }

        if (!RunLimits.CheckVariants(1 + (2.0 * settingsVaried.Count), settings.MaxVariants, "variants", context))
        {
            return ExitCodes.UsageError;
        }

        var inputs = new List<VariantInput> { new("baseline", file, []) };
        foreach (var axis in settingsVaried)
        {
            inputs.Add(new VariantInput($"{axis.PathText}={axis.Values[0]}", file, [new ScenarioOverride(axis.Path, axis.Values[0])]));
            inputs.Add(new VariantInput($"{axis.PathText}={axis.Values[1]}", file, [new ScenarioOverride(axis.Path, axis.Values[1])]));
        }

        var loaded = VariantRuns.Load(inputs, context);
        if (loaded is null)
        {
            return ExitCodes.InvalidScenario;
        }

        Metric chosen;
        try
        {
            chosen = metricText is null
                ? new Metric(Engine.Costs.CostModel.HasCosts(loaded[0].Scenario) ? MetricKind.Cost : MetricKind.Downtime)
                : Metric.Parse(metricText);
        }
        catch (FormatException e)
        {
            context.Stderr.WriteLine($"disastersim: --metric: {e.Message}");
            return ExitCodes.UsageError;
        }

        if (!chosen.PerTrial)
        {
            context.Stderr.WriteLine($"disastersim: --metric must have one value per trial, so that runs pair trial by trial; '{chosen}' has one per incident (use worst_downtime or worst_loss).");
            return ExitCodes.UsageError;
        }

        if (!VariantRuns.Check(chosen, loaded, context))
        {
            return ExitCodes.UsageError;
        }

        if (VariantRuns.CheckLimits(loaded, settings, new PartSettings(null, null, null, false, false), context) is int refused)
        {
            return refused;
        }

        string outputPath = output ?? Path.Combine("out", "sensitivity-" + Path.GetFileNameWithoutExtension(file));
        using var directory = VariantRuns.OpenOutput(outputPath, context);
        if (directory is null)
        {
            return ExitCodes.RuntimeFailure;
        }

        try
        {
            var results = VariantRuns.Run(loaded, settings, [chosen], pairWithFirst: true, context);
            var scenario = results[0].Result.Scenario;
            var columns = MetricColumns.Of(chosen, scenario);
            double baselineMean = results[0].SampleOf(chosen, VariantRuns.Costs).Summary.Mean;
            var rows = new List<(SweepAxis Axis, string Side, string Value, Engine.Statistics.Summary Summary, PairedDifference Difference)>();
            for (int a = 0; a < settingsVaried.Count; a++)
            {
                for (int side = 0; side < 2; side++)
                {
                    var variant = results[1 + (2 * a) + side];
                    var difference = variant.Differences?.GetValueOrDefault(chosen)
                        ?? throw new InvalidOperationException($"no paired difference of {chosen} was collected for {variant.Name}");
                    rows.Add((settingsVaried[a], side == 0 ? "low" : "high", settingsVaried[a].Values[side], variant.SampleOf(chosen, VariantRuns.Costs).Summary, difference));
                }
            }

            directory.WriteText("sensitivity.csv", w =>
            {
                using var csv = CsvOutputs.RowWriter(w, [.. Columns]);
                foreach (var (axis, side, value, summary, difference) in rows)
                {
                    double swing = Math.Abs(rows.First(r => r.Axis == axis && r.Side == "high").Summary.Mean - rows.First(r => r.Axis == axis && r.Side == "low").Summary.Mean);
                    foreach (string cell in new[] { axis.PathText, side, value }.Concat(columns.Cells))
                    {
                        CsvOutputs.WriteText(csv, cell);
                    }

                    csv.WriteField(summary.Count, default);
                    foreach (double number in new[] { summary.Mean, summary.MeanCiLow, summary.MeanCiHigh, baselineMean, difference.Mean, difference.CiLow, difference.CiHigh, difference.PValue, swing })
                    {
                        CsvOutputs.WriteNumber(csv, number);
                    }

                    csv.EndRecord();
                }
            });
            var tornado = new TornadoChart(
                $"What moves the mean {columns.Label}",
                $"mean {columns.Label}",
                baselineMean,
                [.. settingsVaried.Select(axis => new TornadoBar(
                    axis.PathText,
                    rows.First(r => r.Axis == axis && r.Side == "low").Summary.Mean,
                    rows.First(r => r.Axis == axis && r.Side == "high").Summary.Mean,
                    axis.Values[0],
                    axis.Values[1]))])
            {
                Note = "Each setting alone at its low and at its high value, every run on the same simulated disasters as the baseline; the widest swing on top.",
            };
            var written = new List<string> { "sensitivity.csv" };
            written.AddRange(VariantRuns.WriteCharts(directory, [("tornado", tornado)]));
            var commandLine = VariantRuns.ReproducingCommandLine("sensitivity", [file], [.. varyTexts.Select(v => ("--vary", v)), ("--metric", chosen.ToString())], results);
            VariantRuns.WriteMetadata(directory, "sensitivity", commandLine, inputs, results);
            written.Add("metadata.json");
            context.CancellationToken.ThrowIfCancellationRequested();
            directory.Commit();
            context.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sensitivity of the mean {columns.Label}: baseline {NumberText.Display(baselineMean)}; {results[0].Result.Options.Trials:N0} trials, seed {results[0].Result.Options.Seed}, common random numbers."));
            foreach (var axis in settingsVaried.OrderByDescending(a => Math.Abs(rows.First(r => r.Axis == a && r.Side == "high").Summary.Mean - rows.First(r => r.Axis == a && r.Side == "low").Summary.Mean)))
            {
                var low = rows.First(r => r.Axis == axis && r.Side == "low");
                var high = rows.First(r => r.Axis == axis && r.Side == "high");
                context.Stdout.WriteLine($"  {axis.PathText}: {low.Value} -> {NumberText.Display(low.Summary.Mean)} ({Signed(low.Difference.Mean)}), {high.Value} -> {NumberText.Display(high.Summary.Mean)} ({Signed(high.Difference.Mean)})");
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

    private static string Signed(double value) => (value > 0 ? "+" : "") + NumberText.Display(value);
}
