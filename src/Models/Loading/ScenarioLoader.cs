using System.Collections.Immutable;

namespace DisasterSim.Models.Loading;

/// <summary>The outcome of loading a scenario: the scenario when there is no error, and every diagnostic.</summary>
/// <param name="Scenario">The scenario, or null when any error was found.</param>
/// <param name="Diagnostics">Every error and warning, in file order.</param>
public sealed record LoadResult(Scenario? Scenario, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Gets whether the scenario loaded without error.</summary>
    public bool Success => Scenario is not null;
}

/// <summary>Reads scenario YAML into a validated <see cref="Scenario"/>.</summary>
public static class ScenarioLoader
{
    /// <summary>Loads and validates a scenario file. Never throws for bad content; I/O problems become diagnostics too.</summary>
    public static LoadResult Load(string path) => throw new NotImplementedException();

    /// <summary>Parses and validates scenario text; <paramref name="fileName"/> is used in diagnostics.</summary>
    public static LoadResult Parse(string yaml, string fileName) => throw new NotImplementedException();
}
