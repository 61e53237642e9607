using System.Globalization;

namespace DisasterSim.Models.Loading;

/// <summary>The messages about retention tiers, vaults and backups that run at the standby.</summary>
internal static partial class LoaderMessages
{
    internal static string EmptyRetention() =>
        "retention tiers list nothing; give at least one of all (a duration), daily, weekly, monthly or yearly (how many of each to keep), e.g. { daily: 14, weekly: 8, monthly: 12 }";

    internal static string VaultRetentionBelowPickups(string retention, string gap) =>
        $"the vault's retention {Q(retention)} is shorter than the time between pickups (about {gap}): for part of each period the vault holds no copy; keep vault copies at least one period";

    internal static string RunsAtWithoutStandby(string runsAt, string service) =>
        $"runs_at {Q(runsAt)} needs a standby, but service '{service}' has none; add a standby to the service or remove runs_at";

    internal static string CalendarEnds(string horizon, DateTime start) =>
        string.Create(CultureInfo.InvariantCulture, $"a schedule follows the calendar, which ends with the year 9999: a horizon of {horizon} from {start:yyyy-MM-dd} runs past it; shorten simulation.horizon or give an earlier start");

    internal static string RetentionBelowDwell(string data, string kept, string backup, string threat, string dwell) =>
        $"no copy of data set '{data}' is kept longer than {kept} (backup '{backup}'), less than the mean dwell {dwell} of threat '{threat}': an infection that hides longer than every copy leaves nothing clean to restore (a total loss); keep older copies, e.g. retention: {{ daily: 14, weekly: 8, monthly: 12 }} or a vault";
}
