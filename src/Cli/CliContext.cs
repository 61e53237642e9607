using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Cli;

/// <summary>The process's surroundings as the commands see them, so tests can run them in-process.</summary>
/// <param name="Stdout">Receives results (tables, the "valid" line).</param>
/// <param name="Stderr">Receives diagnostics, errors and progress.</param>
/// <param name="StderrIsTerminal">Whether stderr is an interactive terminal (progress is shown only then).</param>
/// <param name="CancellationToken">Signalled by Ctrl-C.</param>
public sealed record CliContext(TextWriter Stdout, TextWriter Stderr, bool StderrIsTerminal, CancellationToken CancellationToken)
{
    /// <summary>Gets the scenario loader; <see cref="ScenarioLoader.Load"/> unless a test replaces it.</summary>
    public Func<string, LoadResult> LoadScenario { get; init; } = ScenarioLoader.Load;

    /// <summary>Gets the command line as given (without the program name); set by <see cref="Program.Run(string[], CliContext)"/>.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>Gets how this command describes itself to another that finds its output directory locked.</summary>
    internal string LockHolder => Output.OutputLock.Describe(CommandLine);

    /// <summary>Gets the free bytes on the disk holding a directory, or null when unknown; a test can pretend the disk is full.</summary>
    public Func<string, long?> FreeDiskBytes { get; init; } = Output.OutputDirectory.FreeBytes;

    /// <summary>Gets the simulation; <see cref="MonteCarloRunner.Run"/> unless a test replaces it.</summary>
    /// <remarks>The hooks carry the chunk store (null unless the run checkpoints, <c>--checkpoint</c>, <c>--resume</c>) and the writers of the files streamed during the run; a replacement must feed every chunk to <see cref="RunHooks.Consumers"/>.</remarks>
    public Func<Scenario, RunOptions, RunHooks, IProgress<long>?, CancellationToken, RunResult> RunSimulation { get; init; } = MonteCarloRunner.Run;
}
