using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// How a backup policy fails: restores whose setup and throughput vary and whose copies can fail to restore, jobs that fail,
/// chains that break silently until a restore test or a failed restore finds them, and copies ransomware can reach. With
/// the planner's checks of them: copies within an attack's reach, chains nobody tests.
/// </summary>
internal sealed partial class ScenarioReader
{
    internal static readonly string[] ExposureChoices = ["online", "offline", "immutable"];
    internal static readonly string[] ChainBreakKeys = ["rate_per_year", "fix"];
    internal static readonly string[] RestoreTestKeys = ["every", "offset"];

    /// <summary>More silent breaks a year than this is a rate per hour written as per year (and a chain that never works).</summary>
    internal const double MaxChainBreaksPerYear = 1000;

    /// <summary>The largest chance that a job, or a copy's restore, fails.</summary>
    internal const double MaxFaultProbability = 0.99;

    /// <summary>Reads a policy's <c>restore</c>: throughput and setup (fixed values or distributions), and the chance a copy fails to restore.</summary>
    private RestoreSpec? Restore(YamlNode node, string path)
    {
        MapReader? restore = Map(node, path, "the restore: { throughput_gb_per_hour: NUMBER or DISTRIBUTION, setup: DURATION or DISTRIBUTION, failure_probability: 0..1 }", RestoreKeys);
        if (restore is null)
        {
            return null;
        }

        const string throughputKey = "throughput_gb_per_hour";
        bool ok = true;
        double throughput = 0;
        Distribution? throughputDistribution = null;
        if (restore.Required(throughputKey) is { } throughputNode)
        {
            if (throughputNode is YamlMappingNode)
            {
                throughputDistribution = NumberDistribution(throughputNode, restore.PathOf(throughputKey));
                if (throughputDistribution is { } t && !(t.P001Bound > 0))
                {
                    Ctx.Error(throughputNode, restore.PathOf(throughputKey), LoaderMessages.ThroughputNotPositive(t.Kind.ToString().ToLowerInvariant()));
                    throughputDistribution = null;
                }

                ok &= throughputDistribution is not null;
                throughput = throughputDistribution?.Mean ?? 0;
            }
            else
            {
                Quoted? fixedThroughput = Number(throughputNode, restore.PathOf(throughputKey), positive: true);
                ok &= fixedThroughput is not null;
                throughput = fixedThroughput?.Value ?? 0;
            }
        }
        else
        {
            ok = false;
        }

        double setup = 0;
        Distribution? setupDistribution = null;
        if (restore.Optional("setup") is { } setupNode)
        {
            if (setupNode is YamlMappingNode)
            {
                setupDistribution = Distribution(setupNode, restore.PathOf("setup"));
                ok &= setupDistribution is not null;
                setup = setupDistribution?.Mean ?? 0;
            }
            else
            {
                Quoted? fixedSetup = Duration(setupNode, restore.PathOf("setup"), positive: false);
                ok &= fixedSetup is not null;
                setup = fixedSetup?.Value ?? 0;
            }
        }

        double? failure = FaultProbability(restore, "failure_probability", "a copy fails to restore");
        return ok && failure is not null ? new RestoreSpec(throughput, setup, throughputDistribution, setupDistribution, failure.Value) : null;
    }

    /// <summary>
    /// Reads the chance that a job or a copy fails: at most <see cref="MaxFaultProbability"/>, since a policy whose every copy
    /// fails protects nothing (and the next older copy would be tried for ever).
    /// </summary>
    private double? FaultProbability(MapReader map, string key, string what)
    {
        double? p = Probability(map, key, 0);
        if (p > MaxFaultProbability)
        {
            Ctx.Error(map.Optional(key)!, map.PathOf(key), LoaderMessages.FaultTooLikely(p.Value, what, MaxFaultProbability));
            return null;
        }

        return p;
    }

    /// <summary>Reads how a policy's jobs fail: <c>failure_probability</c>, <c>exposure</c>, <c>chain_breaks</c>, <c>restore_test</c>.</summary>
    private BackupFaults? Faults(MapReader map)
    {
        double? failure = FaultProbability(map, "failure_probability", "a job fails");
        bool ok = failure is not null;

        BackupExposure? exposure = null;
        if (map.Optional("exposure") is { } exposureNode)
        {
            exposure = Choice(exposureNode, map.PathOf("exposure"), ExposureChoices) switch
            {
                "online" => BackupExposure.Online,
                "offline" => BackupExposure.Offline,
                "immutable" => BackupExposure.Immutable,
                _ => null,
            };
            ok &= exposure is not null;
        }

        ChainBreaks? breaks = null;
        if (map.Optional("chain_breaks") is { } breaksNode)
        {
            MapReader? chain = Map(breaksNode, map.PathOf("chain_breaks"), "the chain's silent breaks: { rate_per_year: NUMBER, fix: DURATION }", ChainBreakKeys);
            Quoted? rate = chain is null ? null : Number(chain, "rate_per_year", required: true, positive: false);
            Quoted? fix = chain is null ? null : Duration(chain, "fix", required: false, positive: false);
            if (rate is { } r && r.Value > MaxChainBreaksPerYear)
            {
                Ctx.Error(chain!.Optional("rate_per_year")!, chain.PathOf("rate_per_year"), LoaderMessages.TooManyChainBreaks(r.Text, MaxChainBreaksPerYear));
                rate = null;
            }

            ok &= rate is not null && (chain!.Optional("fix") is null || fix is not null);
            breaks = rate is { Value: > 0 } some ? new ChainBreaks(some.Value, fix?.Value ?? 0) : null;
        }

        RestoreTest? test = null;
        if (map.Optional("restore_test") is { } testNode)
        {
            MapReader? tests = Map(testNode, map.PathOf("restore_test"), "the restore tests: { every: DURATION, offset: DURATION }", RestoreTestKeys);
            Quoted? every = tests is null ? null : Duration(tests, "every", required: true, positive: true);
            Quoted? offset = tests is null ? null : Duration(tests, "offset", required: false, positive: false);
            bool testOk = every is not null && (tests!.Optional("offset") is null || offset is not null);
            if (every is { } e && offset is { } o && o.Value >= e.Value)
            {
                Ctx.Error(tests!.Optional("offset")!, tests.PathOf("offset"), LoaderMessages.OffsetNotBelowInterval(o.Text, e.Text));
                testOk = false;
            }

            ok &= testOk;
            test = testOk ? new RestoreTest(every!.Value.Value, offset?.Value ?? 0) : null;
        }

        return ok ? new BackupFaults(failure!.Value, exposure, breaks, test) : null;
    }

    /// <summary>
    /// The planner's checks of a policy's faults: copies an attack can encrypt (stated online, or kept inside its scope with no
    /// exposure stated), a chain that breaks with nothing to test it, and tests with no breaks to find.
    /// </summary>
    private void CheckBackupFaults(DataSet d, MapReader map, Dictionary<string, string> siteOf, Func<Scope, string, bool> hitsSite, ImmutableArray<Threat> threats)
    {
        if (map.Optional("backups") is not YamlSequenceNode backupNodes)
        {
            return;
        }

        for (int i = 0; i < d.Backups.Length && i < backupNodes.Children.Count; i++)
        {
            Backup b = d.Backups[i];
            string path = ScenarioNodes.Item(map.PathOf("backups"), i);
            YamlNode node = backupNodes.Children[i];
            bool InScope(Scope scope, LocationKind kind, string name) => kind switch
            {
                LocationKind.Offsite => false,
                LocationKind.Component => (scope.Kind == ScopeKind.Component && scope.Name == name) || hitsSite(scope, siteOf[name]),
                LocationKind.Site => hitsSite(scope, name),
            };

            foreach (Threat t in threats.Where(t => t.Effect == Effect.Corruption))
            {
                bool dataHit = InScope(t.Scope, LocationKind.Component, d.Storage);
                bool copiesHit = InScope(t.Scope, b.Destination.Kind, b.Destination.Name);
                if (b.Exposure == BackupExposure.Online && (dataHit || copiesHit))
                {
                    Ctx.Warning(node, path + ".exposure", LoaderMessages.BackupReachableByRansomware(b.Name, t.Name, copiesHit ? $"{b.Destination} lies in its scope" : $"the data it protects lies in its scope"));
                    break;
                }

                if (b.Exposure is null && copiesHit)
                {
                    Ctx.Warning(node, path + ".destination", LoaderMessages.BackupExposureUnstated(b.Name, b.Destination.ToString(), t.Name));
                    break;
                }
            }

            if (b.ChainBreaks is { } breaks && b.RestoreTest is null)
            {
                Ctx.Warning(node, path + ".chain_breaks", LoaderMessages.UntestedChain(b.Name, breaks.RatePerYear));
            }
            else if (b.RestoreTest is not null && b.ChainBreaks is null)
            {
                Ctx.Warning(node, path + ".restore_test", LoaderMessages.TestWithoutBreaks(b.Name));
            }
        }
    }

    /// <summary>A policy's restore as read: its nominal throughput and setup (the means), their distributions, and the failure chance.</summary>
    private sealed record RestoreSpec(double Throughput, double Setup, Distribution? ThroughputDistribution, Distribution? SetupDistribution, double FailureProbability)
    {
        public Backup Apply(Backup b) => b with { RestoreThroughput = ThroughputDistribution, RestoreSetup = SetupDistribution, RestoreFailureProbability = FailureProbability };
    }

    /// <summary>A policy's faults as read.</summary>
    private sealed record BackupFaults(double FailureProbability, BackupExposure? Exposure, ChainBreaks? Breaks, RestoreTest? Test)
    {
        public Backup Apply(Backup b) => b with { FailureProbability = FailureProbability, Exposure = Exposure, ChainBreaks = Breaks, RestoreTest = Test };
    }
}
