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

    /// <summary>The penalties (outage and data-loss) of each trial, in trial order, in the scenario's currency.</summary>
    double[] PenaltyPerTrial(RunResult result);
}

/// <summary>A cost model in which nothing costs anything: the default until scenarios state costs.</summary>
public sealed class ZeroCostModel : ICostModel
{
    /// <summary>Gets the shared instance.</summary>
    public static ZeroCostModel Instance { get; } = new();

    /// <inheritdoc/>
    public double AnnualProtectionCost(Scenario scenario) => 0;

    /// <inheritdoc/>
    public double[] PenaltyPerTrial(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new double[result.Trials.Trials];
    }
}

/// <summary>The costs the scenario itself states (see <see cref="Engine.Costs.CostModel"/>): the default everywhere.</summary>
public sealed class ScenarioCostModel : ICostModel
{
    /// <summary>Gets the shared instance.</summary>
    public static ScenarioCostModel Instance { get; } = new();

    /// <inheritdoc/>
    public double AnnualProtectionCost(Scenario scenario) => Engine.Costs.CostModel.Protection(scenario);

    /// <inheritdoc/>
    public double[] PenaltyPerTrial(RunResult result) => [.. Engine.Costs.CostModel.Trials(result).Select(c => c.Penalties)];
}

/// <summary>Per-trial total cost: the trial's penalties plus the protection's cost over one horizon.</summary>
public static class Costs
{
    /// <summary>Hours in a year (365.25 days), as in the scenario language.</summary>
    public const double HoursPerYear = 8766;

    /// <summary>The protection's cost over one trial's horizon.</summary>
    public static double ProtectionPerTrial(ICostModel model, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(result);
        return model.AnnualProtectionCost(result.Scenario) * result.Scenario.Simulation.HorizonHours / HoursPerYear;
    }

    /// <summary>Each trial's penalties plus the protection's cost over its horizon, in trial order.</summary>
    public static double[] TotalPerTrial(ICostModel model, RunResult result)
    {
        double protection = ProtectionPerTrial(model, result);
        var penalties = model.PenaltyPerTrial(result);
        return penalties.Select(p => p + protection).ToArray();
    }
}
