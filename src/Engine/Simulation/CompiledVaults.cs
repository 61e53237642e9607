using System.Collections.Immutable;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>Compiles what a backup policy adds to its jobs: retention tiers, a vault and its courier's calendar, where the jobs run.</summary>
internal static class CompiledVaults
{
    /// <summary>How far before a trial's start a vault that keeps every copy is filled: ten years, as for hidden infections.</summary>
    private const double LongestLookBackHours = 10 * SimulationSettings.HoursPerYear;

    /// <summary>Adds <paramref name="backup"/>'s tiers, vault and place to its compiled policy.</summary>
    public static CompiledBackup Complete(CompiledBackup compiled, Backup backup, DataSet data, SimulationSettings simulation) => compiled with
    {
        Tiers = backup.RetentionTiers,
        CalendarOriginHours = CalendarPeriods.OriginHours(simulation.Start),
        RunsAt = backup.RunsAt,
        Vault = backup.Vault is { } vault ? new CompiledVault(
            Pickups(vault, simulation),
            vault.TransitHours,
            Sampler.From(vault.Retrieval),
            vault.Retrieval.Mean,
            vault.RetentionHours ?? double.PositiveInfinity,
            vault.RetentionTiers,
            RandomStreams.SourceKey($"data:{data.Name}:backup:{backup.Name}:retrieval")) : null,
    };

    /// <summary>
    /// The courier's calls, hours from the trial's start: from as far back as the vault keeps copies (at most ten years),
    /// plus a year, so that a trial starts with the vault a steady state would have, to the end of the follow-up. The same
    /// in every trial.
    /// </summary>
    private static ImmutableArray<double> Pickups(Vault vault, SimulationSettings simulation)
    {
        double kept = vault.RetentionHours is double hours ? Math.Max(hours, vault.RetentionTiers.SpanHours) : double.PositiveInfinity;
        double lookBack = Math.Min(kept, LongestLookBackHours) + vault.TransitHours + SimulationSettings.HoursPerYear;
        var start = simulation.Start;
        var from = start.AddHours(-Math.Min(lookBack, (start - DateTime.MinValue).TotalHours));
        var until = start.AddHours(Math.Min(simulation.HorizonHours + TrialKernel.FollowUpHours, (DateTime.MaxValue.AddDays(-2) - start).TotalHours));
        return [.. vault.Pickup.Starts(from, until).Select(p => (p - start).TotalHours)];
    }
}
