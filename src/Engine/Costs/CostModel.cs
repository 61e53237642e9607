using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Costs;

/// <summary>The cost of one trial: what the protection costs over the horizon and what the incidents cost.</summary>
/// <remarks>All money is in the scenario's one currency.</remarks>
/// <param name="Protection">Annual protection cost × horizon / 8,766 h.</param>
/// <param name="Outage">Σ services: downtime inside the horizon × outage_per_hour.</param>
/// <param name="Incidents">Σ services: incidents × per_incident.</param>
/// <param name="DataLoss">Σ data sets: hours lost × loss_per_hour + GB lost × loss_per_gb.</param>
public readonly record struct TrialCost(double Protection, double Outage, double Incidents, double DataLoss)
{
    /// <summary>Gets the penalties: outage + incidents + data loss.</summary>
    public double Penalties => Outage + Incidents + DataLoss;

    /// <summary>Gets the total: protection + penalties.</summary>
    public double Total => Protection + Penalties;
}

/// <summary>Statistics of the per-trial cost over a run.</summary>
/// <param name="AnnualProtection">Protection cost per year (the same in every trial).</param>
/// <param name="Total">Protection + penalties, per trial.</param>
/// <param name="Penalties">Outage, incident and data-loss penalties, per trial.</param>
/// <param name="Protection">Protection cost over one trial's horizon, per trial (a constant).</param>
public sealed record CostStatistics(double AnnualProtection, Summary Total, Summary Penalties, Summary Protection);

/// <summary>
/// Prices a scenario's protection and its trials' outcomes. Pure functions of the scenario and the per-trial
/// results; thread-safe.
/// </summary>
/// <remarks>
/// Per trial: protection per year × (horizon / 8,766 h) + Σ services (downtime inside the horizon ×
/// outage_per_hour + incidents started in the trial × per_incident) + Σ data sets (hours of changes lost ×
/// loss_per_hour + GB lost × loss_per_gb). A total loss counts its whole size in GB and size / change rate
/// in hours, as the loss columns do. Protection lives where it is declared (backup policy, replica,
/// standby, other costs), so a variant that removes a protection removes its cost.
/// </remarks>
public static class CostModel
{
    /// <summary>Returns the yearly cost of the scenario's protection: every backup policy, replica and standby, plus the other costs.</summary>
    public static double Protection(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        double total = 0;
        foreach (var service in scenario.Services)
        {
            total += service.Standby?.CostPerYear ?? 0;
        }

        foreach (var data in scenario.DataSets)
        {
            foreach (var backup in data.Backups)
            {
                total += backup.CostPerYear + (backup.Vault?.CostPerYear ?? 0);
            }

            foreach (var replica in data.Replications)
            {
                total += replica.CostPerYear;
            }
        }

        foreach (var other in scenario.OtherCosts)
        {
            total += other.PerYear;
        }

        return total;
    }

    /// <summary>Returns whether the scenario declares any cost at all (a protection cost or a penalty rate above zero).</summary>
    public static bool HasCosts(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return Protection(scenario) > 0
            || scenario.Services.Any(s => s.Costs.OutagePerHour > 0 || s.Costs.PerIncident > 0)
            || scenario.DataSets.Any(d => d.Costs.LossPerHour > 0 || d.Costs.LossPerGb > 0);
    }

    /// <summary>Returns the protection cost over one trial's horizon: <see cref="Protection"/> × horizon / 8,766 h.</summary>
    public static double ProtectionPerTrial(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return Protection(scenario) * (scenario.Simulation.HorizonHours / SimulationSettings.HoursPerYear);
    }

    /// <summary>Returns the cost of one trial from its per-service and per-data-set results (scenario order).</summary>
    /// <param name="scenario">The scenario the results come from.</param>
    /// <param name="downtimeHours">Per service: downtime inside the horizon, hours.</param>
    /// <param name="incidents">Per service: incidents started in the trial.</param>
    /// <param name="lossHours">Per data set: hours of changes lost.</param>
    /// <param name="lossGb">Per data set: GB lost.</param>
    public static TrialCost Trial(Scenario scenario, ReadOnlySpan<double> downtimeHours, ReadOnlySpan<int> incidents, ReadOnlySpan<double> lossHours, ReadOnlySpan<double> lossGb) =>
        Pricing(scenario).Price(downtimeHours, incidents, lossHours, lossGb);

    /// <summary>Returns the prices of <paramref name="scenario"/>, computed once, for pricing trial after trial.</summary>
    public static TrialPricing Pricing(Scenario scenario) => new(scenario);

    /// <summary>Returns the cost of trial <paramref name="trial"/> (its global index) of a run, from its row of the trial table.</summary>
    public static TrialCost Trial(RunResult result, long trial)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Trial(Pricing(result.Scenario), result.Trials, trial);
    }

    /// <summary>Returns the cost of every trial of a run, in trial order (element 0 is the table's first trial).</summary>
    public static TrialCost[] Trials(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var pricing = Pricing(result.Scenario);
        var costs = new TrialCost[result.Trials.Trials];
        for (long t = 0; t < costs.Length; t++)
        {
            costs[t] = Trial(pricing, result.Trials, result.Trials.FirstTrial + t);
        }

        return costs;
    }

    private static TrialCost Trial(TrialPricing pricing, TrialTable table, long trial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trial, table.FirstTrial);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trial, table.FirstTrial + table.Trials);
        Span<double> downtime = table.Services <= 64 ? stackalloc double[table.Services] : new double[table.Services];
        Span<int> incidents = table.Services <= 64 ? stackalloc int[table.Services] : new int[table.Services];
        Span<double> lossHours = table.DataSets <= 64 ? stackalloc double[table.DataSets] : new double[table.DataSets];
        Span<double> lossGb = table.DataSets <= 64 ? stackalloc double[table.DataSets] : new double[table.DataSets];
        for (int s = 0; s < table.Services; s++)
        {
            downtime[s] = table.Downtime(trial, s);
            incidents[s] = table.IncidentCount(trial, s);
        }

        for (int d = 0; d < table.DataSets; d++)
        {
            lossHours[d] = table.LossHours(trial, d);
            lossGb[d] = table.LossGb(trial, d);
        }

        return pricing.Price(downtime, incidents, lossHours, lossGb);
    }

    /// <summary>Returns the statistics of the per-trial cost of a run, computed with the run.</summary>
    public static CostStatistics Summarize(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Costs;
    }
}

/// <summary>
/// The prices of one scenario, read once, so that pricing a trial is a few multiplications; the results are those of
/// <see cref="CostModel.Trial(Scenario, ReadOnlySpan{double}, ReadOnlySpan{int}, ReadOnlySpan{double}, ReadOnlySpan{double})"/>,
/// bit for bit. Immutable; thread-safe.
/// </summary>
public sealed class TrialPricing
{
    private readonly double[] _outagePerHour;
    private readonly double[] _perIncident;
    private readonly double[] _lossPerHour;
    private readonly double[] _lossPerGb;

    internal TrialPricing(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _outagePerHour = [.. scenario.Services.Select(s => s.Costs.OutagePerHour)];
        _perIncident = [.. scenario.Services.Select(s => s.Costs.PerIncident)];
        _lossPerHour = [.. scenario.DataSets.Select(d => d.Costs.LossPerHour)];
        _lossPerGb = [.. scenario.DataSets.Select(d => d.Costs.LossPerGb)];
        ProtectionPerTrial = CostModel.ProtectionPerTrial(scenario);
    }

    /// <summary>Gets the protection cost over one trial's horizon.</summary>
    public double ProtectionPerTrial { get; }

    /// <summary>Returns the cost of one trial from its per-service and per-data-set results (scenario order).</summary>
    public TrialCost Price(ReadOnlySpan<double> downtimeHours, ReadOnlySpan<int> incidents, ReadOnlySpan<double> lossHours, ReadOnlySpan<double> lossGb)
    {
        if (downtimeHours.Length != _outagePerHour.Length || incidents.Length != _outagePerHour.Length || lossHours.Length != _lossPerHour.Length || lossGb.Length != _lossPerHour.Length)
        {
            throw new ArgumentException($"Expected one value per service ({_outagePerHour.Length}) and per data set ({_lossPerHour.Length}).");
        }

        double outage = 0;
        double perIncident = 0;
        for (int s = 0; s < _outagePerHour.Length; s++)
        {
            outage += downtimeHours[s] * _outagePerHour[s];
            perIncident += incidents[s] * _perIncident[s];
        }

        double loss = 0;
        for (int d = 0; d < _lossPerHour.Length; d++)
        {
            loss += (lossHours[d] * _lossPerHour[d]) + (lossGb[d] * _lossPerGb[d]);
        }

        return new TrialCost(ProtectionPerTrial, outage, perIncident, loss);
    }
}
