using System.Globalization;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Checking mode for the copies of policies with retention tiers, vaults or jobs at the standby: every copy a restore
/// chose is checked against definitions computed another way. A vault copy arrived before the restore and holds a job
/// that ended before its pickup; a copy older than its plain retention is the newest good copy of its calendar period
/// (counted with <see cref="DateTime"/>, one copy at a time) among the newest N periods; a job read the live data where
/// its policy runs for the whole job, by a record of where the data lived that these checks keep themselves.
/// </summary>
internal sealed class CopyChoiceChecks
{
    /// <summary>The most copies a tier check walks; beyond, the copy is not checked (a check must not take minutes).</summary>
    private const int MaxWalk = 1_000_000;

    private readonly SimulationModel _model;
    private readonly Estate _estate;
    private readonly DataCopies _copies;

    /// <summary>Per data set, the times where its live data was readable changed, and where: 0 nowhere, 1 the primary, 2 the standby.</summary>
    private readonly List<(double Time, byte Where)>[] _where;

    public CopyChoiceChecks(SimulationModel model, Estate estate, DataCopies copies)
    {
        _model = model;
        _estate = estate;
        _copies = copies;
        _where = [.. model.DataSets.Select(_ => new List<(double, byte)>())];
        copies.Choices = [];
    }

    public void BeginTrial()
    {
        foreach (var list in _where)
        {
            // Before hour 0 the data lived and was read at the primary.
            list.Clear();
            list.Add((double.NegativeInfinity, 1));
        }

        _copies.Choices!.Clear();
    }

    /// <summary>Checks the copies chosen during the last event, then notes where each data set is readable now.</summary>
    /// <returns>The first violation, or null.</returns>
    /// <remarks>A change of this very event is noted after the check: it may have come after the choice.</remarks>
    public string? AfterEvent(double now)
    {
        string? violation = null;
        foreach (var choice in _copies.Choices!)
        {
            violation ??= Check(choice);
        }

        _copies.Choices.Clear();
        for (int d = 0; d < _where.Length; d++)
        {
            byte where = !_copies.Served(d) ? (byte)0 : _copies.AtStandby(d) ? (byte)2 : (byte)1;
            if (_model.DataSets[d].ExplainsCopies && _where[d][^1].Where != where)
            {
                _where[d].Add((now, where));
            }
        }

        return violation;
    }

    private string? Check(in CopyChoice choice)
    {
        var point = choice.Point;
        if (point.Source is not (RecoverySource.Backup or RecoverySource.Vault))
        {
            return null;
        }

        var set = _model.DataSets[choice.DataSet];
        var backup = set.Backups[point.Index];
        string name = $"data set '{set.Name}', backup '{backup.Name}'";
        double end = point.TakenAt + backup.DurationHours;
        if (!ReadWhereItRuns(choice.DataSet, backup.RunsAt, point.TakenAt, end))
        {
            return $"{name}: the job of {Hours(point.TakenAt)} h did not read the live data where its policy runs ({backup.RunsAt}) for the whole job";
        }

        var unreadable = _copies.Unreadable(choice.DataSet, backup.RunsAt);
        if (point.Source == RecoverySource.Backup)
        {
            if (end > choice.Time)
            {
                return $"{name}: the job of {Hours(point.TakenAt)} h was not complete at {Hours(choice.Time)} h";
            }

            if (end + backup.RetentionHours < choice.ExpiryFrozenAt)
            {
                var jobs = new BackupJobs.Jobs(backup, unreadable, _estate);
                double k = Math.Round((point.TakenAt - backup.OffsetHours) / backup.IntervalHours);
                double newest = Math.Floor((choice.ExpiryFrozenAt - backup.DurationHours - backup.OffsetHours) / backup.IntervalHours);
                if (!KeptByTiers(ref jobs, backup.Tiers, newest, k, out string why))
                {
                    return $"{name}: the job of {Hours(point.TakenAt)} h had expired at {Hours(choice.ExpiryFrozenAt)} h: {why}";
                }
            }

            return null;
        }

        var vault = backup.Vault!;
        int j = vault.Pickups.IndexOf(point.PickedUpAt);
        if (j < 0)
        {
            return $"{name}: the vault copy came from {Hours(point.PickedUpAt)} h, when the courier does not call";
        }

        if (point.PickedUpAt > choice.Time - vault.TransitHours)
        {
            return $"{name}: the vault copy picked up at {Hours(point.PickedUpAt)} h was still in transit at {Hours(choice.Time)} h";
        }

        if (!(BackupJobs.AtPickup(backup, point.PickedUpAt, unreadable, _estate, out double content) && content == point.TakenAt && end <= point.PickedUpAt))
        {
            return $"{name}: the vault copy picked up at {Hours(point.PickedUpAt)} h does not hold the job of {Hours(point.TakenAt)} h";
        }

        if (point.PickedUpAt + vault.TransitHours + vault.RetentionHours < choice.ExpiryFrozenAt)
        {
            var pickups = new PickupsMade(backup, unreadable, _estate);
            double newest = vault.Pickups.Length - 1;
            while (newest >= 0 && vault.Pickups[(int)newest] > choice.ExpiryFrozenAt - vault.TransitHours)
            {
                newest--;
            }

            if (!KeptByTiers(ref pickups, vault.Tiers, newest, j, out string why))
            {
                return $"{name}: the vault copy picked up at {Hours(point.PickedUpAt)} h had expired at {Hours(choice.ExpiryFrozenAt)} h: {why}";
            }
        }

        return null;
    }

    /// <summary>Whether the live data was readable where a policy that runs at <paramref name="runsAt"/> reads it, throughout [from, to].</summary>
    private bool ReadWhereItRuns(int d, BackupRunsAt runsAt, double from, double to)
    {
        var changes = _where[d];
        for (int i = 0; i < changes.Count; i++)
        {
            double since = changes[i].Time;
            double until = i + 1 < changes.Count ? changes[i + 1].Time : double.PositiveInfinity;
            bool readable = runsAt switch
            {
                BackupRunsAt.Primary => changes[i].Where == 1,
                BackupRunsAt.Standby => changes[i].Where == 2,
                BackupRunsAt.Both => changes[i].Where != 0,
            };

            // Closed periods: a change at the very start or end of the job counts, as for the jobs themselves.
            if (!readable && since <= to && until >= from)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether copy <paramref name="k"/> is kept by a tier: walking the made copies one at a time from the newest completed
    /// at the freeze, it is the first of its calendar period, and that period is among its tier's newest N.
    /// </summary>
    private bool KeptByTiers<T>(ref T series, RetentionTiers tiers, double newest, double k, out string why)
        where T : struct, ICopySeries
    {
        why = "no tier keeps it";
        Span<int> ranks = stackalloc int[RetentionTierWalk.Tiers];
        Span<long> last = stackalloc long[RetentionTierWalk.Tiers];
        last.Fill(long.MinValue);
        int steps = 0;
        for (double c = series.NewestMade(newest); !double.IsNaN(c) && c >= k; c = series.NewestMade(c - 1))
        {
            if (++steps > MaxWalk || !TryCalendar(series.Label(c), out DateTime at))
            {
                why = "";
                return true;
            }

            bool kept = false;
            for (int t = 0; t < RetentionTierWalk.Tiers; t++)
            {
                long key = Key((CalendarPeriod)t, at);
                bool first = key != last[t];
                if (first)
                {
                    last[t] = key;
                    ranks[t]++;
                }

                kept |= c == k && first && ranks[t] <= RetentionTierWalk.Count(tiers, (CalendarPeriod)t);
            }

            if (c == k)
            {
                return kept;
            }
        }

        why = "it was not made, or not completed at the freeze";
        return false;
    }

    private bool TryCalendar(double hours, out DateTime at)
    {
        var start = _model.Scenario.Simulation.Start;
        bool ok = hours > (DateTime.MinValue - start).TotalHours + 24 && hours < (DateTime.MaxValue - start).TotalHours - 24;
        at = ok ? start.AddHours(hours) : default;
        return ok;
    }

    private static long Key(CalendarPeriod period, DateTime at) => period switch
    {
        CalendarPeriod.Day => at.Date.Ticks,
        CalendarPeriod.Week => (ISOWeek.GetYear(at) * 100L) + ISOWeek.GetWeekOfYear(at),
        CalendarPeriod.Month => (at.Year * 12L) + at.Month,
        CalendarPeriod.Year => at.Year,
    };

    private static string Hours(double hours) => hours.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A vault's pickups, made when the courier found a job to take: counted again, one pickup at a time.</summary>
    private readonly struct PickupsMade(CompiledBackup backup, IntervalLog unreadable, Estate estate) : ICopySeries
    {
        public double Label(double k) => backup.Vault!.Pickups[(int)k];

        public double NewestBefore(double time) => throw new NotSupportedException("the check walks every pickup");

        public double NewestMade(double k)
        {
            for (int j = (int)k; j >= 0; j--)
            {
                if (BackupJobs.AtPickup(backup, Label(j), unreadable, estate, out _))
                {
                    return j;
                }
            }

            return double.NaN;
        }
    }
}
