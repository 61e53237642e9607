using System.Globalization;

namespace DisasterSim.Models.Loading;

/// <summary>Every message text the loader shows, in one place, so wording and stated ranges stay consistent.</summary>
/// <remarks>Each message names the value found, what was expected and, where there is one, how to fix it.</remarks>
internal static partial class LoaderMessages
{
    private const string DurationExpectation = "expected a non-negative number with a unit " + DurationText.UnitList + " (e.g. 15m, 4h)";

    internal static string FileTooLarge(long bytes, long limit) =>
        $"the file is {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes; scenario files are limited to {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes ({limit / (1024 * 1024)} MiB), a fixed guard against runaway input; a real estate fits in far less: look for generated or pasted bulk, or split it into several scenarios";

    internal static string StreamTooLarge(long limit) =>
        $"the input holds more than {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes ({limit / (1024 * 1024)} MiB), the limit of scenario files (reading stopped there); give a scenario file, not a device or an endless stream";

    internal static string NotText(string detail) => $"the file is not text a scenario can be read from: {detail}";

    internal static string BadName(string name, string problem) =>
        $"the name '{Shown(name)}' {problem}";

    internal static string NumberTooLarge(string text, double limit) =>
        string.Create(CultureInfo.InvariantCulture, $"'{text.Trim()}' is larger than {limit:0e0}, the largest number a scenario may state (so that costs and sums of a run stay finite); check the value and its unit");

    internal static string RestoreTooLong(string backup, double sizeGb, double throughput, double hours, double limitHours) =>
        string.Create(CultureInfo.InvariantCulture, $"restoring {sizeGb:G4} GB from backup '{backup}' at {throughput:G4} GB an hour would take {(double.IsFinite(hours) ? $"{hours / SimulationSettings.HoursPerYear:G4} years" : "forever")}, more than the {limitHours / SimulationSettings.HoursPerYear:N0} years any duration may last; check the throughput and its unit (GB per hour)");

    internal static string DurationTooLong(string text, double limitHours) =>
        $"'{text.Trim()}' is longer than {limitHours / SimulationSettings.HoursPerYear:N0} years, the longest duration a scenario may state (so that sums of durations stay finite); check the value and its unit";

    internal static string DistributionTooLarge(string dist, string what, double value, double limit, bool factor, string plain = "a factor") =>
        string.Create(CultureInfo.InvariantCulture, $"the {dist} distribution's {what} is {(!double.IsFinite(value) ? "infinite" : factor ? value.ToString("G4", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture) + " hours")}, more than {(factor ? limit.ToString(limit >= 1e9 ? "0e0" : "N0", CultureInfo.InvariantCulture) : $"{limit / SimulationSettings.HoursPerYear:N0} years")}, the most {(factor ? plain : "a duration")} may reach; check its parameters and their units");

    internal static string FileUnreadable(string reason) => $"cannot read the scenario file: {reason}";

    internal static string FileMissing(string path) => $"cannot read the scenario file: '{path}' does not exist; check the path";

    // A name as a message quotes it: control characters shown as U+XXXX, and no more than 60 characters of it.
    private static string Shown(string name)
    {
        var shown = new System.Text.StringBuilder();
        foreach (char c in name.Length > 60 ? name[..60] : name)
        {
            shown.Append(char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                ? string.Create(CultureInfo.InvariantCulture, $"<U+{(int)c:X4}>")
                : c.ToString());
        }

        return name.Length > 60 ? shown + "..." : shown.ToString();
    }

    internal static string Syntax(string detail) => $"invalid YAML: {detail}";

    internal static string UnparsableAfter() => "the text after this point could not be parsed; look for an unclosed bracket, brace or quote";

    internal static string TooDeep(int limit) => $"the YAML nests deeper than {limit} levels (a fixed limit; no scenario needs more than about 8); flatten the structure";

    internal static string TooManyNodes(long limit) =>
        $"the scenario expands to more than {limit.ToString("N0", CultureInfo.InvariantCulture)} nodes (through aliases); reading stopped (a fixed guard against alias bombs). Use fewer or smaller aliases";

    internal static string TooManyItems(string what, int count, int limit) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {what} given; at most {limit.ToString("N0", CultureInfo.InvariantCulture)} are allowed in one list (a fixed limit); model groups of identical items as one item";

    internal static string TooManyProblems(int limit) => $"more than {limit} problems; the rest are not shown";

    internal static string NonScalarKey() => "a key must be plain text, found a list or mapping (or an alias) used as a key";

    internal static string DuplicateKey(string key, int firstLine) => $"the key '{key}' appears twice in this mapping (first at line {firstLine}); keep one";

    internal static string MultipleDocuments() => "found a second YAML document ('---'); a scenario file holds exactly one";

    internal static string EmptyDocument() => "the file holds no scenario; expected a mapping with at least 'name'";

    internal static string ExpectedMapping(string found, string what) => $"expected a mapping ({what}), found {found}";

    internal static string ExpectedList(string found, string what) => $"expected a list ({what}), found {found}";

    internal static string ExpectedText(string found, string what) => $"expected text ({what}), found {found}";

    internal static string UnknownKey(string key, IEnumerable<string> allowed, string? suggestion) =>
        $"unknown key {Q(key)}{DidYouMean(suggestion)}; expected one of: {string.Join(", ", allowed)}";

    internal static string MissingKey(string key, string what) => $"missing required key '{key}' ({what})";

    internal static string MissingValue(string key, string what) => $"'{key}' has no value; expected {what}";

    internal static string InvalidDuration(string text) =>
        DurationText.IsBareNumber(text)
            ? $"{Q(text)} is not a valid duration: it has no unit; add a unit {DurationText.UnitList} (e.g. {text.Trim()}h)"
            : $"{Q(text)} is not a valid duration; {DurationExpectation}";

    internal static string DurationNotPositive(string text) => $"{Q(text)} must be greater than zero; expected a positive duration (e.g. 1h)";

    internal static string InvalidNumber(string text, string expectation) => $"{Q(text)} is not a valid number; expected {expectation}";

    internal static string NumberOutOfRange(string text, string expectation) => $"{Q(text)} is out of range; expected {expectation}";

    internal static string InvalidInteger(string text, string expectation) => $"{Q(text)} is not a valid whole number; expected {expectation}";

    internal static string InvalidDate(string text) =>
        $"{Q(text)} is not a valid start; expected a date like 2026-01-01 or a date-time like 2026-01-01T06:30 (no time zone)";

    internal static string InvalidChoice(string text, IEnumerable<string> choices, string? suggestion) =>
        $"{Q(text)} is not allowed here{DidYouMean(suggestion)}; expected one of: {string.Join(", ", choices)}";

    internal static string UnknownDistribution(string text, IEnumerable<string> known, string? suggestion) =>
        $"unknown distribution {Q(text)}{DidYouMean(suggestion)}; expected one of: {string.Join(", ", known)}";

    internal static string UnknownDistributionParameter(string dist, string key, string expected, string? suggestion) =>
        $"{Q(key)} is not a parameter of a {dist} distribution{DidYouMean(suggestion)}; expected: {expected}";

    internal static string RateNotAllowed(string dist, string key, string expected) =>
        $"{Q(key)} is not accepted in a distribution: give the mean time instead (mean = 1 / rate) as a duration; a {dist} distribution expects: {expected}";

    internal static string MissingDistributionParameter(string dist, string key, string expected) =>
        $"a {dist} distribution needs '{key}'; expected: {expected}";

    internal static string LogNormalPairs(IEnumerable<string> found) =>
        $"a lognormal distribution needs exactly one pair of parameters: {{median, p90}}, {{low, high}} or {{mu, sigma}}; found {{{string.Join(", ", found)}}}";

    internal static string DistributionOrder(string dist, string a, string aText, string relation, string b, string bText) =>
        $"{a} {Q(aText)} must be {relation} {b} {Q(bText)} in a {dist} distribution";

    internal static string DistributionNotPositive(string dist, string key, string text) =>
        $"{key} {Q(text)} must be greater than zero in a {dist} distribution";

    internal static string DistributionInvalid(string dist, string detail) => $"invalid {dist} distribution: {detail}";

    internal static string EmptyName(string what) => $"the {what} name is empty; give it a name";

    internal static string DuplicateName(string kind, string name, int firstLine) =>
        $"duplicate {kind} name {Q(name)} (first defined at line {firstLine}); names must be unique among {kind}s";

    internal static string UnknownReference(string kind, string name, string? suggestion, IReadOnlyCollection<string> known) =>
        known.Count == 0
            ? $"unknown {kind} {Q(name)}; no {kind}s are defined"
            : $"unknown {kind} {Q(name)}{DidYouMean(suggestion)}; known {kind}s: {KnownList(known)}";

    internal static string RequirementGroup(IEnumerable<string> keys) =>
        $"a requirement group needs exactly one of any_of, all_of or k_of_n; found {{{string.Join(", ", keys)}}}";

    internal static string EmptyGroup(string group) => $"{group} lists nothing; name at least one component or group";

    internal static string KOutOfRange(string text, int count) => $"k {Q(text)} must be between 1 and the number of items ({count})";

    internal static string FailoverWithoutStandby() => "failover is given but the service has no standby; add a 'standby' with a site or remove 'failover'";

    internal static string AfterOnAutomatic(string text) => $"'after' ({Q(text)}) applies to manual failover only; remove it or set mode: manual";

    internal static string AsyncWithoutLag() => "async replication needs 'lag' (the replica's lag distribution, e.g. lag: 5m)";

    internal static string SyncWithLag(string text) => $"sync replication has no lag, found lag {Q(text)}; remove 'lag' or set mode: async";

    internal static string OffsetNotBelowInterval(string offset, string interval) =>
        $"offset {Q(offset)} must be less than the interval {Q(interval)}";

    internal static string RetentionBelowInterval(string retention, string interval) =>
        $"retention {Q(retention)} is shorter than the interval {Q(interval)}: between jobs no copy exists; keep copies at least one interval";

    internal static string BackupOnOwnStorage(string storage) =>
        $"this backup is kept on the data set's own storage component '{storage}'; it does not survive a failure of {storage}";

    internal static string StandbyAtPrimarySite(string site) =>
        $"the standby site '{site}' is the service's primary site; a standby must be at another site";

    internal static string Cycle(IEnumerable<string> chain) => $"dependency cycle among components: {string.Join(" -> ", chain)}; remove one requirement";

    internal static string ServiceCycle(IEnumerable<string> chain) =>
        $"dependency cycle among services: {string.Join(" -> ", chain)}; a service cannot wait for itself to run: remove one of these requires_services";

    internal static string DependencyWithoutStandby(string service, string standbySite, string required, string requiredSite) =>
        $"service '{service}' fails over to '{standbySite}', but it requires service '{required}', which runs only at '{requiredSite}', the primary site of both: a disaster there stops '{service}' at its standby too; give '{required}' a standby or run it active-active";

    internal static string RtoBelowDependency(string rto, string required, string requiredRto) =>
        $"rto {Q(rto)} is shorter than the rto {Q(requiredRto)} of service '{required}', which this service requires: it cannot run again before '{required}' does";

    internal static string SiteCapacityWithoutPriority(string site, int capacity, int guests) =>
        $"site '{site}' takes {capacity} service{(capacity == 1 ? "" : "s")} at a time, and {guests} can move there: when more arrive at once they wait for a place in the order they ask; give them a 'priority' (lower first) to say which goes first";

    internal static string ComponentAtOtherSite(string component, string componentSite, string role, string site) =>
        $"component '{component}' stands at site '{componentSite}', not at the {role} site '{site}'; a failure there also stops this service";

    internal static string ScopeExactlyOne(IEnumerable<string> found) =>
        $"a scope needs exactly one of component, site, region or components; found {{{string.Join(", ", found)}}}";

    internal static string LocationExactlyOne(string what, IEnumerable<string> found, bool offsiteAllowed) =>
        $"{what} needs exactly one of {(offsiteAllowed ? "offsite, " : "")}{{ site: NAME }} or {{ component: NAME }}; found {{{string.Join(", ", found)}}}";

    internal static string InvalidDestination(string text) => $"{Q(text)} is not a destination; expected offsite, {{ site: NAME }} or {{ component: NAME }}";

    internal static string FieldForbiddenForEffect(string key, string effect, string wanted) =>
        $"'{key}' does not apply to effect {effect}; remove it (a {effect} threat uses '{wanted}')";

    internal static string FieldRequiredForEffect(string key, string effect) => $"a threat with effect {effect} needs '{key}'";

    internal static string CheckExactlyOne() => "a check names exactly one of 'component' or 'service'";

    internal static string EstimateWithoutEstimateMode(string mode) => $"'estimate' applies to mode: estimate only, found mode {Q(mode)}; remove it or set mode: estimate";

    internal static string DuplicateGroupMember(string name, string firstPath) =>
        $"component '{name}' is already in this group at {firstPath}; name each member once";

    internal static string NotForGroupScope(string key) => key == "flood"
        ? "'flood' applies to a site or region scope (it destroys whole sites); a group of components is hit as named, so give the group effect: destroyed instead"
        : "'affects' filters the components of a site or region scope by kind; a group of components already names what it hits, so remove it";

    internal static string CopySharesCommonCause(string copy, string component, string threat, string storage, bool destroys) =>
        $"the {copy} is kept on component '{component}', which common-cause threat '{threat}' takes down together with the storage '{storage}': one arrival {(destroys ? "destroys" : "stops")} both, so the copy does not protect against it; keep it outside the group";

    internal static string EmptyChangeProfile() =>
        "a change profile needs at least one of business_hours, nights, weekends (a factor of change_rate_gb_per_hour in that period; an omitted one is 1)";

    internal static string EmptyAftermath() =>
        "an aftermath needs 'arrivals' (this threat strikes again more often for a while: aftershocks), 'failures' (what it hit fails more often for a while after it comes back), or both";

    internal static string AftershocksOfSchedule() =>
        "'arrivals' raises a random threat's rate for a while after each arrival; a scheduled threat has no rate to raise (its windows come from the calendar). Use 'failures' to raise the failure rates of what a window took down";

    internal static string StressWithoutHold() =>
        "'failures' raises the failure rates of what a threat took down, from the moment it comes back; ransomware (effect: corruption) takes nothing down. Use 'arrivals' to make reinfection more likely for a while";

    internal static string OnlyForRegionScope(string key) => $"'{key}' applies to a region scope only (each site of the region is hit with this probability)";

    internal static string WindowWithoutNextWindow() => "'window' applies to when: next_window only; remove it or set when: next_window";

    internal static string InvalidBusinessHours(string text) => $"{Q(text)} is not a span of business hours; expected HH:MM-HH:MM with the end after the start, e.g. 08:00-18:00";

    internal static string InvalidTimeOfDay(string text) => $"{Q(text)} is not a time of day; expected HH:MM, e.g. 22:00";

    internal static string RateWithSchedule() => "a scheduled (planned) threat has no rate_per_year: its windows come from the schedule; remove one of them";

    internal static string NotWithDates(string key) => $"'{key}' does not go with 'dates': a list of dates gives every window start itself; remove one of them";

    internal static string ScheduleKeyOnlyFor(string key, string rule) => $"'{key}' belongs to a schedule with {rule}; remove it or change 'every'";

    internal static string NoSuchDay(long day, string month) => $"{month} has no day {day}; expected a day of that month";

    internal static string ScheduleNeedsOutage() => "a scheduled maintenance window must have effect: outage";

    internal static string StandbyWithActiveActive() => "an active-active service has no standby: every site in active_active is live; remove 'standby'";

    internal static string IntervalTooShort(string text) => $"interval {Q(text)} is shorter than one second; for continuous protection use replication (mode: sync or async)";

    internal static string TooManyEndpointLosses(string rate, long devices, double limit) =>
        $"loss_rate_per_year {Q(rate)} × {devices} devices is more than {limit:N0} losses a year; give the rate per device per year (e.g. 0.025)";

    internal static string TooDeepRequirement(int limit) => $"requirements nest deeper than {limit} levels";

    internal static string TooManyEvents(double expected, double limit, string horizon, string worst) =>
        string.Create(CultureInfo.InvariantCulture, $"threats and component failures would start {(double.IsFinite(expected) ? $"about {expected:N0} times" : "without end")} in each trial of {horizon}; the limit is {limit:N0} a trial (it keeps one trial from running for hours). The largest source is {worst}: check that the rate is per year and the durations have the right unit, or shorten simulation.horizon");

    internal static string ThreatAlwaysActive(string name, double share) =>
        string.Create(CultureInfo.InvariantCulture, $"threat '{name}' would keep its scope down about {share * 100:0}% of the time (rate_per_year × mean duration / 1y); its arrivals overlap and merge into near-endless incidents. Check that the rate is per year and the duration has the right unit");

    internal static string RtoBelowDetection(string rto, string detection) =>
        $"the RTO {Q(rto)} is shorter than the mean detection delay ({detection}): most incidents will breach it before anyone knows; add a standby with failover or relax the target";

    internal static string RtoBelowFailover(string rto, string detection, string after, string failover, string total) =>
        $"the RTO {Q(rto)} is shorter than a failover can achieve on average: detection {detection} + wait {after} + failover {failover} = {total}; every incident that needs the standby will breach it";

    internal static string StandbySameRegion(string standby, string region, string threat) =>
        $"the standby site '{standby}' is in the primary's region '{region}': threat '{threat}' takes both at once; a standby in another region survives it";

    internal static string Unprotected(string data, string storage) =>
        $"data set '{data}' has no backup and no replica: losing '{storage}' loses it all (a total loss); add a backup";

    internal static string RpoOutOfReach(string rpo, string best) =>
        $"the RPO {Q(rpo)} is tighter than the protection can give: the newest copy is on average {best} old when a disaster strikes (half the backup interval + its duration, or the replica's mean lag), so most data-loss incidents will breach it; back up more often or replicate";

    internal static string BackupLongerThanInterval(string name, string duration, string interval) =>
        $"backup '{name}' takes {duration}, longer than its interval {interval}: jobs overlap; lengthen the interval or shorten the job";

    internal static string BackupAtSameSite(string name, string site, string threat) =>
        $"backup '{name}' is kept at site '{site}', where the data lives: threat '{threat}' destroys both; keep a copy offsite or at another site";

    internal static string ReplicaOnOwnStorage(string storage) =>
        $"this replica is on the data set's own storage '{storage}': it fails with it and protects nothing; replicate to another component or site";

    internal static string LinkOnSyncReplica() =>
        "a synchronous replica has no link of its own: every write waits for it, so a slow link slows the writes instead of building a backlog; remove 'link' or set mode: async";

    internal static string LinkSlowerThanChanges(string bandwidth, string data, double changeRate, string behindPerYear) =>
        string.Create(CultureInfo.InvariantCulture, $"the link's bandwidth {Q(bandwidth)} GB an hour is less than the {changeRate:G4} GB an hour at which data set '{data}' changes: the replica falls further behind every hour the service writes ({behindPerYear} behind after a year of writes) and catches up only while the service is down; raise the bandwidth to at least the change rate");

    internal static string SharedThroughputUnused(string place) =>
        $"no backup reads its restores from {place}, so its restore_throughput_gb_per_hour changes nothing; remove it, or check the backups' destinations";

    internal static string SeedingTooLong(double sizeGb, double bandwidth, double hours, double limitHours) =>
        string.Create(CultureInfo.InvariantCulture, $"seeding the replica with {sizeGb:G4} GB at {bandwidth:G4} GB an hour would take {(double.IsFinite(hours) ? $"{hours / SimulationSettings.HoursPerYear:G4} years" : "forever")}, more than the {limitHours / SimulationSettings.HoursPerYear:N0} years any duration may last; check the bandwidth and its unit (GB per hour)");

    internal static string LagAboveBackupInterval(string lag, string interval) =>
        $"the replica lags {lag} on average, more than the backup interval {interval}: the backups are usually the newer copy; check the lag's unit";

    internal static string FailoverWithoutData(string data, string service, string standby, string primary) =>
        $"data set '{data}' has no replica at '{standby}', the standby of service '{service}', and no backup outside '{primary}': after a failover caused by a site disaster it is a total loss; replicate it to '{standby}' or back it up offsite";

    internal static string FailoverFromBackup(string data, string service, string standby, string backup, string restore) =>
        $"data set '{data}' has no replica at '{standby}', the standby of service '{service}': a failover must restore it from backup '{backup}', adding about {restore} to the downtime; replicate it to '{standby}' if that is too slow";

    internal static string ThroughputNotPositive(string dist) =>
        $"this {dist} throughput can come close to 0 GB an hour (its 0.1th percentile is 0), which would make a restore endless; give it a lower end above 0 (e.g. {{ dist: uniform, min: 50, max: 200 }})";

    internal static string TooManyChainBreaks(string text, double limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{Q(text)} breaks a year is more than {limit:N0}: the chain would never work; check that the rate is per year, not per hour");

    internal static string BackupReachableByRansomware(string backup, string threat, string why) =>
        $"backup '{backup}' is reachable by ransomware '{threat}' (exposure online, and {why}): its detonation encrypts every copy of it, not only those taken after the infection; keep a copy offline or immutable";

    internal static string BackupExposureUnstated(string backup, string location, string threat) =>
        $"backup '{backup}' is kept on {location}, in the scope of ransomware '{threat}', and its exposure is not stated, so its copies are taken to be out of the attack's reach; write exposure: online if the estate can write to it (a NAS share, a USB disk left plugged in), or offline or immutable if it cannot";

    internal static string FaultTooLikely(double p, string what, double max) =>
        string.Create(CultureInfo.InvariantCulture, $"the chance that {what} is {p:G4}, more than {max:G4}: a policy whose every copy fails protects nothing; remove it, or give the chance it really fails");

    internal static string UntestedChain(string backup, double rate) =>
        string.Create(CultureInfo.InvariantCulture, $"backup '{backup}' breaks silently {rate:G4} times a year and nothing tests it: a break is found only when a restore fails, in the disaster; add restore_test: {{ every: 30d }}");

    internal static string TestWithoutBreaks(string backup) =>
        $"the restore tests of backup '{backup}' find chain breaks, and it has no chain_breaks: they change nothing (a copy that fails on its own, restore.failure_probability, is found only by restoring it)";

    internal static string Found(YamlDotNet.RepresentationModel.YamlNode node) => node switch
    {
        YamlDotNet.RepresentationModel.YamlMappingNode => "a mapping",
        YamlDotNet.RepresentationModel.YamlSequenceNode => "a list",
        YamlDotNet.RepresentationModel.YamlScalarNode s when ScenarioNodes.IsNull(s) => "nothing (null)",
        YamlDotNet.RepresentationModel.YamlScalarNode s => $"the text {Q(s.Value ?? "")}",
        _ => "an unsupported node",
    };

    // Quoted user text is shortened and has line breaks escaped so one diagnostic stays one line.
    internal static string Q(string text)
    {
        string shown = text.Length > 80 ? text[..77] + "..." : text;
        return "'" + shown.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "'";
    }

    private static string DidYouMean(string? suggestion) => suggestion is null ? "" : $" (did you mean '{suggestion}'?)";

    private static string KnownList(IReadOnlyCollection<string> known) =>
        known.Count <= 10 ? string.Join(", ", known) : string.Join(", ", known.Take(10)) + $", ... ({known.Count} in all)";
}
