using System.Globalization;
using System.Text;

namespace DisasterSim.Tests.Engine.Simulation.Generated;

/// <summary>
/// Writes small random estates in the scenario language, dense with overlapping trouble: two or three sites in two
/// regions, power, storage, hosts and DNS with their own failures, services with standbys under every failover policy,
/// failback policies, active-active services, data sets with backups to every kind of destination (some failing, some
/// reachable by ransomware), sync mirrors and
/// async replicas, and threats of every effect and scope (planned windows, floods, hangs that end after detection,
/// ransomware), at rates that make disasters meet; now and then shared restore throughputs and replicas behind links
/// (slower or faster than the change rate, over a WAN component that fails), crews of a few people (with skills,
/// absences and service priorities) who must do the manual work, common causes (a group of components hit together,
/// raised rates after a threat, a generator failing while running) and a change rate that follows the working day, each
/// drawn from a stream of its own so that the rest of each estate is as it was without them. The same index always gives
/// the same text.
/// </summary>
internal sealed class EstateGenerator(int seed)
{
    private static readonly string[] Durations = ["0s", "5m", "30m", "1h", "2h", "6h", "1d", "3d"];
    private static readonly string[] Modes = ["automatic", "manual", "estimate", "never"];

    private readonly StringBuilder _yaml = new();
    private readonly List<string> _components = [];
    private readonly List<string> _storages = [];
    private readonly List<string> _threatsForWindows = [];
    private Random _rng = new(seed);

    /// <summary>Draws for common causes and change profiles, apart for the same reason.</summary>
    private Random _causes = new(seed);

    /// <summary>Draws for the bandwidth features, apart so that adding them left every other draw of an estate as it was.</summary>
    private Random _bandwidth = new(seed);

    /// <summary>Draws for crews apart from the rest, so that the estates without crews stay what they were.</summary>
    private Random _people = new(seed);

    /// <summary>Draws for what services share and need of each other, apart so that the other draws stay as they were.</summary>
    private Random _services = new(seed);

    /// <summary>The scenario of index <paramref name="index"/>.</summary>
    public string Generate(int index)
    {
        _rng = new Random(unchecked((seed * 1_000_003) + index));
        _causes = new Random(unchecked((seed * 1_000_033) + index + 7));
        _bandwidth = new Random(unchecked((seed * 7_000_003) + index));
        _people = new Random(unchecked((seed * 7_919) + index));
        _services = new Random(unchecked((seed * 1_000_033) + index));
        _yaml.Clear();
        _components.Clear();
        _storages.Clear();
        _threatsForWindows.Clear();
        bool thirdSite = Chance(0.3);
        Line($"name: generated-{index}");
        Line($"simulation: {{ horizon: {Pick("2000h", "4000h", "1y")}, start: 2026-0{1 + _rng.Next(9)}-0{1 + _rng.Next(9)}, trials: 4, seed: {index} }}");
        Line("regions: [{ name: r1 }, { name: r2 }]");
        string hq = SharedThroughput();
        string dr = SharedThroughput() + (_services.NextDouble() < 0.3 ? ", capacity: 1" : "");
        Line(thirdSite
            ? $"sites: [{{ name: hq, region: r1{hq} }}, {{ name: dr, region: r2{dr} }}, {{ name: edge, region: r1 }}]"
            : $"sites: [{{ name: hq, region: r1{hq} }}, {{ name: dr, region: r2{dr} }}]");
        if (_bandwidth.NextDouble() < 0.3)
        {
            Line($"offsite: {{ restore_throughput_gb_per_hour: {PickBandwidth("20", "100", "1000")} }}");
        }

        Components(thirdSite);
        if (Chance(0.3))
        {
            Calendar();
        }

        var threatLines = Threats(thirdSite);
        var serviceLines = Services(out var services);
        Data(services);
        Line("threats:");
        foreach (string line in threatLines)
        {
            Line(line);
        }

        _yaml.Insert(0, string.Join('\n', serviceLines) + "\n");
        if (Chance(0.3))
        {
            Monitors(services);
        }

        if (_people.NextDouble() < 0.3)
        {
            Crews();
        }

        return _yaml.ToString();
    }

    private void Components(bool thirdSite)
    {
        Line("components:");
        foreach (string site in thirdSite ? new[] { "hq", "dr", "edge" } : ["hq", "dr"])
        {
            string shared = site != "hq" && _bandwidth.NextDouble() < 0.2 ? $"restore_throughput_gb_per_hour: {PickBandwidth("10", "100")}" : "";
            string power = Chance(0.3)
                ? $"backup_power: {{ ups_runtime: {Pick("10m", "1h")}, generator: {{ start_failure_probability: {Pick("0", "0.2", "0.5")}, fuel_runtime: {Pick("4h", "1d")}, refuel: {Pick("always", "never", "not_during_regional_events")}{(_causes.NextDouble() < 0.4 ? ", running_time_to_failure: { dist: exponential, mean: 8h }" : "")} }} }}"
                : "";
            Component($"{site}-power", site, "power", failure: Chance(0.3), extra: power);
            Component($"{site}-san", site, "storage", failure: Chance(0.5), requires: $"[{site}-power]", extra: shared);
            _storages.Add($"{site}-san");
            if (Chance(0.4))
            {
                Component($"{site}-mirror", site, "storage", failure: Chance(0.5), requires: $"[{site}-power]");
                _storages.Add($"{site}-mirror");
            }

            string hostNeeds = Chance(0.2) ? $"[{{ any_of: [{site}-power, {site}-san] }}]" : $"[{site}-power]";
            Component($"{site}-host", site, "host", failure: Chance(0.6), requires: hostNeeds);
            if (Chance(0.3))
            {
                Component($"{site}-host2", site, "host", failure: Chance(0.6), requires: $"[{site}-power]");
            }

            if (site == "hq" && Chance(0.4))
            {
                Component("hq-dns", "hq", "dns", failure: Chance(0.5), requires: "[hq-power]");
            }
        }

        // The WAN link replicas may be shipped over: a component of its own that fails (threats do not pick it).
        Line($"  - {{ name: wan, site: hq, kind: network, requires: [hq-power], failure: {{ time_to_failure: {PickBandwidth("100h", "500h", "2000h")}, time_to_repair: {PickBandwidth("30m", "4h", "2d")} }} }}");
    }

    /// <summary>Now and then, a restore throughput that the restores from a place share.</summary>
    private string SharedThroughput() =>
        _bandwidth.NextDouble() < 0.2 ? $", restore_throughput_gb_per_hour: {PickBandwidth("20", "100", "1000")}" : "";

    private string PickBandwidth(params string[] values) => values[_bandwidth.Next(values.Length)];

    private void Component(string name, string site, string kind, bool failure, string? requires = null, string extra = "")
    {
        _components.Add(name);
        var text = new StringBuilder($"  - {{ name: {name}, site: {site}, kind: {kind}");
        if (requires is not null)
        {
            text.Append($", requires: {requires}");
        }

        if (failure)
        {
            string effect = Chance(0.3) ? ", effect: destroyed" : "";
            text.Append($", failure: {{ time_to_failure: {Distribution(200, 3000)}, time_to_repair: {Distribution(0.5, 200)}{effect}");
            if (Chance(0.1))
            {
                text.Append(", silent_probability: 0.5");
            }

            text.Append(" }");
        }

        if (extra.Length > 0)
        {
            text.Append(", ").Append(extra);
        }

        Line(text.Append(" }").ToString());
    }

    private List<string> Services(out List<(string Name, string Site, bool Standby)> services)
    {
        var lines = new List<string> { "services:" };
        services = [];
        int count = 1 + _rng.Next(3);
        for (int i = 0; i < count; i++)
        {
            string name = $"svc{i}";
            var text = new StringBuilder($"  - {{ name: {name}, site: hq");
            if (i > 0 && _services.NextDouble() < 0.4)
            {
                // Only on services listed before it: the requirements stay acyclic.
                text.Append($", requires_services: [svc{_services.Next(i)}]");
            }

            // A priority orders the places of a full standby site too; written below, with the crews' own.
            int? placePriority = _services.NextDouble() < 0.3 ? _services.Next(3) : null;

            string needs = Chance(0.5) && _components.Contains("hq-host2") ? "[{ k_of_n: { k: 1, of: [hq-host, hq-host2] } }]" : "[hq-host]";
            if (_components.Contains("hq-dns") && Chance(0.5))
            {
                needs = needs.TrimEnd(']') + ", hq-dns]";
            }

            bool activeActive = Chance(0.1);
            bool standby = !activeActive && Chance(0.7);
            if (activeActive)
            {
                text.Append($", active_active: [{{ site: hq, capacity: {Pick("0.5", "1")}, requires: [hq-host] }}, {{ site: dr, capacity: {Pick("0.5", "1")}, requires: [dr-host] }}]");
            }
            else
            {
                text.Append($", requires: {needs}");
            }

            if (Chance(0.5))
            {
                text.Append($", rto: {Pick("1h", "4h", "1d")}");
            }

            text.Append($", recovery: {{ detection: {Distribution(0, 2)}");
            string mode = Pick(Modes);
            if (standby)
            {
                text.Append($", failover: {{ mode: {mode}, duration: {Distribution(0.1, 2)}");
                if (mode == "manual")
                {
                    text.Append($", after: {Pick("0s", "30m", "2h")}");
                }

                if (mode == "estimate" && Chance(0.7))
                {
                    text.Append($", estimate: {{ noise: {{ dist: lognormal, median: 1, p90: {Pick("1.5", "3")} }}, margin: {Pick("0s", "1h")}, reassess: {Pick("30m", "2h")} }}");
                }

                if (Chance(0.2))
                {
                    text.Append(", success_probability: 0.7");
                }

                text.Append(" }");
            }

            text.Append(" }");
            if (_people.NextDouble() < 0.5)
            {
                text.Append($", priority: {_people.Next(3)}");
            }
            else if (placePriority is int priority)
            {
                text.Append($", priority: {priority}");
            }

            if (standby)
            {
                text.Append(_services.NextDouble() < 0.3
                    ? $", standby: {{ site: dr, requires: [dr-host], capacity: {(_services.Next(2) == 0 ? "0.5" : "0.25")} }}"
                    : ", standby: { site: dr, requires: [dr-host] }");
                if (Chance(0.3))
                {
                    text.Append(", move_for_maintenance: true");
                }

                if (Chance(0.4))
                {
                    bool window = _threatsForWindows.Count > 0 && Chance(0.6);
                    text.Append(window
                        ? $", failback: {{ when: next_window, window: {Pick([.. _threatsForWindows])}, duration: {Pick("0s", "30m", "2h")} }}"
                        : $", failback: {{ when: immediate, duration: {Pick("0s", "30m", "2h")} }}");
                }
            }

            lines.Add(text.Append(" }").ToString());
            services.Add((name, "hq", standby));
        }

        return lines;
    }

    private void Data(List<(string Name, string Site, bool Standby)> services)
    {
        var lines = new List<string>();
        int index = 0;
        foreach (var (service, _, standby) in services)
        {
            int count = _rng.Next(3);
            for (int i = 0; i < count; i++)
            {
                string storage = Chance(0.8) ? "hq-san" : Pick([.. _storages.Where(s => s.StartsWith("hq", StringComparison.Ordinal)), "hq-host"]);
                var text = new StringBuilder($"  - {{ name: d{index++}, service: {service}, storage: {storage}, size_gb: {Pick("10", "100", "1000")}, change_rate_gb_per_hour: {Pick("0", "0.5", "2")}");
                if (_causes.NextDouble() < 0.25)
                {
                    text.Append(", change_profile: { business_hours: 1, nights: 0.1, weekends: 0.02 }");
                }

                if (Chance(0.3))
                {
                    text.Append($", rpo: {Pick("15m", "1h", "1d")}");
                }

                int backups = _rng.Next(4);
                if (backups > 0)
                {
                    text.Append(", backups: [");
                    for (int b = 0; b < backups; b++)
                    {
                        string interval = Pick("1h", "6h", "1d", "1w");
                        string destination = Pick("offsite", "offsite", "{ site: dr }", "{ site: hq }", $"{{ component: {Pick([.. _storages])} }}");
                        text.Append(b > 0 ? ", " : "").Append(string.Create(CultureInfo.InvariantCulture,
                            $"{{ name: b{b}, interval: {interval}, duration: {Pick("0s", "10m", "2h")}, destination: {destination}, restore: {{ throughput_gb_per_hour: {Pick("10", "100", "1000")}, setup: {Pick("0s", "1h", "4h")} }}"));
                        if (Chance(0.4))
                        {
                            text.Append($", retention: {Pick("12h", "2d", "30d", "{ daily: 3 }", "{ all: 12h, daily: 2, weekly: 2, monthly: 1 }")}");
                        }

                        if (Chance(0.3))
                        {
                            BackupFaults(text);
                        }

                        text.Append(Vaults(standby)).Append(" }");
                    }

                    text.Append(']');
                }

                int replicas = _rng.Next(3);
                if (replicas > 0)
                {
                    text.Append(", replication: [");
                    for (int r = 0; r < replicas; r++)
                    {
                        bool sync = Chance(0.4);
                        string to = sync && Chance(0.6) && _storages.Contains("hq-mirror") ? "{ component: hq-mirror }" : Pick("{ site: dr }", "{ component: dr-san }");
                        text.Append(r > 0 ? ", " : "").Append(sync ? $"{{ mode: sync, to: {to} }}" : $"{{ mode: async, to: {to}, lag: {Distribution(0, 1)}{Link()} }}");
                    }

                    text.Append(']');
                }

                lines.Add(text.Append(" }").ToString());
            }
        }

        if (lines.Count > 0)
        {
            Line("data:");
            foreach (string line in lines)
            {
                Line(line);
            }
        }
    }

    /// <summary>Now and then a courier to an offsite vault, or jobs that go on (or only run) at the standby.</summary>
    private string Vaults(bool standby)
    {
        var text = new StringBuilder();
        if (Chance(0.2))
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $", vault: {{ pickup: {Pick("{ every: day, at: \"18:00\" }", "{ every: week, weekday: fri, at: \"17:00\" }")}, transit: {Pick("0s", "4h", "2d")}, retrieval: {Distribution(1, 48)}"));
            if (Chance(0.5))
            {
                text.Append($", retention: {Pick("3d", "30d", "{ weekly: 2, monthly: 1 }")}");
            }

            text.Append(" }");
        }

        if (standby && Chance(0.2))
        {
            text.Append($", runs_at: {Pick("standby", "both")}");
        }

        return text.ToString();
    }

    /// <summary>Now and then, the link an async replica is shipped over: slower or faster than the change rates drawn, over the WAN or not.</summary>
    private string Link()
    {
        if (_bandwidth.NextDouble() >= 0.4)
        {
            return "";
        }

        string via = _bandwidth.NextDouble() < 0.6 ? ", via: wan" : "";
        return $", link: {{ bandwidth_gb_per_hour: {PickBandwidth("0.3", "1", "2.5", "10", "200")}{via} }}";
    }

    private List<string> Threats(bool thirdSite)
    {
        var lines = new List<string>();
        int count = 2 + _rng.Next(6);
        for (int i = 0; i < count; i++)
        {
            string name = $"t{i}";
            string scope = _rng.Next(4) switch
            {
                0 => $"{{ component: {Pick([.. _components])} }}",
                1 => $"{{ site: {Pick(thirdSite ? ["hq", "dr", "edge"] : ["hq", "dr"])} }}",
                2 => $"{{ region: {Pick("r1", "r2")} }}",
                _ => $"{{ component: {Pick([.. _storages])} }}",
            };
            string rate = Pick("0.5", "2", "6", "12");
            int kind = _rng.Next(10);
            string text = kind switch
            {
                < 4 => $"{{ name: {name}, kind: outage, rate_per_year: {rate}, scope: {scope}, effect: outage, duration: {Distribution(0.1, 100)}{Extras(scope)} }}",
                < 7 => $"{{ name: {name}, kind: fire, rate_per_year: {rate}, scope: {scope}, effect: destroyed, rebuild: {Distribution(0, 300)} }}",
                < 8 => $"{{ name: {name}, kind: ransomware, rate_per_year: {Pick("0.5", "2")}, scope: {Pick("{ site: hq }", "{ component: hq-san }", "{ region: r1 }")}, effect: corruption, dwell: {Distribution(1, 500)}, cleanup: {Distribution(1, 100)} }}",
                _ => Window(name, scope),
            };
            lines.Add("  - " + Causes(text, kind));
        }

        return lines;
    }

    /// <summary>Now and then makes a threat a common cause of two components, or gives it an aftermath.</summary>
    private string Causes(string threat, int kind)
    {
        double roll = _causes.NextDouble();
        if (roll < 0.12 && kind < 7 && !threat.Contains("flood", StringComparison.Ordinal) && !threat.Contains("site_hit", StringComparison.Ordinal))
        {
            string a = _components[_causes.Next(_components.Count)], b = _components[_causes.Next(_components.Count)];
            int at = threat.IndexOf("scope: ", StringComparison.Ordinal);
            int end = threat.IndexOf('}', at);
            threat = string.Concat(threat.AsSpan(0, at), $"scope: {{ components: [{string.Join(", ", a == b ? [a] : new[] { a, b })}] }}", threat.AsSpan(end + 1));
            threat = threat.Replace(", affects: power", "", StringComparison.Ordinal);
        }

        roll = _causes.NextDouble();
        string? aftermath = roll < 0.1 && kind != 7 ? $"aftermath: {{ failures: {{ factor: {(_causes.Next(2) == 0 ? "5" : "50")}, for: {(_causes.Next(2) == 0 ? "1d" : "30d")} }} }}"
            : roll < 0.18 && kind < 8 ? "aftermath: { arrivals: { factor: 20, for: 1w } }"
            : null;
        return aftermath is null ? threat : string.Concat(threat.AsSpan(0, threat.Length - 2), ", ", aftermath, " }");
    }

    private string Window(string name, string scope)
    {
        _threatsForWindows.Add(name);
        string schedule = _rng.Next(4) switch
        {
            0 => $"{{ every: week, weekday: {Pick("sat", "sun")}, at: \"02:00\" }}",
            1 => $"{{ every: month, week: {1 + _rng.Next(5)}, weekday: tue, at: \"22:00\" }}",
            2 => $"{{ every: year, month: {Pick("mar", "jun", "9")}, day: {1 + _rng.Next(28)}, at: \"01:00\" }}",
            _ => "{ dates: [2026-03-14 02:00, 2026-06-01, 2026-09-12 02:00, 2027-01-05] }",
        };
        string months = Chance(0.3) ? ", active_months: [1, 3, 6, 9, 12]" : "";
        return $"{{ name: {name}, kind: maintenance, schedule: {schedule}, scope: {scope}, effect: outage, duration: {Pick("1h", "4h", "12h")}{months} }}";
    }

    private string Extras(string scope)
    {
        var extras = new StringBuilder();
        if (Chance(0.15))
        {
            extras.Append(", ends_after_detection: true");
        }

        if (Chance(0.15))
        {
            extras.Append(", silent: true");
        }

        if (!scope.Contains("component", StringComparison.Ordinal) && Chance(0.25))
        {
            extras.Append(", affects: power");
        }

        if (scope.Contains("region", StringComparison.Ordinal) && Chance(0.3))
        {
            extras.Append(", site_hit_probability: 0.5");
        }

        if (!scope.Contains("component", StringComparison.Ordinal) && Chance(0.15))
        {
            extras.Append($", flood: {{ probability: 0.3, rebuild: {Distribution(1, 300)} }}");
        }

        if (Chance(0.1))
        {
            extras.Append(", active_months: [1, 2, 7, 8]");
        }

        return extras.ToString();
    }

    private void Monitors(List<(string Name, string Site, bool Standby)> services)
    {
        Line("monitors:");
        string needs = services.Count > 1 && _services.NextDouble() < 0.3 ? $", requires_services: [{services[^1].Name}]" : "";
        Line($"  - {{ name: m0, site: {Pick("hq", "dr")}, requires: [{Pick("hq-power", "dr-power")}]{needs}, delay: {Distribution(0, 0.5)}, checks: [{{ component: hq-host, type: {Pick("liveness", "functional")} }}, {{ service: {services[0].Name} }}] }}");
    }

    private void Calendar() => Line(
        "calendar: { business_days: [mon, tue, wed, thu, fri], business_hours: 08:00-18:00, response: "
        + $"{{ business_hours: {Distribution(0, 0.5)}, nights: {Distribution(0.5, 3)}, weekends: {Distribution(1, 8)} }}"
        + (_people.NextDouble() < 0.5 ? ", business_hours_take_over: true }" : " }"));

    /// <summary>One or two crews of one to three people, with some of the skills, now and then away.</summary>
    private void Crews()
    {
        Line("crews:");
        int count = 1 + _people.Next(2);
        for (int i = 0; i < count; i++)
        {
            string[] skills = ["failover", "restore", "rebuild"];
            var chosen = skills.Where(_ => _people.NextDouble() < 0.7).ToList();
            string skillText = chosen.Count == 0 ? "" : $", skills: [{string.Join(", ", chosen)}]";
            string work = _people.NextDouble() < 0.4 ? ", restore_work: setup" : "";
            string absent = _people.Next(4) switch
            {
                0 => ", absent: { days_per_year: 60 }",
                1 => ", absent: { days_per_year: 120, block: 1w, dates: [2026-02-10, { from: 2026-03-01, to: 2026-03-20 }] }",
                _ => "",
            };
            Line($"  - {{ name: crew{i}, size: {1 + _people.Next(3)}{skillText}{work}{absent} }}");
        }
    }

    /// <summary>A fixed or random duration with hours between roughly <paramref name="low"/> and <paramref name="high"/>.</summary>
    private string Distribution(double low, double high)
    {
        double a = low + ((high - low) * _rng.NextDouble() * 0.5);
        double b = Math.Max(a * 1.5, a + 0.1);
        return _rng.Next(5) switch
        {
            0 => Hours(a),
            1 => $"{{ dist: exponential, mean: {Hours(Math.Max(a, 0.01))} }}",
            2 => $"{{ dist: lognormal, median: {Hours(Math.Max(a, 0.01))}, p90: {Hours(Math.Max(b, 0.02))} }}",
            3 => $"{{ dist: uniform, min: {Hours(a)}, max: {Hours(b)} }}",
            _ => $"{{ dist: triangular, min: {Hours(a)}, mode: {Hours((a + b) / 2)}, max: {Hours(b)} }}",
        };
    }

    private static string Hours(double hours) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(hours * 3600)}s");

    private bool Chance(double p) => _rng.NextDouble() < p;

    private string Pick(params string[] values) => values[_rng.Next(values.Length)];

    private void Line(string text) => _yaml.Append(text).Append('\n');

    /// <summary>Jobs and copies that fail, a varying restore, silent chain breaks with or without tests, and an exposure to ransomware.</summary>
    private void BackupFaults(StringBuilder text)
    {
        // The restore clause written above is replaced by one with a failure chance and, now and then, varying times.
        int restore = text.ToString().LastIndexOf(", restore: {", StringComparison.Ordinal);
        int end = text.ToString().IndexOf('}', restore);
        string throughput = Chance(0.5) ? Pick("10", "100") : $"{{ dist: uniform, min: {Pick("5", "50")}, max: {Pick("200", "1000")} }}";
        string setup = Chance(0.5) ? Pick("0s", "1h") : "{ dist: exponential, mean: 2h }";
        text.Remove(restore, end - restore + 1).Insert(restore, $", restore: {{ throughput_gb_per_hour: {throughput}, setup: {setup}, failure_probability: {Pick("0", "0.2", "0.6")} }}");
        text.Append($", failure_probability: {Pick("0", "0.1", "0.5")}, exposure: {Pick("online", "offline", "immutable")}");
        if (Chance(0.5))
        {
            text.Append($", chain_breaks: {{ rate_per_year: {Pick("2", "50")}, fix: {Pick("0s", "1d")} }}");
        }

        if (Chance(0.5))
        {
            text.Append($", restore_test: {{ every: {Pick("1d", "30d")} }}");
        }
    }
}
