using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>What a policy costs: its protection per year and the penalties of each simulated trial.</summary>
/// <remarks>
/// Comparisons, sweeps and targets read costs only through this interface. Until scenarios state
/// costs, <see cref="ZeroCostModel"/> makes every cost zero; a cost model reading the scenario's
/// prices plugs in here without touching the comparison logic.
/// </remarks>
public interface ICostModel
{
    /// <summary>The protection's cost per year (backups, replication, standby sites), in the scenario's currency.</summary>
    double AnnualProtectionCost(Scenario scenario);

    /// <summary>Returns what prices one trial's penalties (outage and data loss, in the scenario's currency) from its row of a chunk; created once per scenario, called for trial after trial.</summary>
    Func<TrialChunk, int, double> TrialPenalty(Scenario scenario);
}

/// <summary>A cost model in which nothing costs anything: the default until scenarios state costs.</summary>
public sealed class ZeroCostModel : ICostModel
{
    /// <summary>Gets the shared instance.</summary>
    public static ZeroCostModel Instance { get; } = new();

    /// <inheritdoc/>
    public double AnnualProtectionCost(Scenario scenario) => 0;

    /// <inheritdoc/>
    public Func<TrialChunk, int, double> TrialPenalty(Scenario scenario) => static (_, _) => 0;
}

/// <summary>The costs the scenario itself states (see <see cref="Engine.Costs.CostModel"/>): the default everywhere.</summary>
public sealed class ScenarioCostModel : ICostModel
{
    /// <summary>Gets the shared instance.</summary>
    public static ScenarioCostModel Instance { get; } = new();

    /// <inheritdoc/>
    public double AnnualProtectionCost(Scenario scenario) => Engine.Costs.CostModel.Protection(scenario);

    /// <inheritdoc/>
    public Func<TrialChunk, int, double> TrialPenalty(Scenario scenario)
    {
        var pricing = Engine.Costs.CostModel.Pricing(scenario);
        return (chunk, row) => pricing.Price(chunk.DowntimeRow(row), chunk.IncidentCountRow(row), chunk.LossHoursRow(row), chunk.LossGbRow(row)).Penalties;
    }
}

/// <summary>Per-trial total cost: the trial's penalties plus the protection's cost over one horizon.</summary>
public static class Costs
{
    /// <summary>Hours in a year (365.25 days), as in the scenario language.</summary>
    public const double HoursPerYear = 8766;

    /// <summary>The protection's cost over one trial's horizon of <paramref name="scenario"/>.</summary>
    public static double ProtectionPerTrial(ICostModel model, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scenario);
        return model.AnnualProtectionCost(scenario) * scenario.Simulation.HorizonHours / HoursPerYear;
    }
}
