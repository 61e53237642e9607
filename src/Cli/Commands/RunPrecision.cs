using System.CommandLine;
using System.Globalization;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Cli.Commands;

/// <summary>What <c>run --precision</c> asks for: the precision, the statistic it applies to, and the most trials.</summary>
/// <param name="Precision">The largest acceptable 95% CI half-width, relative or absolute.</param>
/// <param name="Statistic">The metric's mean or percentile.</param>
/// <param name="MaxTrials">Stop here even if not converged.</param>
internal sealed record RunPrecisionSettings(PrecisionSetting Precision, PrecisionStatistic Statistic, long MaxTrials);

/// <summary><c>run --precision</c>: its options, and the run extended batch by batch until the statistic is precise enough.</summary>
internal static class RunPrecision
{
    /// <summary>The default of <c>--max-trials</c>, as for compare, sweep and batch.</summary>
    public const long DefaultMaxTrials = 1_000_000;

    /// <summary>The options of <c>run --precision</c>.</summary>
    public sealed class Options
    {
        public Option<PrecisionSetting?> Precision { get; } = new("--precision")
        {
            Description = "Run batches of trials (the first of --trials) until the 95% CI half-width of --precision-metric is within this (2% of its value, or 0.5h), up to --max-trials; the result is that of a plain run of as many trials.",
            HelpName = "P",
            CustomParser = PrecisionSetting.Parse,
        };

        public Option<string> Metric { get; } = new("--precision-metric")
        {
            Description = "What --precision applies to: METRIC (its mean) or METRIC.STATISTIC, with METRIC one of downtime, loss, loss_gb, rto, rpo, worst_downtime, worst_loss, cost, optionally [name], and STATISTIC mean, p50, p90, p95, p99 or p99.9 (downtime.p99, rto[erp].p95).",
            HelpName = "METRIC[.STAT]",
            DefaultValueFactory = _ => "downtime",
        };

        public Option<long> MaxTrials { get; } = new("--max-trials")
        {
            Description = "Most trials with --precision.",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultMaxTrials,
        };

        /// <summary>Adds the options to <paramref name="command"/>, refusing --precision together with any of <paramref name="fixedTrials"/> (options that fix the trials run).</summary>
        public void AddTo(Command command, params Option[] fixedTrials)
        {
            command.Options.Add(Precision);
            command.Options.Add(Metric);
            command.Options.Add(MaxTrials);
            MaxTrials.Validators.Add(r =>
            {
                long value = r.GetValueOrDefault<long>();
                if (value < 2)
                {
                    r.AddError(string.Create(CultureInfo.InvariantCulture, $"--max-trials must be at least 2; got {value}."));
                }
            });
            Metric.Validators.Add(r =>
            {
                try
                {
                    PrecisionStatistic.Parse(r.GetValueOrDefault<string>() ?? "");
                }
                catch (FormatException e)
                {
                    r.AddError("--precision-metric: " + e.Message);
                }
            });
            command.Validators.Add(r =>
            {
                // Whether it was given, not its value: reading a malformed value here would throw instead of reporting it once.
                if (r.GetResult(Precision) is not { Implicit: false })
                {
                    return;
                }

                foreach (var option in fixedTrials.Where(o => r.GetResult(o) is { Implicit: false }))
                {
                    r.AddError($"--precision cannot be combined with {option.Name}: a precision run decides its trials itself, from trial 0; give --trials (its first batch) and --max-trials instead.");
                }
            });
        }

        /// <summary>Reads the settings, or null without --precision.</summary>
        public RunPrecisionSettings? Read(ParseResult parse) => parse.GetValue(Precision) is PrecisionSetting precision
            ? new RunPrecisionSettings(precision, PrecisionStatistic.Parse(parse.GetValue(Metric) ?? "downtime"), parse.GetValue(MaxTrials))
            : null;
    }

    /// <summary>Runs batches of trials, streaming them to <paramref name="consumers"/>, until the statistic is precise enough.</summary>
    /// <param name="scenario">The scenario, whose entities the metric names (checked before).</param>
    /// <param name="options">Seed, threads, and the first batch as its trial count.</param>
    /// <param name="settings">The precision asked for.</param>
    /// <param name="consumers">The writers of the streamed files.</param>
    /// <param name="progress">Receives the trials completed.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The run, and the line that says whether it converged and after how many trials.</returns>
    public static (RunResult Result, string Report) Simulate(Scenario scenario, RunOptions options, RunPrecisionSettings settings, IReadOnlyList<ITrialChunkConsumer> consumers, IProgress<long> progress, CancellationToken cancellationToken)
    {
        // The metric's values get a statistic's share of the exact budget, as each of the run's own statistics does.
        int statistics = (3 * scenario.Services.Length) + (4 * scenario.DataSets.Length) + 3;
        var collector = new MetricCollector(settings.Statistic.Metric, scenario, options.ExactValueBudget / statistics);
        var budget = Target(settings, options.Trials);
        var hooks = new RunHooks { Consumers = [.. consumers, collector], KeepRecords = false };
        var outcome = BatchedRunner.Run(scenario, options, budget, hooks, _ => settings.Statistic.IsPrecise(collector.Summarize(), budget), progress, cancellationToken);
        return (outcome.Result, Report(settings, budget, outcome, collector.Summarize()));
    }

    /// <summary>The batches and the precision: the first batch is the trials asked for, capped by the most.</summary>
    public static PrecisionTarget Target(RunPrecisionSettings settings, long firstBatch) =>
        new(settings.Precision.HalfWidth, settings.Precision.Relative, Math.Min(Math.Max(2, firstBatch), settings.MaxTrials), settings.MaxTrials);

    private static string Report(RunPrecisionSettings settings, PrecisionTarget budget, BatchedOutcome outcome, Summary summary)
    {
        var statistic = settings.Statistic;
        var (estimate, halfWidth) = statistic.Evaluate(summary);
        string unit = statistic.Metric.Unit;
        string goal = settings.Precision.Relative
            ? Short(settings.Precision.HalfWidth * 100) + "% of its value"
            : Short(settings.Precision.HalfWidth) + " " + unit;
        string reached = halfWidth switch
        {
            null => "an end of its interval still open (too few values beyond the percentile)",
            double h when settings.Precision.Relative && estimate != 0 => $"half-width {Short(h)} {unit}, {Short(100 * h / Math.Abs(estimate))}% of {Short(estimate)}",
            double h => $"half-width {Short(h)} {unit} around {Short(estimate)}",
        };
        string values = statistic.Metric.PerTrial ? "" : string.Create(CultureInfo.InvariantCulture, $" ({summary.Count:N0} incidents)");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Precision: {(outcome.Satisfied ? "converged" : "NOT converged")} after {outcome.Result.Options.Trials} trials{values} (target: 95% CI half-width of {statistic} within {goal}; {reached}; first batch {budget.BatchTrials}, at most {budget.MaxTrials}).");
    }

    private static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
