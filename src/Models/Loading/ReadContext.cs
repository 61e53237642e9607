using System.Collections.Immutable;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>The state of one load: the file name, the diagnostics so far, and the guards against hostile input.</summary>
internal sealed class ReadContext(string file)
{
    /// <summary>Largest accepted file, in bytes (10 MiB).</summary>
    internal const long MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>Deepest accepted nesting of mappings and lists.</summary>
    internal const int MaxDepth = 64;

    /// <summary>Most nodes read, counting a node once per alias that reaches it.</summary>
    internal const long MaxNodeVisits = 1_000_000;

    /// <summary>Most items in any one list (components, threats, backups, ...).</summary>
    internal const int MaxItems = 10_000;

    /// <summary>Most threat arrivals and component failures expected in one trial: beyond it a trial could run for hours.</summary>
    internal const double MaxEventsPerTrial = 100_000;

    /// <summary>The longest duration a scenario may state, and the most a distribution's mean or 99.9th percentile may reach: a million years, in hours.</summary>
    /// <remarks>Far beyond any horizon, yet small enough that sums of a run's durations, and their squares, stay finite.</remarks>
    internal const double MaxDurationHours = 1_000_000 * SimulationSettings.HoursPerYear;

    /// <summary>The largest plain number (a size, a rate, an amount of money): 10^15.</summary>
    /// <remarks>Beyond any estate or budget (10^15 GB is a million petabytes), yet small enough that the largest cost a trial can reach, a price times a quantity times the incidents of a trial, and its square stay finite.</remarks>
    internal const double MaxNumber = 1e15;

    /// <summary>The largest factor (a plain number a distribution draws, such as an estimate's error).</summary>
    internal const double MaxFactor = 1_000_000;

    /// <summary>Most diagnostics reported; a broken file should not flood the console.</summary>
    internal const int MaxDiagnostics = 1_000;

    /// <summary>Where a problem of the file as a whole is reported: its first line and column.</summary>
    internal static readonly Mark WholeFile = new(0, 1, 1);

    private readonly List<Diagnostic> diagnostics = [];
    private long visits;

    /// <summary>Gets the file name shown in diagnostics.</summary>
    internal string File { get; } = file;

    /// <summary>Gets whether any error was reported.</summary>
    internal bool HasErrors { get; private set; }

    /// <summary>Gets whether the node budget ran out; every read then returns nothing.</summary>
    internal bool Exhausted { get; private set; }

    /// <summary>Counts a visit to a node; false (after one error) once the budget is spent.</summary>
    internal bool Visit(YamlNode node, string path)
    {
        if (Exhausted)
        {
            return false;
        }

        if (++visits > MaxNodeVisits)
        {
            Exhausted = true;
            Error(node, path, LoaderMessages.TooManyNodes(MaxNodeVisits));
            return false;
        }

        return true;
    }

    internal void Error(YamlNode node, string path, string message) => Add(Severity.Error, node.Start, path, message);

    internal void Error(Mark mark, string path, string message) => Add(Severity.Error, mark, path, message);

    internal void Warning(YamlNode node, string path, string message) => Add(Severity.Warning, node.Start, path, message);

    /// <summary>Reports a problem that has no position in the text (the file cannot be read at all).</summary>
    internal void ErrorWithoutPosition(string message)
    {
        HasErrors = true;
        diagnostics.Add(new Diagnostic(Severity.Error, File, 0, 0, "", message));
    }

    /// <summary>Returns the diagnostics in file order (stable for equal positions).</summary>
    internal ImmutableArray<Diagnostic> Diagnostics() =>
        [.. diagnostics.Select((d, i) => (d, i)).OrderBy(x => x.d.Line).ThenBy(x => x.d.Column).ThenBy(x => x.i).Select(x => x.d)];

    private void Add(Severity severity, Mark mark, string path, string message)
    {
        if (severity == Severity.Error)
        {
            HasErrors = true;
        }

        if (diagnostics.Count == MaxDiagnostics)
        {
            diagnostics.Add(new Diagnostic(Severity.Error, File, (int)mark.Line, (int)mark.Column, path, LoaderMessages.TooManyProblems(MaxDiagnostics)));
        }

        if (diagnostics.Count > MaxDiagnostics)
        {
            return;
        }

        diagnostics.Add(new Diagnostic(severity, File, (int)mark.Line, (int)mark.Column, path, message));
    }
}
