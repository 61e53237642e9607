using System.Diagnostics;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models;

public class ScenarioLoaderBrokenTests
{
    // Lines 1-4; cases append from line 5.
    private const string Base = "name: x\nregions: [{ name: gulf }]\nsites: [{ name: hq, region: gulf }, { name: dr, region: gulf }]\ncomponents: [{ name: host, site: hq, kind: host }, { name: san, site: hq, kind: storage }]\n";

    private const string Service = "services:\n  - name: erp\n    site: hq\n";

    private const string Data = "data:\n  - name: db\n    service: erp\n    storage: san\n    size_gb: 10\n    change_rate_gb_per_hour: 1\n";

    private const string Threat = "threats:\n  - name: t\n    kind: fire\n    scope: { site: hq }\n";

    /// <summary>Case name, YAML, expected path (a trailing * matches a prefix), text the message must contain, expected line (0: any).</summary>
    public static TheoryData<string, string, string, string, int> Cases => new()
    {
        { "unknown key suggests the near key", Base + Threat + "    rate_per_yer: 1\n    effect: outage\n    duration: 1h\n", "threats[0].rate_per_yer", "'rate_per_yer' (did you mean 'rate_per_year'?)", 9 },
        { "unknown reference suggests the near name", "name: x\nregions: [{ name: gulf }]\nsites:\n  - name: hq\n    region: gulff\n", "sites[0].region", "unknown region 'gulff' (did you mean 'gulf'?)", 5 },
        { "unknown reference without near name lists known", Base + Service + "    requires: [dbserver]\n    recovery: { detection: 5m }\n", "services[0].requires[0]", "unknown component 'dbserver'; known components: host, san", 8 },
        { "missing required key", "name: x\ncomponents:\n  - name: c\n    site: hq\n", "components[0]", "missing required key 'kind'", 3 },
        { "missing scenario name", "description: no name\n", "", "missing required key 'name'", 1 },
        { "syntax error", "name: x\nsites: [a, b\nthreats: []\n", "*", "invalid YAML", 2 },
        { "unclosed quote", "name: \"x\nregions: []\n", "*", "invalid YAML", 0 },
        { "bad indentation", "name: x\nregions:\n  - name: a\n   region: b\n", "*", "invalid YAML", 4 },
        { "tab indentation", "name: x\nsites:\n\t- name: a\n", "*", "invalid YAML", 3 },
        { "duplicate component name", "name: x\nregions: [{ name: gulf }]\nsites: [{ name: hq, region: gulf }]\ncomponents:\n  - { name: host, site: hq, kind: host }\n  - { name: host, site: hq, kind: san }\n", "components[1].name", "duplicate component name 'host' (first defined at line 5)", 6 },
        { "duplicate key", "name: a\nname: b\n", "name", "the key 'name' appears twice", 2 },
        { "second duplicate key also reported", "name: a\nname: b\nsimulation: { seed: 1, seed: 2 }\n", "simulation.seed", "the key 'seed' appears twice in this mapping (first at line 3)", 3 },
        { "list used as a key", "name: x\n? [a, b]\n: c\n", "", "a key must be plain text", 2 },
        { "null document", "~\n", "", "found nothing (null)", 1 },
        { "self-referencing alias", "name: x\nx-a: &a [*a]\ncomponents: [{ name: c, site: s, kind: k, requires: *a }]\n", "components[0].requires*", "requirements nest deeper than 64 levels", 2 },
        { "too many regions", "name: x\nregions: [" + string.Join(", ", Enumerable.Repeat("{}", 10_001)) + "]\n", "regions", "10,001 regions given; at most 10,000 are allowed", 2 },
        { "unknown top-level key", "name: x\nthreat: []\n", "threat", "unknown key 'threat' (did you mean 'threats'?)", 2 },
        { "merge keys are not supported", "name: x\nregions:\n  - <<: { name: a }\n", "regions[0].<<", "unknown key '<<'", 3 },
        { "dependency cycle", "name: x\nregions: [{ name: r }]\nsites: [{ name: s, region: r }]\ncomponents:\n  - { name: a, site: s, kind: k, requires: [b] }\n  - { name: b, site: s, kind: k, requires: [{ any_of: [a, c] }] }\n  - { name: c, site: s, kind: k }\n", "components[0].requires", "a -> b -> a", 5 },
        { "async replication without lag", Base + Service + "    recovery: { detection: 5m }\n" + Data + "    replication:\n      - mode: async\n        to: { site: dr }\n", "data[0].replication[0]", "async replication needs 'lag'", 16 },
        { "sync replication with lag", Base + Service + "    recovery: { detection: 5m }\n" + Data + "    replication:\n      - mode: sync\n        to: { site: dr }\n        lag: 5m\n", "data[0].replication[0].lag", "found lag '5m'", 18 },
        { "failover without standby", Base + Service + "    recovery:\n      detection: 5m\n      failover: { mode: automatic, duration: 10m }\n", "services[0].recovery.failover", "no standby", 10 },
        { "after on automatic failover", Base + Service + "    standby: { site: dr }\n    recovery:\n      detection: 5m\n      failover: { mode: automatic, after: 30m, duration: 10m }\n", "services[0].recovery.failover.after", "'30m'", 11 },
        { "failover mode typo", Base + Service + "    standby: { site: dr }\n    recovery:\n      detection: 5m\n      failover: { mode: manaul, duration: 10m }\n", "services[0].recovery.failover.mode", "'manaul' is not allowed here (did you mean 'manual'?)", 11 },
        { "standby at the primary site", Base + Service + "    standby: { site: hq }\n    recovery: { detection: 5m }\n", "services[0].standby.site", "'hq' is the service's primary site", 8 },
        { "offset not below interval", Base + Service + "    recovery: { detection: 5m }\n" + Data + "    backups:\n      - name: b\n        interval: 1h\n        offset: 60m\n        destination: offsite\n        restore: { throughput_gb_per_hour: 10 }\n", "data[0].backups[0].offset", "offset '60m' must be less than the interval '1h'", 18 },
        { "duplicate backup name", Base + Service + "    recovery: { detection: 5m }\n" + Data + "    backups:\n      - { name: b, interval: 1h, destination: offsite, restore: { throughput_gb_per_hour: 10 } }\n      - { name: b, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 10 } }\n", "data[0].backups[1].name", "duplicate backup name 'b' (first defined at line 16)", 17 },
        { "destination neither offsite nor mapping", Base + Service + "    recovery: { detection: 5m }\n" + Data + "    backups:\n      - { name: b, interval: 1h, destination: cloud, restore: { throughput_gb_per_hour: 10 } }\n", "data[0].backups[0].destination", "'cloud' is not a destination", 16 },
        { "negative rate", Base + Threat + "    rate_per_year: -0.5\n    effect: outage\n    duration: 1h\n", "threats[0].rate_per_year", "'-0.5' is out of range; expected a finite number >= 0", 9 },
        { "NaN rate", Base + Threat + "    rate_per_year: .nan\n    effect: outage\n    duration: 1h\n", "threats[0].rate_per_year", "'.nan' is out of range", 9 },
        { "infinite size", Base + Service + "    recovery: { detection: 5m }\n" + Data.Replace("size_gb: 10", "size_gb: .inf", StringComparison.Ordinal), "data[0].size_gb", "'.inf' is out of range; expected a finite number > 0", 13 },
        { "change rate too small for the size", Base + Service + "    recovery: { detection: 5m }\n" + Data.Replace("change_rate_gb_per_hour: 1", "change_rate_gb_per_hour: 1e-308", StringComparison.Ordinal), "data[0].change_rate_gb_per_hour", "'1e-308' is out of range; expected 0 (no changes) or between 1e-9 GB an hour", 14 },
        { "change rate too large to count losses", Base + Service + "    recovery: { detection: 5m }\n" + Data.Replace("change_rate_gb_per_hour: 1", "change_rate_gb_per_hour: 1e14", StringComparison.Ordinal), "data[0].change_rate_gb_per_hour", "'1e14' is out of range; expected 0 (no changes) or between 1e-9 GB an hour (about one byte an hour) and 1e12 GB an hour", 14 },
        { "endpoint change rate too small", "name: x\nendpoints:\n  - { name: laptops, devices: 10, loss_rate_per_year: 0.1, data_gb: 40, change_rate_gb_per_hour: 1e-12 }\n", "endpoints[0].change_rate_gb_per_hour", "'1e-12' is out of range", 3 },
        { "number with a unit", Base + Service + "    recovery: { detection: 5m }\n" + Data.Replace("change_rate_gb_per_hour: 1", "change_rate_gb_per_hour: 2GB", StringComparison.Ordinal), "data[0].change_rate_gb_per_hour", "'2GB' is not a valid number", 14 },
        { "outage threat with rebuild", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: 1h\n    rebuild: 30d\n", "threats[0].rebuild", "'rebuild' does not apply to effect outage", 12 },
        { "destroyed threat without rebuild", Base + Threat + "    rate_per_year: 1\n    effect: destroyed\n", "threats[0]", "a threat with effect destroyed needs 'rebuild'", 6 },
        { "scope with two targets", Base + "threats:\n  - name: t\n    kind: fire\n    scope: { site: hq, region: gulf }\n    rate_per_year: 1\n    effect: outage\n    duration: 1h\n", "threats[0].scope", "found {site, region}", 8 },
        { "wrong distribution parameter", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: exponential, lambda: 2 }\n", "threats[0].duration.lambda", "'lambda' is not accepted in a distribution: give the mean", 11 },
        { "misspelt distribution parameter", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: triangular, min: 1h, mdoe: 2h, max: 3h }\n", "threats[0].duration.mdoe", "'mdoe' is not a parameter of a triangular distribution (did you mean 'mode'?); expected: min, mode, max", 11 },
        { "missing distribution parameter", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: weibull, shape: 2 }\n", "threats[0].duration", "a weibull distribution needs 'scale'; expected: shape, scale", 11 },
        { "unknown distribution", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: normal, mean: 1h }\n", "threats[0].duration.dist", "unknown distribution 'normal'", 11 },
        { "median above p90", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: lognormal, median: 8h, p90: 2h }\n", "threats[0].duration", "median '8h' must be at most p90 '2h'", 11 },
        { "lognormal with mixed pair", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: lognormal, median: 2h, high: 8h }\n", "threats[0].duration", "found {median, high}", 11 },
        { "uniform min above max", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: { dist: uniform, min: 2d, max: 1d }\n", "threats[0].duration", "min '2d' must be at most max '1d'", 11 },
        { "distribution given as a list", Base + Threat + "    rate_per_year: 1\n    effect: outage\n    duration: [1h, 2h]\n", "threats[0].duration", "found a list", 11 },
        { "bare number as duration", Base + Service + "    recovery: { detection: 5 }\n", "services[0].recovery.detection", "'5' is not a valid duration: it has no unit", 8 },
        { "negative duration", Base + Service + "    recovery: { detection: -5m }\n", "services[0].recovery.detection", "'-5m' is not a valid duration; expected a non-negative number with a unit s, m, h, d, w or y (e.g. 15m, 4h)", 8 },
        { "k greater than n", Base + Service + "    requires: [{ k_of_n: { k: 3, of: [host, san] } }]\n    recovery: { detection: 5m }\n", "services[0].requires[0].k_of_n.k", "k '3' must be between 1 and the number of items (2)", 8 },
        { "k of zero", Base + Service + "    requires: [{ k_of_n: { k: 0, of: [host, san] } }]\n    recovery: { detection: 5m }\n", "services[0].requires[0].k_of_n.k", "k '0'", 8 },
        { "empty any_of", Base + Service + "    requires: [{ any_of: [] }]\n    recovery: { detection: 5m }\n", "services[0].requires[0].any_of", "any_of lists nothing", 8 },
        { "zero horizon", "name: x\nsimulation: { horizon: 0h }\n", "simulation.horizon", "'0h' must be greater than zero", 2 },
        { "zero trials", "name: x\nsimulation:\n  trials: 0\n", "simulation.trials", "'0' is out of range; expected a whole number >= 1", 3 },
        { "negative seed", "name: x\nsimulation:\n  seed: -1\n", "simulation.seed", "'-1' is not a valid whole number", 3 },
        { "impossible date", "name: x\nsimulation:\n  start: 2026-13-01\n", "simulation.start", "'2026-13-01' is not a valid start", 3 },
        { "list where a mapping is expected", "name: x\nsimulation: [1, 2]\n", "simulation", "expected a mapping (the simulation settings), found a list", 2 },
        { "mapping where a list is expected", "name: x\nregions: { name: gulf }\n", "regions", "expected a list (regions), found a mapping", 2 },
        { "empty document", "", "", "holds no scenario", 0 },
        { "comment-only document", "# nothing here\n", "", "holds no scenario", 0 },
        { "scalar document", "hello", "", "found the text 'hello'", 1 },
        { "two documents", "name: a\n---\nname: b\n", "", "second YAML document", 2 },
        { "undefined alias", "name: *nothing\n", "*", "invalid YAML", 1 },
        { "nesting too deep", "name: x\nd: " + new string('[', 70) + new string(']', 70) + "\n", "d*", "nests deeper than 64 levels", 2 },
        { "alias bomb", AliasBomb, "components[0].requires*", "more than 1,000,000 nodes", 0 },
    };

    private const string AliasBomb = """
        name: lol
        regions: [{ name: r }]
        sites: [{ name: s, region: r }]
        x-a: &a [c, c, c, c, c, c, c, c, c, c]
        x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        x-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
        x-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
        x-h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
        x-i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
        components:
          - name: c
            site: s
            kind: host
            requires: *i
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BrokenScenario_ReportsLocatedDiagnostic(string caseName, string yaml, string path, string contains, int line)
    {
        var clock = Stopwatch.StartNew();
        LoadResult result = ScenarioLoader.Parse(yaml, "broken.yaml");
        clock.Stop();

        Assert.False(result.Success, caseName);
        Assert.Null(result.Scenario);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{caseName}: took {clock.Elapsed}");
        string all = string.Join("\n", result.Diagnostics);
        Diagnostic? d = result.Diagnostics.FirstOrDefault(x =>
            x.Message.Contains(contains, StringComparison.Ordinal)
            && (path.EndsWith('*') ? x.Path.StartsWith(path[..^1], StringComparison.Ordinal) : x.Path == path));
        Assert.True(d is not null, $"{caseName}: no diagnostic at '{path}' containing \"{contains}\"; got:\n{all}");
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal("broken.yaml", d.File);
        if (line > 0)
        {
            Assert.True(line == d.Line, $"{caseName}: expected line {line}, got {d}");
            Assert.True(d.Column >= 1, $"{caseName}: expected a column, got {d}");
        }
    }
}
