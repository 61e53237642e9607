using System.Globalization;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>The text of an incident's name columns (service, cause kind, cause, scope, action), made once per scenario and looked up by index for millions of rows.</summary>
/// <remarks>As the scenario writes the names; <c>incidents.csv</c> neutralises them for spreadsheets on top, <c>incidents.parquet</c> keeps them as they are.</remarks>
internal sealed class IncidentNames
{
    private readonly (string Cause, string Scope)[] _threats;
    private readonly (string Cause, string Scope)[] _components;
    private readonly (string Cause, string Scope)[] _failbacks;

    /// <summary>Makes the names of <paramref name="scenario"/>'s incidents.</summary>
    public IncidentNames(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Services = [.. scenario.Services.Select(s => s.Name)];
        _threats = [.. scenario.Threats.Select(t => (t.Name, t.Scope.ToString()))];
        _components = [.. scenario.Components.Select(c => (c.Name, "component " + c.Name))];
        _failbacks = [.. scenario.Services.Select(s => ("failback", "service " + s.Name))];
    }

    /// <summary>Gets the services' names, by index.</summary>
    public string[] Services { get; }

    /// <summary>Gets the snake_case names of the cause kinds, by value.</summary>
    public string[] CauseKinds { get; } = Names<CauseKind>();

    /// <summary>Gets the snake_case names of the actions, by value.</summary>
    public string[] Actions { get; } = Names<IncidentAction>();

    /// <summary>Gets every (cause, scope) pair there is, for writers that prepare each once: threats (and maintenance), components, failbacks.</summary>
    public IEnumerable<(string Cause, string Scope)> All => _threats.Concat(_components).Concat(_failbacks);

    /// <summary>Returns the cause and the scope of <paramref name="incident"/>.</summary>
    public (string Cause, string Scope) Cause(in IncidentRecord incident) => incident.CauseKind switch
    {
        CauseKind.Threat or CauseKind.Maintenance => _threats[incident.CauseIndex],
        CauseKind.Failback => _failbacks[incident.CauseIndex],
        CauseKind.ComponentFailure => _components[incident.CauseIndex],
        _ => throw new ArgumentOutOfRangeException(nameof(incident), incident.CauseKind, "Unknown cause kind."),
    };

    /// <summary>The snake_case names of an enum's values, indexed by value.</summary>
    private static string[] Names<T>()
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var names = new string[values.Max(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)) + 1];
        foreach (var value in values)
        {
            names[Convert.ToInt32(value, CultureInfo.InvariantCulture)] = CsvOutputs.SnakeCase(value.ToString());
        }

        return names;
    }
}
