namespace DisasterSim.Models;

/// <summary>
/// Grandfather-father-son retention: besides the copies every policy keeps for its plain retention, the newest good copy
/// of each calendar day, ISO week (Monday to Sunday), month and year is kept, for the newest <c>N</c> of each.
/// </summary>
/// <param name="Daily">How many daily copies are kept (0: none). Range: 0-10,000.</param>
/// <param name="Weekly">How many weekly copies are kept. Range: 0-10,000.</param>
/// <param name="Monthly">How many monthly copies are kept. Range: 0-10,000.</param>
/// <param name="Yearly">How many yearly copies are kept. Range: 0-10,000.</param>
public readonly record struct RetentionTiers(int Daily, int Weekly, int Monthly, int Yearly)
{
    /// <summary>The largest count of any tier.</summary>
    public const int MaxCount = 10_000;

    /// <summary>Gets whether any tier keeps copies.</summary>
    public bool Any => Daily > 0 || Weekly > 0 || Monthly > 0 || Yearly > 0;

    /// <summary>Gets how far back the oldest tier reaches when no copy failed, hours (a month is 1/12 of 8,766 h).</summary>
    public double SpanHours => Math.Max(
        Math.Max(Daily * 24.0, Weekly * 168.0),
        Math.Max(Monthly * SimulationSettings.HoursPerYear / 12, Yearly * SimulationSettings.HoursPerYear));
}

/// <summary>Where a backup policy's jobs read the live data.</summary>
public enum BackupRunsAt
{
    /// <summary>Only while the data lives at the service's primary (the default).</summary>
    Primary,

    /// <summary>Only while the data lives at the service's standby: a standby's own backup policy.</summary>
    Standby,

    /// <summary>Wherever the data lives: the same policy goes on at the standby, to the same destination.</summary>
    Both,
}

/// <summary>
/// An offsite vault served by a courier: on a schedule the courier takes a copy of the policy's newest good job from its
/// destination (the on-site staging copy), which is unusable while in transit and kept in the vault after; a restore from
/// the vault first waits for the copy to be retrieved.
/// </summary>
/// <param name="Pickup">When the courier calls.</param>
/// <param name="TransitHours">From the pickup until the copy is in the vault. Range: ≥ 0.</param>
/// <param name="Retrieval">The lead time of bringing a copy back from the vault for a restore, hours.</param>
public sealed record Vault(MaintenanceSchedule Pickup, double TransitHours, Distribution Retrieval)
{
    /// <summary>Gets how long every vault copy is kept after it arrives; null keeps every copy (with <see cref="RetentionTiers"/>, 0 unless given).</summary>
    public double? RetentionHours { get; init; }

    /// <summary>Gets the grandfather-father-son tiers of the vault's copies, by pickup time; none by default.</summary>
    public RetentionTiers RetentionTiers { get; init; }

    /// <summary>Gets what the vault and courier service cost per year. Range: ≥ 0.</summary>
    public double CostPerYear { get; init; }
}
