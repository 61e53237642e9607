using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Commands;

/// <summary>
/// The limits every command that simulates checks before it starts, so that no command line makes it run for days or
/// outgrow the machine's memory unannounced: simulated years in all, and the time and memory a cost model of the run
/// (<see cref="RunProfile"/>: a few pilot trials) predicts. Each limit has an option to raise it.
/// </summary>
/// <param name="MaxTrialYears">The most simulated years in all (trials × horizon, summed over variants).</param>
/// <param name="MaxMemoryBytes">The most memory the run may need.</param>
/// <param name="MaxHours">The longest the run may take.</param>
internal sealed record RunLimits(long MaxTrialYears, double MaxMemoryBytes, double MaxHours)
{
    /// <summary>The default of <c>--max-trial-years</c>.</summary>
    public const long DefaultMaxTrialYears = 10_000_000;

    /// <summary>The default of <c>--max-time</c>, in hours.</summary>
    public const double DefaultMaxHours = 24;

    /// <summary>The default of <c>--max-variants</c>: the largest grid or list of variants (or batch of scenarios) run at once.</summary>
    public const int DefaultMaxVariants = 1_000;

    /// <summary>Runs whose estimate is printed: longer than this, or needing more memory than <see cref="AnnouncedBytes"/>.</summary>
    private const double AnnouncedSeconds = 60;

    private const double AnnouncedBytes = 1L << 30;

    /// <summary>The most runs of one command given pilot trials; the others are taken to cost what these do on average.</summary>
    private const int MaxProfiled = 8;

    /// <summary>Gets the memory available to this process (its container's limit, or the machine's), which is the default of <c>--max-memory</c>.</summary>
    public static long AvailableMemory => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The options of the limits, added to a command.</summary>
    public sealed class Options
    {
        public Option<long> MaxTrialYears { get; } = new("--max-trial-years")
        {
            Description = "Refuse runs of more than Y simulated years in all (trials × horizon, over every variant); a guard against a typo in --trials.",
            HelpName = "Y",
            DefaultValueFactory = _ => DefaultMaxTrialYears,
            CustomParser = result => ParseWhole(result, "--max-trial-years") ?? DefaultMaxTrialYears,
        };

        public Option<double?> MaxMemory { get; } = new("--max-memory")
        {
            Description = "Refuse runs that a pilot of a few trials predicts need more memory than this (e.g. 4GB) [default: the memory available].",
            HelpName = "SIZE",
            CustomParser = ParseSize,
        };

        public Option<double?> MaxTime { get; } = new("--max-time")
        {
            Description = "Refuse runs that a pilot of a few trials predicts take longer than this (e.g. 48h) [default: 24h].",
            HelpName = "DURATION",
            CustomParser = ParseTime,
        };

        /// <summary>Adds the options to <paramref name="command"/>.</summary>
        public void AddTo(Command command)
        {
            command.Options.Add(MaxTrialYears);
            command.Options.Add(MaxMemory);
            command.Options.Add(MaxTime);
        }

        /// <summary>The limits given on the command line, defaults filled in.</summary>
        public RunLimits Read(ParseResult parse) =>
            new(parse.GetValue(MaxTrialYears), parse.GetValue(MaxMemory) ?? AvailableMemory, parse.GetValue(MaxTime) ?? DefaultMaxHours);
    }

    /// <summary>The option <c>--max-variants</c> of compare, sweep and batch.</summary>
    public static Option<int> MaxVariantsOption(string what) => new("--max-variants")
    {
        Description = $"Refuse more than N {what} in one command; a guard against a grid that multiplies out of hand.",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultMaxVariants,
        CustomParser = result => (int)(ParseWhole(result, "--max-variants", int.MaxValue) ?? DefaultMaxVariants),
    };

    /// <summary>Refuses more than <paramref name="max"/> variants (or scenarios), printing why; true when within.</summary>
    public static bool CheckVariants(double count, int max, string what, CliContext context)
    {
        if (count <= max)
        {
            return true;
        }

        context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"disastersim: error: {count:N0} {what}, over the limit of {max:N0}; narrow the grid, or raise the limit with --max-variants {Math.Min(count, int.MaxValue):0} if you mean it."));
        return false;
    }

    /// <summary>
    /// Checks the runs of a command against the limits before any of them starts: their simulated years, then the time and
    /// memory their pilot trials predict. Prints the estimate of a long run, or why the runs are refused.
    /// </summary>
    /// <param name="runs">Each run: a label, its scenario, its trials (for a run to a precision, the most it may take).</param>
    /// <param name="keepRecords">Whether the runs keep their rows and records (compare, sweep and batch), all at once when <paramref name="together"/>.</param>
    /// <param name="together">Whether the runs' memory adds up (compare and sweep hold every variant) or not (one scenario of a batch at a time).</param>
    /// <param name="context">The console and the cancellation.</param>
    /// <param name="profiles">The pilot's profile of each run, in order, when it got that far.</param>
    /// <param name="trialsOption">The option that sets the most trials, for the message of too many simulated years; null for <c>--trials</c>.</param>
    /// <returns>Null when the runs may start; otherwise the exit code.</returns>
    public int? Check(IReadOnlyList<(string Name, Scenario Scenario, RunOptions Options)> runs, bool keepRecords, bool together, CliContext context, out IReadOnlyList<RunProfile> profiles, string? trialsOption = null)
    {
        profiles = [];
        ArgumentNullException.ThrowIfNull(runs);
        double years = runs.Sum(r => r.Options.Trials * (r.Scenario.Simulation.HorizonHours / SimulationSettings.HoursPerYear));
        if (years > MaxTrialYears)
        {
            var (_, scenario, options) = runs[0];
            string what = runs.Count == 1
                ? string.Create(CultureInfo.InvariantCulture, $"{options.Trials:N0} trials × {DurationText.Format(scenario.Simulation.HorizonHours)} horizon")
                : string.Create(CultureInfo.InvariantCulture, $"{runs.Count:N0} runs of {options.Trials:N0} trials × {DurationText.Format(scenario.Simulation.HorizonHours)} horizon");
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"disastersim: error: {what} = {years:N0} simulated years, over the limit of {MaxTrialYears:N0} (trials × horizon). Lower {trialsOption ?? $"--trials (or simulation.trials{(runs.Count > 1 ? ", or --max-trials" : "")})"}{(years < long.MaxValue ? $", or raise the limit with --max-trial-years {Math.Ceiling(years):0} if you mean it" : "")}."));
            return ExitCodes.UsageError;
        }

        // A grid of a thousand variants is estimated from a few spread over it.
        var sample = runs.Count <= MaxProfiled ? runs : [.. Enumerable.Range(0, MaxProfiled).Select(i => runs[(int)((long)i * (runs.Count - 1) / (MaxProfiled - 1))])];
        double seconds = 0;
        double bytes = 0;
        var measured = new List<RunProfile>();
        foreach (var (_, scenario, options) in sample)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var profile = RunProfile.Measure(scenario, options.Seed, options.FirstTrial, options.Trials, context.CancellationToken);
            var estimate = profile.Estimate(keepRecords ? options : options with { ChunkTrials = profile.ChunkTrials }, keepRecords);
            measured.Add(profile);
            seconds += estimate.Seconds;
            bytes = together ? bytes + estimate.Bytes : Math.Max(bytes, estimate.Bytes);
        }

        double scale = runs.Count / (double)sample.Count;
        seconds *= scale;
        bytes *= together ? scale : 1;
        profiles = measured;
        var first = measured[0];
        string pilot = string.Create(
            CultureInfo.InvariantCulture,
            $"{Time(first.SecondsPerTrial)} a trial{(runs.Count > 1 ? " of the first run" : "")}, {first.EventsPerTrial:N0} events and {first.IncidentsPerTrial:N0} incident records per trial (a pilot of {first.Trials} trials)");
        int threads = runs[0].Options.Threads;
        if (bytes > MaxMemoryBytes)
        {
            RunCommand.Fail(context, string.Create(
                CultureInfo.InvariantCulture,
                $"the run would need about {Bytes(bytes)} of memory, more than the {Bytes(MaxMemoryBytes)} allowed (--max-memory; by default what is available); {pilot}. Run fewer trials{(threads > 1 ? ", use --threads 1 (fewer chunks in flight)" : "")}, or raise --max-memory if the machine has it."));
            return ExitCodes.RuntimeFailure;
        }

        if (seconds > MaxHours * 3600)
        {
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"disastersim: error: the run would take about {Time(seconds)} on {Threads(threads)}, longer than the {Time(MaxHours * 3600)} allowed (--max-time); {pilot}. Run fewer trials, split the run into shards (--shard K/N) on several machines, or raise --max-time if you mean it."));
            return ExitCodes.UsageError;
        }

        if (seconds >= AnnouncedSeconds || bytes >= AnnouncedBytes)
        {
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Estimate: about {Time(seconds)} on {Threads(threads)} and {Bytes(bytes)} of memory; {pilot}. Ctrl-C stops cleanly{(runs.Count == 1 ? "; with --checkpoint, --resume finishes a stopped run" : "")}."));
        }

        return null;
    }

    private static string Threads(int threads) => threads == 1 ? "1 thread" : string.Create(CultureInfo.InvariantCulture, $"{threads} threads");

    /// <summary>A duration for a person: 40 s, 12 min, 3.5 h, 2.1 days.</summary>
    internal static string Time(double seconds) => seconds switch
    {
        < 1e-3 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:0.#} µs"),
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:0.#} ms"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
        < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400:N1} days"),
    };

    /// <summary>An amount of memory for a person: 300 MB, 4.2 GB.</summary>
    internal static string Bytes(double bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes"),
        < 1024.0 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):N0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):N1} GB"),
    };

    private static long? ParseWhole(ArgumentResult result, string option, long max = long.MaxValue)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 1 && value <= max)
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option} must be a whole number of at least 1 (at most {max}); got '{text}'."));
        return null;
    }

    private static double? ParseSize(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value.Trim() : "";
        int unit = text.Length - text.TrimStart("0123456789.".ToCharArray()).Length;
        double scale = text[unit..].Trim().ToUpperInvariant() switch
        {
            "B" => 1,
            "KB" or "KIB" => 1L << 10,
            "MB" or "MIB" => 1L << 20,
            "GB" or "GIB" => 1L << 30,
            "TB" or "TIB" => 1L << 40,
            _ => 0,
        };
        if (scale > 0 && double.TryParse(text[..unit], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value * scale))
        {
            return value * scale;
        }

        result.AddError($"--max-memory must be an amount with a unit, such as 512MB or 8GB (units of 1024); got '{text}'.");
        return null;
    }

    private static double? ParseTime(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value.Trim() : "";
        if (DurationText.TryParseHours(text, out double hours) && hours > 0)
        {
            return hours;
        }

        result.AddError($"--max-time must be a duration with a unit, such as 90m, 48h or 7d; got '{text}'.");
        return null;
    }
}
