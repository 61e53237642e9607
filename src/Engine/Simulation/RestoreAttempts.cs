using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// One attempt to restore a data set from a copy: how long it takes (setup plus size over throughput, each drawn per
/// attempt from the policy's own stream when they vary), and whether the copy restores (found when the attempt ends: a
/// copy spoiled by a silent chain break, or one that fails alone, does not, and the next older usable copy is tried).
/// </summary>
internal sealed class RestoreAttempts
{
    /// <summary>The longest a restore may take, as the loader bounds any duration: a throughput drawn near 0 stays finite.</summary>
    private const double MaxHours = 1_000_000 * SimulationSettings.HoursPerYear;

    private readonly TrialKernel _kernel;
    private readonly CompiledDataSet[] _sets;
    private readonly BackupFaults _faults;
    private readonly LazyStream[][] _rng;

    public RestoreAttempts(TrialKernel kernel, BackupFaults faults)
    {
        _kernel = kernel;
        _sets = [.. kernel.Model.DataSets];
        _faults = faults;
        _rng = [.. _sets.Select(d => d.Backups.Select(b => new LazyStream(b.RestoreStream)).ToArray())];
        Setups = new double[_sets.Length];
        Caps = new double[_sets.Length];
    }

    /// <summary>Gets, per data set, the setup of its latest attempt from a backup, hours.</summary>
    public double[] Setups { get; }

    /// <summary>Gets, per data set, the throughput of its latest attempt from a backup, GB an hour: the most it gets of a shared one.</summary>
    public double[] Caps { get; }

    /// <summary>How long restoring data set <paramref name="d"/> from <paramref name="point"/> takes, drawn now when it varies.</summary>
    public double Hours(int d, in RecoveryPoint point)
    {
        if (point.Source != RecoverySource.Backup)
        {
            return point.RestoreHours;
        }

        var backup = _sets[d].Backups[point.Index];
        if (!backup.RestoreVaries)
        {
            Setups[d] = backup.RestoreSetupHours;
            Caps[d] = backup.RestoreThroughputGbPerHour;
            return point.RestoreHours;
        }

        ref var rng = ref _rng[d][point.Index];
        double setup = _kernel.Sample(backup.RestoreSetup, ref rng);
        double throughput = _kernel.Sample(backup.RestoreThroughput, ref rng);
        Setups[d] = setup;
        Caps[d] = throughput;
        return Math.Min(setup + (backup.SizeGb / throughput), MaxHours);
    }

    /// <summary>
    /// The attempt to restore data set <paramref name="d"/> from <paramref name="point"/> ends at <paramref name="now"/>:
    /// whether the copy restored. A copy that did not is known bad from now on, and the operator checks its chain.
    /// </summary>
    public bool Restored(int d, in RecoveryPoint point, double now)
    {
        if (point.Source != RecoverySource.Backup || _faults.Of(d, point.Index) is not { } policy)
        {
            return true;
        }

        var backup = _sets[d].Backups[point.Index];
        double k = Math.Round((point.TakenAt - backup.OffsetHours) / backup.IntervalHours);
        if (!policy.Spoiled(k, point.TakenAt, out bool broken))
        {
            return true;
        }

        policy.Failed(k, now);
        _kernel.Trace(now, TraceKind.RestoreFailed, d, point.Index, point.TakenAt, broken ? 1 : 0);
        return false;
    }

    /// <summary>
    /// Traces, for each policy of data set <paramref name="d"/> with chain breaks, a break found by <paramref name="now"/>
    /// that spoils its newest job: why the copy chosen is older than the schedule suggests.
    /// </summary>
    public void TraceFoundBreaks(int d, double now)
    {
        if (!_kernel.Tracing)
        {
            return;
        }

        var backups = _sets[d].Backups;
        for (int b = 0; b < backups.Length; b++)
        {
            var backup = backups[b];
            if (double.IsFinite(backup.BreakMeanHours) && _faults.Of(d, b) is { } policy)
            {
                double newest = backup.OffsetHours + (Math.Floor((now - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours) * backup.IntervalHours);
                if (policy.Broken(newest, now, knownOnly: true, out double breakAt, out double foundAt))
                {
                    _kernel.Trace(now, TraceKind.ChainBreakFound, d, b, breakAt, foundAt);
                }
            }
        }
    }
}
