using System.Globalization;
using System.Text;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Scenarios;
using Xunit.Abstractions;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// Mutation fuzzing of the loader and validator: every generated input must end in a scenario or in located errors,
/// never in an exception, a stack overflow, a hang or a runaway allocation; and every scenario it accepts must run, with
/// finite statistics. The checkpoint and shard files get the same treatment (LoaderFuzzTests.Records.cs).
/// </summary>
/// <remarks>
/// The CI run takes <see cref="DefaultInputs"/> inputs with a fixed seed. The long run is
/// <c>DISASTERSIM_FUZZ_INPUTS=1000000 dotnet test tests/DisasterSim.Tests --filter Category=Fuzz</c>
/// (and <c>DISASTERSIM_FUZZ_SEED=N</c> for other inputs); a failure prints the seed, index and kind of each bad input.
/// </remarks>
public sealed partial class LoaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>Inputs in the CI run.</summary>
    public const int DefaultInputs = 10_000;

    /// <summary>Seed of the CI run.</summary>
    public const ulong DefaultSeed = 20260107;

    // Generous bounds: they catch a hang or a runaway expansion, not a slow machine.
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("DISASTERSIM_FUZZ_TIMEOUT") ?? "30", CultureInfo.InvariantCulture));
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("DISASTERSIM_FUZZ_TIMEOUT") ?? "30", CultureInfo.InvariantCulture));

    // A worker thread's stack as small as a thread-pool thread's: an input that overflows it would crash the test host.
    private const int WorkerStackBytes = 1024 * 1024;

    // The loader may allocate a fixed allowance plus a multiple of the input's size; an alias bomb would exceed it.
    private const long AllocationAllowance = 64L * 1024 * 1024;
    private const long AllocationPerInputChar = 64;

    [Fact]
    [Trait("Category", "Fuzz")]
    public void LoadThenRun_MutatedShippedScenarios_EveryInputEndsInScenarioOrLocatedError()
    {
        long inputs = EnvironmentInt("DISASTERSIM_FUZZ_INPUTS", DefaultInputs);
        ulong seed = (ulong)EnvironmentInt("DISASTERSIM_FUZZ_SEED", (long)DefaultSeed);
        string[] seeds = [.. Directory.GetFiles(ShippedScenarioTests.ScenarioDirectory, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText)];
        var mutator = new ScenarioMutator(seeds, seed);
        var failures = new List<string>();
        int loaded = 0;
        int rejected = 0;
        long maxAllocated = 0;
        long maxInputChars = 0;
        string? dump = Environment.GetEnvironmentVariable("DISASTERSIM_FUZZ_DUMP");
        var worker = new BoundedWorker(WorkerStackBytes);

        for (long index = 0; index < inputs && failures.Count < 20; index++)
        {
            int failuresBefore = failures.Count;
            if (worker.Stuck)
            {
                worker = new BoundedWorker(WorkerStackBytes);
            }

            string yaml = mutator.Generate(index);
            string where = $"seed {seed}, input {index} ({mutator.LastKind}, {yaml.Length:N0} chars)";
            maxInputChars = Math.Max(maxInputChars, yaml.Length);
            LoadResult? result = null;
            long allocated = 0;
            string? problem = worker.Run(
                () =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    result = ScenarioLoader.Parse(yaml, "fuzz.yaml");
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                },
                LoadTimeout);
            if (problem is not null)
            {
                failures.Add($"{where}: load {problem}");
                Dump(dump, index, yaml);
                continue;
            }

            maxAllocated = Math.Max(maxAllocated, allocated);
            long allowance = AllocationAllowance + (AllocationPerInputChar * yaml.Length);
            if (allocated > allowance)
            {
                failures.Add($"{where}: allocated {allocated:N0} bytes, more than {allowance:N0}");
            }

            failures.AddRange(CheckDiagnostics(result!).Select(p => $"{where}: {p}"));
            if (!result!.Success)
            {
                rejected++;
                continue;
            }

            loaded++;
            Scenario scenario = result.Scenario!;
            RunResult? run = null;
            problem = worker.Run(() => run = MonteCarloRunner.Run(scenario, new RunOptions(2, scenario.Simulation.Seed, 1)), RunTimeout);
            if (problem is not null)
            {
                failures.Add($"{where}: loaded, but running 2 trials {problem}");
            }
            else if (NonFinite(run!) is { } where2)
            {
                failures.Add($"{where}: loaded and ran, but {where2} is not finite");
            }

            if (failures.Count > failuresBefore)
            {
                Dump(dump, index, yaml);
            }
        }

        worker.Dispose();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs:N0} inputs (seed {seed}): {loaded:N0} loaded and ran, {rejected:N0} rejected with located errors, {failures.Count} failures; largest input {maxInputChars:N0} chars; most allocated by one load {maxAllocated:N0} bytes"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(loaded > inputs / 50, $"only {loaded} of {inputs} inputs loaded: the mutations are too destructive to reach the validator and engine");
        Assert.True(rejected > inputs / 2, $"only {rejected} of {inputs} inputs were rejected: the mutations are too gentle");
    }

    [Fact]
    public void Generate_SameSeedAndIndex_SameInput()
    {
        string[] seeds = ["name: a\nsimulation: { trials: 10 }\n", "name: b\nthreats: []\n"];

        var first = Enumerable.Range(0, 200).Select(i => new ScenarioMutator(seeds, 7).Generate(i)).ToList();
        var second = Enumerable.Range(0, 200).Select(i => new ScenarioMutator(seeds, 7).Generate(i)).ToList();
        var other = Enumerable.Range(0, 200).Select(i => new ScenarioMutator(seeds, 8).Generate(i)).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    private static void Dump(string? directory, long index, string yaml)
    {
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, $"input-{index}.yaml"), yaml);
        }
    }

    private static IEnumerable<string> CheckDiagnostics(LoadResult result)
    {
        int errors = result.Diagnostics.Count(d => d.Severity == Severity.Error);
        if (result.Success && errors > 0)
        {
            yield return "a scenario was returned together with errors";
        }

        if (!result.Success && errors == 0)
        {
            yield return "no scenario and no error";
        }

        if (result.Diagnostics.Length > 1_001)
        {
            yield return $"{result.Diagnostics.Length} diagnostics, more than the 1,000 cap";
        }

        foreach (Diagnostic d in result.Diagnostics)
        {
            string text = d.ToString();
            if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
            {
                yield return $"diagnostic spans several lines: {Escape(text)}";
            }

            if (d.Message.Trim().Length == 0)
            {
                yield return $"diagnostic without a message at {d.Line}:{d.Column}";
            }

            if (d.Line < 1 || d.Column < 1)
            {
                yield return $"diagnostic without a location: {Escape(text)}";
            }
        }
    }

    // The first statistic of a run that is NaN or infinite, named; null when every one is finite.
    private static string? NonFinite(RunResult run)
    {
        var summaries = run.Services.SelectMany(s => new[] { (s.Name, s.DowntimePerTrial), (s.Name, s.DowntimePerIncident) })
            .Concat(run.DataSets.SelectMany(d => new[] { (d.Name, d.LossHoursPerTrial), (d.Name, d.LossHoursPerIncident), (d.Name, d.LossGbPerTrial), (d.Name, d.LossGbPerIncident) }))
            .Concat([("cost", run.Costs.Total), ("cost", run.Costs.Penalties), ("cost", run.Costs.Protection)]);
        foreach (var (name, s) in summaries)
        {
            if (!new[] { s.Mean, s.MeanCiLow, s.MeanCiHigh, s.StdDev, s.P50, s.P90, s.P95, s.P99, s.P999, s.Max, s.ShareNonZero }.All(double.IsFinite))
            {
                return $"a statistic of {name} ({s})";
            }
        }

        return null;
    }

    private static string Escape(string text) => text.Length > 300 ? text[..300].ReplaceLineEndings("\\n") + "..." : text.ReplaceLineEndings("\\n");

    private static long EnvironmentInt(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 ? value : fallback;

    /// <summary>Runs actions one at a time on a thread with a small stack, bounded in time; a stuck action is abandoned.</summary>
    private sealed class BoundedWorker : IDisposable
    {
        private readonly Thread _thread;
        private readonly SemaphoreSlim _ready = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private Action? _action;
        private Exception? _error;
        private bool _stop;

        public BoundedWorker(int stackBytes)
        {
            _thread = new Thread(Loop, stackBytes) { IsBackground = true, Name = "fuzz worker" };
            _thread.Start();
        }

        /// <summary>Gets whether an action did not finish in time; the worker is then abandoned.</summary>
        public bool Stuck { get; private set; }

        /// <summary>Runs <paramref name="action"/>; returns null when it finished, else what went wrong.</summary>
        public string? Run(Action action, TimeSpan timeout)
        {
            _action = action;
            _error = null;
            _ready.Release();
            if (!_done.Wait(timeout))
            {
                Stuck = true;
                return $"did not finish within {timeout.TotalSeconds:0} s";
            }

            return _error is null ? null : $"threw {_error.GetType().Name}: {_error.Message}\n{_error.StackTrace}";
        }

        public void Dispose()
        {
            _stop = true;
            _ready.Release();
        }

        private void Loop()
        {
            while (true)
            {
                _ready.Wait();
                if (_stop)
                {
                    return;
                }

                try
                {
                    _action!();
                }
                catch (Exception e)
                {
                    _error = e;
                }

                _done.Release();
            }
        }
    }
}
