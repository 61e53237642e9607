namespace DisasterSim.Models;

/// <summary>Whether ransomware that detonates in the estate can reach a backup policy's copies.</summary>
public enum BackupExposure
{
    /// <summary>Writable from the estate at all times (a NAS share, a USB disk left plugged in): a detonation encrypts every copy.</summary>
    Online,

    /// <summary>Connected only while a job writes (a rotated disk, a tape): a detonation encrypts only a copy being written then.</summary>
    Offline,

    /// <summary>Write-once (object lock, WORM): no detonation changes a copy once written.</summary>
    Immutable,
}

/// <summary>
/// Silent breaks of a backup chain (an expired credential, a changed path, a corrupt base of an incremental chain): from a
/// break on, every job of the policy is unusable, though it reports success, until the break is found and fixed.
/// </summary>
/// <param name="RatePerYear">Poisson breaks a year. Range: &gt; 0.</param>
/// <param name="FixHours">From a break's discovery (a restore test, a failed restore) until jobs are good again. Range: ≥ 0.</param>
public sealed record ChainBreaks(double RatePerYear, double FixHours);

/// <summary>Periodic test restores of a backup policy, each of which finds a chain break that spoiled the newest job.</summary>
/// <param name="EveryHours">Time between tests. Range: &gt; 0.</param>
/// <param name="OffsetHours">The first test after hour 0 (tests are at offset + n × every). Range: [0, every).</param>
public sealed record RestoreTest(double EveryHours, double OffsetHours);
