using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using DisasterSim.Engine.Benchmarking;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim bench</c>: measures this machine's throughput on the benchmark scenarios (or given ones) against the hand-written floor.</summary>
/// <remarks>
/// Every round times, one after the other, the hand-written loop of the availability-20 model, then for each scenario the
/// trial simulator alone (one thread) and whole runs as <c>run --summary-only</c> makes them, with one thread and with all;
/// the medians of the rounds are printed, and the ratios as medians of each round's ratio. Interleaving the measurements
/// makes a neighbour's load slow them alike.
/// </remarks>
public static class BenchCommand
{
    /// <summary>The benchmark scenarios built into the program: the availability model and the largest realistic shipped scenario.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["availability-20.yaml", "14-after-recommended.yaml"];

    private const string Availability = "availability-20.yaml";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenarios = new Argument<string[]>("scenario")
        {
            Description = "Scenario files to measure [default: the built-in availability-20 and 14-after-recommended].",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var trials = new Option<long>("--trials", "-n") { Description = "Trials per measurement.", HelpName = "N", DefaultValueFactory = _ => 200_000 };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads of the multi-threaded runs.", HelpName = "T", DefaultValueFactory = _ => Environment.ProcessorCount };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; the median of each measurement is printed.", HelpName = "R", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed", "-s") { Description = "Master seed.", HelpName = "S", DefaultValueFactory = _ => 2026, CustomParser = r => OptionChecks.Seed(r) ?? 0 };
        trials.Validators.Add(r => AtLeast(r, r.GetValueOrDefault<long>(), 1_000, "--trials"));
        threads.Validators.Add(r => AtLeast(r, r.GetValueOrDefault<int>(), 1, "--threads"));
        rounds.Validators.Add(r => AtLeast(r, r.GetValueOrDefault<int>(), 1, "--rounds"));
        scenarios.Validators.Add(OptionChecks.NoOptionLikeFiles);
        var maxTrialYears = new RunLimits.Options().MaxTrialYears;
        var command = new Command("bench", "Measure trials per second on this machine: the engine against a hand-written loop of the same model, one thread and several.")
        {
            scenarios, trials, threads, rounds, seed, maxTrialYears,
        };
        command.SetAction(parseResult => Execute(
            parseResult.GetValue(scenarios) ?? [],
            parseResult.GetValue(trials),
            parseResult.GetValue(threads),
            parseResult.GetValue(rounds),
            parseResult.GetValue(seed),
            parseResult.GetValue(maxTrialYears),
            context));
        return command;
    }

    private static void AtLeast(System.CommandLine.Parsing.OptionResult result, long value, long min, string option)
    {
        if (value < min)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option} must be at least {min:N0}; got {value}."));
        }
    }

    /// <summary>Loads a scenario built into the program.</summary>
    public static Scenario LoadBuiltIn(string name)
    {
        using var stream = typeof(BenchCommand).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"No built-in scenario {name}.");
        using var reader = new StreamReader(stream);
        var loaded = ScenarioLoader.Parse(reader.ReadToEnd(), name);
        return loaded.Scenario ?? throw new InvalidOperationException($"The built-in scenario {name} does not load: {string.Join("; ", loaded.Diagnostics)}");
    }

    private static int Execute(string[] paths, long trials, int threads, int rounds, ulong seed, long maxTrialYears, CliContext context)
    {
        var scenarios = new List<(string Name, Scenario Scenario)>();
        if (paths.Length == 0)
        {
            scenarios.AddRange(BuiltIn.Select(name => (Path.GetFileNameWithoutExtension(name), LoadBuiltIn(name))));
        }

        foreach (string path in paths)
        {
            var (scenario, _, _) = ScenarioInput.Load(path, context);
            if (scenario is null)
            {
                return ExitCodes.InvalidScenario;
            }

            scenarios.Add((Path.GetFileNameWithoutExtension(path), scenario));
        }

        // The floor's model has the availability-20 scenario's horizon, 8,760 h.
        var rows = new List<Row>
        {
            new("hand-written loop (availability-20 model), 1 thread", 8760 / SimulationSettings.HoursPerYear, IsFloor: true) { Measure = () => Throughput.HandWritten(trials, seed) },
        };
        if (threads > 1)
        {
            // What this machine gives a loop that shares nothing: the ceiling of the engine's scaling.
            rows.Add(new Row($"hand-written loop (availability-20 model), {threads} threads", rows[0].Years, IsFloor: true, Threads: threads, ScalesFloor: true)
            {
                Measure = () => Throughput.HandWritten(trials, seed, threads),
            });
        }

        foreach (var (name, scenario) in scenarios)
        {
            double years = scenario.Simulation.HorizonHours / SimulationSettings.HoursPerYear;
            bool sameModel = paths.Length == 0 && name + ".yaml" == Availability;
            rows.Add(new Row($"{name}: trial simulator, 1 thread", years, SameModelAsFloor: sameModel) { Measure = () => Throughput.Simulator(scenario, trials, seed) });
            rows.Add(new Row($"{name}: run, 1 thread", years, SameModelAsFloor: sameModel, Runner: true) { Measure = () => Throughput.Run(scenario, trials, seed, 1) });
            if (threads > 1)
            {
                rows.Add(new Row($"{name}: run, {threads} threads", years, SameModelAsFloor: sameModel, Runner: true, Threads: threads) { Measure = () => Throughput.Run(scenario, trials, seed, threads) });
            }
        }

        // Every measurement simulates the trials anew: the guard of run, over all of them.
        double simulated = (double)rounds * trials * rows.Sum(r => r.Years);
        if (simulated > maxTrialYears)
        {
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"disastersim: error: {rows.Count} measurements × {rounds} rounds × {trials:N0} trials = {simulated:N0} simulated years, over the limit of {maxTrialYears:N0}. Lower --trials or --rounds, or raise the limit with --max-trial-years {Math.Ceiling(simulated):0} if you mean it."));
            return ExitCodes.UsageError;
        }

        context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Measuring {rows.Count} figures, {rounds} rounds of {trials:N0} trials each..."));
        for (int round = 0; round < rounds; round++)
        {
            foreach (var row in rows)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                row.Results.Add(row.Measure!());
            }
        }

        Print(rows, trials, rounds, context.Stdout);
        return ExitCodes.Success;
    }

    private static void Print(List<Row> rows, long trials, int rounds, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        string version = typeof(BenchCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        output.WriteLine(string.Create(inv, $"DisasterSim {version}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSArchitecture}, {Environment.ProcessorCount} cores; {trials:N0} trials a measurement, medians of {rounds} rounds"));
        output.WriteLine(string.Create(inv, $"{"what",-58} {"trials/s",12} {"trial-years/s",14} {"events/s",13} {"B/trial",9} {"vs floor",9} {"vs 1 thread",11}"));
        // The ratios are taken round by round, then the median (see Measurement.MedianRatio).
        List<Measurement>? oneThread = null;
        foreach (var row in rows)
        {
            var m = Measurement.Median(row.Results);
            if ((row.Runner || row.IsFloor) && row.Threads == 1)
            {
                oneThread = row.Results;
            }

            string events = m.Events > 0 ? m.EventsPerSecond.ToString("N0", inv) : "";
            string ratio = row.IsFloor || row.SameModelAsFloor ? Measurement.MedianRatio(row.Results, rows[0].Results).ToString("0.00", inv) : "";
            string scaling = row.Threads > 1 && oneThread is not null ? Measurement.MedianRatio(row.Results, oneThread).ToString("0.00", inv) + "x" : "";
            output.WriteLine(string.Create(inv, $"{row.Name,-58} {m.TrialsPerSecond,12:N0} {m.TrialsPerSecond * row.Years,14:N0} {events,13} {m.BytesPerTrial,9:F1} {ratio,9} {scaling,11}"));
        }
    }

    private sealed record Row(string Name, double Years, bool IsFloor = false, bool SameModelAsFloor = false, bool Runner = false, int Threads = 1, bool ScalesFloor = false)
    {
        public Func<Measurement>? Measure { get; init; }

        public List<Measurement> Results { get; } = [];
    }
}
