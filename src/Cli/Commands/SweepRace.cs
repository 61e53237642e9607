using System.CommandLine;
using System.Globalization;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Commands;

/// <summary>A sweep raced to its answer (<c>sweep --race</c>): the options, the run, and how the outcome reads in the table and on the console.</summary>
internal static class SweepRace
{
    /// <summary>The first round of a race when <c>--trials</c> is not given (or the scenario's trials, when fewer).</summary>
    public const long DefaultFirstRound = 10_000;

    /// <summary>The options <c>--race</c> and <c>--no-race</c>.</summary>
    public sealed class Options
    {
        public Option<bool> Race { get; } = new("--race") { Description = "Race the variants: rounds of trials (--trials, then doubling up to --max-trials), dropping a variant once it fails a target or costs more than one that meets every target, with 95% confidence; stops when the cheapest variant meeting every target is known. The default with --target and --precision." };

        public Option<bool> NoRace { get; } = new("--no-race") { Description = "Run the full grid even with --target and --precision." };

        public void AddTo(Command command)
        {
            command.Options.Add(Race);
            command.Options.Add(NoRace);
            command.Validators.Add(result =>
            {
                if (result.GetValue(Race) && result.GetValue(NoRace))
                {
                    result.AddError("--race and --no-race contradict each other; give one.");
                }
            });
        }

        /// <summary>Whether to race: asked for, or targets with a precision unless --no-race.</summary>
        public bool Read(ParseResult parse, bool targets, bool precision) =>
            parse.GetValue(Race) || (targets && precision && !parse.GetValue(NoRace));
    }

    /// <summary>Runs the race and collects every variant's results over the trials it got.</summary>
    public static (List<VariantResult> Results, RaceOutcome Race) Run(
        IReadOnlyList<(string Name, Scenario Scenario)> variants,
        IReadOnlyList<Target> targets,
        IEnumerable<Metric> metrics,
        RunSettings settings,
        IReadOnlyList<ITrialChunkStore?>? stores,
        CliContext context)
    {
        var (scenarioTrials, seed) = VariantRuns.TrialsAndSeed(variants, settings with { Trials = null });
        long first = settings.Trials ?? Math.Min(DefaultFirstRound, scenarioTrials);
        var race = new RaceSettings(Math.Max(2, Math.Min(first, settings.MaxTrials)), Math.Max(Math.Max(2, first), settings.MaxTrials));
        var simulation = new VariantSimulation([.. variants.Select(v => v.Scenario)], seed, settings.Threads);
        var collect = settings.Precision is null ? metrics : metrics.Append(settings.PrecisionMetric);
        var collectors = VariantRuns.Collectors(variants, collect, seed, settings.Threads, pairWithFirst: false);
        Func<int, bool>? precise = settings.Precision is PrecisionSetting p
            ? v =>
            {
                var s = collectors.SummaryOf(v, settings.PrecisionMetric);
                return PrecisionRunner.IsPrecise((s.MeanCiHigh - s.MeanCiLow) / 2, s.Mean, new PrecisionTarget(p.HalfWidth, p.Relative, 2, 2));
            }
            : null;
        bool show = context.StderrIsTerminal && settings.ShowProgress;
        var outcome = ProgressDisplay.Run(context, show, "Racing", race.MaxTrials * variants.Count, progress =>
            Engine.Comparison.Race.Run(simulation, targets, VariantRuns.Costs, race, collectors, stores, precise, progress, left => progress.SetTotal(progress.Completed + left), context.CancellationToken));
        long grid = race.MaxTrials * variants.Count;
        context.Stderr.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Race: {(outcome.Decided ? "decided" : "NOT decided")} after {outcome.Rounds} rounds ({race.FirstRound:N0} trials first, doubling, at most {race.MaxTrials:N0}); {outcome.Survivors.Count} of {variants.Count} variants left; {outcome.SimulatedTrials:N0} variant-trials simulated, {100.0 * outcome.SimulatedTrials / grid:0.0}% of the full grid's {grid:N0}. Every elimination together at {race.Confidence * 100:0.##}% confidence (each test at level {outcome.TestLevel:G3})."));
        return (collectors.Finish(), outcome);
    }

    /// <summary>What the table says of a variant in a race: <c>kept</c> (in the race to the end), or why it was dropped and after how many trials.</summary>
    public static string Status(RaceOutcome race, int variant, IReadOnlyList<string> names)
    {
        var entry = race.Variants[variant];
        return entry.Dropped switch
        {
            null => "kept",
            FailsTarget f => string.Create(CultureInfo.InvariantCulture, $"dropped: fails {f.Target.Text} (confidence it holds {f.Confidence:G3})"),
            CostsMore c => string.Create(CultureInfo.InvariantCulture, $"dropped: costs more than {names[c.Cheaper]} (by at least {c.ByAtLeast:G4} a trial)"),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), entry.Dropped, "Unknown reason for a drop."),
        };
    }
}
