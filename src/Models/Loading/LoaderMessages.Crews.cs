using System.Globalization;

namespace DisasterSim.Models.Loading;

/// <summary>The messages about crews, priorities and absences.</summary>
internal static partial class LoaderMessages
{
    internal static string NoCrewSkills() =>
        "a crew needs at least one skill: failover, restore or rebuild (leave 'skills' out for [failover, restore])";

    internal static string SkillTwice(string skill) => $"the skill '{skill}' is listed twice; list it once";

    internal static string AbsenceWithoutDays() =>
        "'absent' needs days_per_year (each member's days away a year, drawn) or dates (days every member is away), or both";

    internal static string AbsenceBlock(string text) =>
        $"{Q(text)} is not a whole number of days from 1d to 365d; an absence lasts whole calendar days (e.g. 1d, or 1w for whole weeks)";

    internal static string AbsenceSpan(string from, string to, int limit) =>
        $"the span from {Q(from)} to {Q(to)} is empty or longer than {limit.ToString("N0", CultureInfo.InvariantCulture)} days; 'to' must be on or after 'from'";

    internal static string NoCrewFor(string skill, string what) =>
        $"no crew has the skill '{skill}': {what} need nobody, as if people were unlimited; add '{skill}' to a crew's skills if people do it";

    internal static string MoreRestoresThanCrew(string threat, int services, string names, int members) =>
        $"threat '{threat}' destroys the data of {services} services at once ({names}) but only {members} crew member{(members == 1 ? "" : "s")} can restore: the others wait their turn; give the services a 'priority' to say which come first";

    internal static string AbsenceOutsideHorizon(string crew, DateTime first, DateTime last) =>
        string.Create(CultureInfo.InvariantCulture, $"every date crew '{crew}' is away falls outside the simulated time ({first:yyyy-MM-dd} to {last:yyyy-MM-dd}): they never apply; check the year");
}
