using System.Text.Json;
using System.Text.Json.Nodes;

namespace DisasterSim.Models.Loading;

/// <summary>The JSON Schema of the scenario language, for editors that complete and check YAML files.</summary>
/// <remarks>
/// Built from the loader's own key lists and choices (<see cref="ScenarioReader"/>, <see cref="ValueReader"/>), so a key the
/// loader accepts cannot be missing here: every key of every list must be given a type below, or <see cref="Generate"/>
/// throws. The schema is looser than the loader in what it cannot express (references between names, ranges that
/// depend on other keys); the loader's messages remain the authority.
/// </remarks>
public static partial class ScenarioSchema
{
    /// <summary>The JSON Schema draft the schema follows.</summary>
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>Generates the schema as indented JSON text with "\n" line endings.</summary>
    /// <exception cref="InvalidOperationException">A key of the loader has no type here (a new key: give it one).</exception>
    public static string Generate()
    {
        var defs = new JsonObject
        {
            ["duration"] = Described(
                new JsonObject { ["type"] = "string", ["pattern"] = @"^\s*([0-9]+\.?[0-9]*|\.[0-9]+)\s*[smhdwy]\s*$" },
                "A number with a unit: s, m, h, d (24 h), w (168 h) or y (8,766 h), e.g. 15m, 4h, 30d."),
            ["distribution"] = Distribution(),
            ["requirement"] = Requirement(),
            ["location"] = OneKeyOf(ScenarioReader.LocationKeys, "Exactly one of site or component."),
            ["scope"] = OneKeyOf(ScenarioReader.ScopeKeys, "Exactly one of component, site, region, or components (a group that fails together: a common cause)."),
        };
        var root = Object(ScenarioReader.TopKeys, "scenario", TopLevel);
        root["$schema"] = Draft;
        root["title"] = "DisasterSim scenario";
        root["description"] = "An estate, its threats and its protection: the input of disastersim run, compare, sweep and trace.";
        root["required"] = new JsonArray("name");
        root["patternProperties"] = new JsonObject { ["^x-"] = new JsonObject { ["description"] = "Ignored: holds YAML anchors for reuse." } };
        root["$defs"] = defs;

        // $schema first, as readers expect; then the rest in a stable order.
        var ordered = new JsonObject();
        foreach (string key in new[] { "$schema", "title", "description", "type", "required", "properties", "patternProperties", "additionalProperties", "$defs" })
        {
            if (root[key] is { } value)
            {
                root.Remove(key);
                ordered[key] = value;
            }
        }

        return ordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonNode? TopLevel(string key) => key switch
    {
        "name" => Text("The scenario's name, shown in every output."),
        "description" => Text("Free text."),
        "currency" => Text("The label of the scenario's one currency (USD, EUR), used in output headers and units."),
        "simulation" => Object(ScenarioReader.SimulationKeys, "simulation", k => k switch
        {
            "horizon" => Ref("duration", "Length of one trial (default 1y)."),
            "start" => Text("Calendar time of hour 0, e.g. 2026-01-01 (default 2026-01-01T00:00)."),
            "trials" => Integer(1, "Number of trials (default 10000)."),
            "seed" => Integer(0, "Master seed (default 1)."),
            _ => null,
        }),
        "regions" => List(Object(ScenarioReader.RegionKeys, "region", k => k == "name" ? Text("Unique among regions.") : null, "name")),
        "sites" => List(Object(ScenarioReader.SiteKeys, "site", k => k switch
        {
            "name" => Text("Unique among sites."),
            "region" => Text("The name of a region."),
            ScenarioReader.SharedThroughputKey => SharedThroughput("a backup kept at the site (or on a component there that states none)"),
            "capacity" => Integer(1, "How many services may use the site as their standby at once (default: no bound)."),
            _ => null,
        }, "name", "region")),
        "components" => List(Object(ScenarioReader.ComponentKeys, "component", Component, "name", "site", "kind")),
        "services" => List(Object(ScenarioReader.ServiceKeys, "service", Service, "name", "recovery")),
        "data" => List(Object(ScenarioReader.DataKeys, "data set", DataSet, "name", "service", "storage", "size_gb", "change_rate_gb_per_hour")),
        "threats" => List(Object(ScenarioReader.ThreatKeys, "threat", Threat, "name", "kind", "scope", "effect")),
        "monitors" => List(Object(ScenarioReader.MonitorKeys, "monitor", Monitor, "name", "site", "delay", "checks")),
        "calendar" => Object(ScenarioReader.CalendarKeys, "calendar", Calendar, "response"),
        "endpoints" => List(Object(ScenarioReader.EndpointKeys, "endpoint fleet", Endpoint, "name", "devices", "loss_rate_per_year", "data_gb", "change_rate_gb_per_hour")),
        "other_costs" => List(Object(ScenarioReader.OtherCostKeys, "other cost", k => k switch
        {
            "name" => Text("What the cost is for."),
            "per_year" => Number(0, "Cost per year, in the scenario's currency."),
            _ => null,
        }, "name", "per_year")),
        "crews" => List(Object(ScenarioReader.CrewKeys, "crew", Crew, "name", "size")),
        "offsite" => Object(ScenarioReader.OffsiteKeys, "offsite location", k => k == ScenarioReader.SharedThroughputKey ? SharedThroughput("an offsite backup") : null),
        _ => null,
    };

    private static JsonNode SharedThroughput(string what) =>
        Number(0, $"GB an hour that every restore from {what} shares: n restores at once get a 1/n share each, at most their own restore throughput.");

    private static JsonNode? Component(string key) => key switch
    {
        "name" => Text("Unique among components."),
        "site" => Text("The name of a site."),
        "kind" => Text("Free text: power, storage, host, network, dns, ..."),
        "requires" => Ref("requirement", "What must be up for it to work."),
        "failure" => Object(ScenarioReader.FailureKeys, "failure process", k => k switch
        {
            "time_to_failure" => Ref("distribution", "Time from a repair to the next failure."),
            "time_to_repair" => Ref("distribution", "Time from a failure to its repair."),
            "effect" => Choice(ScenarioReader.FailureEffects, "Whether a failure also destroys the data on it (default outage)."),
            "silent_probability" => Probability("Share of failures that are gray: liveness checks miss them."),
            _ => null,
        }, "time_to_failure", "time_to_repair"),
        "backup_power" => Object(ScenarioReader.BackupPowerKeys, "backup power", k => k switch
        {
            "ups_runtime" => Ref("duration", "How long the UPS carries the load."),
            "generator" => Object(ScenarioReader.GeneratorKeys, "generator", g => g switch
            {
                "start_failure_probability" => Probability("Chance the generator fails to start."),
                "fuel_runtime" => Ref("duration", "Runtime on the fuel held on site."),
                "refuel" => Choice(ScenarioReader.RefuelChoices, "Whether fuel deliveries arrive."),
                "running_time_to_failure" => Ref("distribution", "Time from its start to a failure while running (not restarted within the outage)."),
                _ => null,
            }),
            _ => null,
        }),
        ScenarioReader.SharedThroughputKey => SharedThroughput("a backup kept on the component"),
        _ => null,
    };

    private static JsonNode? Service(string key) => key switch
    {
        "name" => Text("Unique among services."),
        "site" => Text("The primary site."),
        "requires" => Ref("requirement", "Components needed at the primary."),
        "requires_services" => List(Text("The name of a service it requires: it runs only while that service runs.")),
        "rto" => Ref("duration", "Recovery time objective."),
        "standby" => Object(ScenarioReader.StandbyKeys, "standby", k => k switch
        {
            "site" => Text("The standby site; not the primary."),
            "requires" => Ref("requirement", "Components needed at the standby."),
            "capacity" => Number(0, "The share of the full load the standby carries, in (0, 1] (default 1): below 1 the service runs degraded there."),
            "cost_per_year" => Number(0, "What the standby costs a year."),
            _ => null,
        }, "site"),
        "recovery" => Object(ScenarioReader.RecoveryKeys, "recovery", k => k switch
        {
            "detection" => Ref("distribution", "Manual discovery: the delay until someone notices without a monitor."),
            "failover" => Object(ScenarioReader.FailoverKeys, "failover", Failover, "mode", "duration"),
            _ => null,
        }, "detection"),
        "costs" => Object(ScenarioReader.ServiceCostKeys, "service costs", k => k switch
        {
            "outage_per_hour" => Number(0, "Penalty per hour of downtime."),
            "per_incident" => Number(0, "Fixed cost of each incident."),
            _ => null,
        }),
        "move_for_maintenance" => Flag("Switch to the standby before a planned window instead of stopping."),
        "failback" => Object(ScenarioReader.FailbackKeys, "failback", k => k switch
        {
            "when" => Choice(ScenarioReader.FailbackTimes, "When to go back to the primary (default immediate)."),
            "window" => Text("A scheduled threat: the maintenance window of next_window."),
            "duration" => Ref("distribution", "The planned downtime of going back."),
            _ => null,
        }, "duration"),
        "active_active" => List(Object(ScenarioReader.ActiveSiteKeys, "active site", k => k switch
        {
            "site" => Text("A live site."),
            "capacity" => Number(0, "Its share of the full load."),
            "requires" => Ref("requirement", "Components needed there."),
            _ => null,
        }, "capacity")),
        "priority" => Integer(0, "When work competes for people, and for a place at a full standby site (the recovery order): lower first; services without one come last."),
        _ => null,
    };

    private static JsonNode? Failover(string key) => key switch
    {
        "mode" => Choice(ScenarioReader.FailoverModes, "automatic: at detection; manual: after 'after'; estimate: on the operator's estimate; never."),
        "after" => Ref("duration", "Manual only: the wait after detection before starting."),
        "duration" => Ref("distribution", "How long the failover takes."),
        "success_probability" => Probability("Chance the failover works (default 1)."),
        "estimate" => Object(ScenarioReader.EstimateKeys, "estimate policy", k => k switch
        {
            "noise" => Ref("distribution", "A plain factor: estimate = true remaining outage × factor."),
            "margin" => Ref("duration", "Fail over when the estimate exceeds the failover time by this."),
            "reassess" => Ref("duration", "How often the estimate is made again."),
            _ => null,
        }),
        _ => null,
    };

    private static JsonNode? DataSet(string key) => key switch
    {
        "name" => Text("Unique among data sets."),
        "service" => Text("The service that uses it."),
        "storage" => Text("The component holding the live copy."),
        "size_gb" => Number(0, "Size, GB."),
        "change_rate_gb_per_hour" => Number(0, "New or changed data per hour, GB."),
        "rpo" => Ref("duration", "Recovery point objective."),
        "costs" => Object(ScenarioReader.DataCostKeys, "data costs", k => k switch
        {
            "loss_per_hour" => Number(0, "Penalty per hour of changes lost."),
            "loss_per_gb" => Number(0, "Penalty per GB lost."),
            _ => null,
        }),
        "change_profile" => Described(Object(ScenarioReader.ChangeProfileKeys, "change profile", k => k switch
        {
            "business_hours" => Number(0, "Factor of the change rate during business hours (default 1)."),
            "nights" => Number(0, "Factor on a working day outside business hours (default 1)."),
            "weekends" => Number(0, "Factor on weekends and holidays (default 1)."),
            _ => null,
        }), "The change rate by period of the working day (the scenario's calendar, or Monday-Friday 08:00-18:00)."),
        "backups" => List(Object(ScenarioReader.BackupKeys, "backup policy", Backup, "name", "interval", "destination", "restore")),
        "replication" => List(Object(ScenarioReader.ReplicationKeys, "replica", k => k switch
        {
            "mode" => Choice(ScenarioReader.ReplicationModes, "sync: nothing lost; async: the lag is lost."),
            "to" => Ref("location", "Where the replica is."),
            "lag" => Ref("distribution", "Async only: how far behind the replica is."),
            "cost_per_year" => Number(0, "What the replica costs a year."),
            "link" => Object(ScenarioReader.LinkKeys, "replication link", l => l switch
            {
                "bandwidth_gb_per_hour" => Number(0, "GB an hour the link carries for this replica: a backlog drains at this less the change rate; a rebuilt replica is seeded in size / bandwidth."),
                "via" => Text("The component that is the link (a WAN circuit): while it is down the replica receives nothing."),
                _ => null,
            }, "bandwidth_gb_per_hour"),
            _ => null,
        }, "mode", "to")),
        _ => null,
    };

    private static JsonNode? Backup(string key) => key switch
    {
        "name" => Text("Unique within the data set."),
        "interval" => Ref("duration", "Time between job starts."),
        "offset" => Ref("duration", "First job start after hour 0."),
        "duration" => Ref("duration", "Job duration; the copy holds the state at the job's start."),
        "destination" => Nullable(new JsonObject
        {
            ["description"] = "offsite (outside every scope), { site: NAME } or { component: NAME }.",
            ["anyOf"] = new JsonArray(new JsonObject { ["const"] = "offsite" }, new JsonObject { ["$ref"] = "#/$defs/location" }),
        }),
        "retention" => Retention("How long copies are kept: a duration (every copy), or grandfather-father-son tiers (default: all)."),
        "runs_at" => Choice(ScenarioReader.RunsAtChoices, "Where the jobs read the live data: at the primary (default), at the standby, or both."),
        "vault" => Object(ScenarioReader.VaultKeys, "vault", k => k switch
        {
            "pickup" => Schedule(),
            "transit" => Ref("duration", "From the pickup until the copy is in the vault (default 0)."),
            "retrieval" => Ref("distribution", "The lead time of bringing a copy back from the vault for a restore."),
            "retention" => Retention("How long vault copies are kept after they arrive: a duration, or tiers by pickup time (default: all)."),
            "cost_per_year" => Number(0, "What the vault and courier cost a year."),
            _ => null,
        }, "pickup", "retrieval"),
        "restore" => Object(ScenarioReader.RestoreKeys, "restore", k => k switch
        {
            "throughput_gb_per_hour" => Nullable(new JsonObject
            {
                ["description"] = "Restore speed, GB an hour: a number, or a distribution of numbers drawn per attempt.",
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 }, new JsonObject { ["$ref"] = "#/$defs/distribution" }),
            }),
            "setup" => Ref("distribution", "Time before data flows: a duration, or a distribution drawn per attempt."),
            "failure_probability" => Probability("Chance that a copy fails to restore: found at the end of the attempt, then the next older copy is tried."),
            _ => null,
        }, "throughput_gb_per_hour"),
        "cost_per_year" => Number(0, "What the policy costs a year."),
        "failure_probability" => Probability("Chance that a job fails and reports it: no copy."),
        "exposure" => Choice(ScenarioReader.ExposureChoices, "Whether ransomware can reach the copies: online (encrypted at detonation), offline (only a copy being written), immutable. Not stated: out of reach."),
        "chain_breaks" => Object(ScenarioReader.ChainBreakKeys, "chain breaks", k => k switch
        {
            "rate_per_year" => Number(0, "Silent breaks a year: from a break on, every job is unusable until it is found and fixed."),
            "fix" => Ref("duration", "From a break's discovery until jobs are good again (default 0)."),
            _ => null,
        }, "rate_per_year"),
        "restore_test" => Object(ScenarioReader.RestoreTestKeys, "restore test", k => k switch
        {
            "every" => Ref("duration", "Time between test restores, each of which finds a break that spoiled the newest job."),
            "offset" => Ref("duration", "The first test after hour 0 (default 0)."),
            _ => null,
        }, "every"),
        _ => null,
    };

    /// <summary>A duration, or tiers { all, daily, weekly, monthly, yearly }.</summary>
    private static JsonObject Retention(string description) => Nullable(new JsonObject
    {
        ["description"] = description,
        ["anyOf"] = new JsonArray(
            new JsonObject { ["$ref"] = "#/$defs/duration" },
            Object(ScenarioReader.RetentionKeys, "retention tiers", k => k == "all"
                ? Ref("duration", "Every copy is kept this long (default 0 with tiers).")
                : Integer(0, $"How many {k} copies to keep: the newest good copy of each of the newest {k switch { "daily" => "days", "weekly" => "weeks", "monthly" => "months", _ => "years" }}."))),
    });

    private static JsonNode? Threat(string key) => key switch
    {
        "name" => Text("Unique among threats."),
        "kind" => Text("Free text: fire, flood, power, hurricane, hardware, ..."),
        "rate_per_year" => Number(0, "Poisson arrivals per year (not a mean time between events)."),
        "schedule" => Schedule(),
        "scope" => Ref("scope", "What the threat hits."),
        "effect" => Choice(ScenarioReader.Effects, "outage: down for 'duration'; destroyed: lost until 'rebuild'; corruption: ransomware."),
        "duration" => Ref("distribution", "Outage only: how long the scope is down."),
        "rebuild" => Ref("distribution", "Destroyed only: the lead time until usable again."),
        "dwell" => Ref("distribution", "Corruption only: from infection to detonation."),
        "cleanup" => Ref("distribution", "Corruption only: clean-up from detonation before restores start."),
        "silent" => Flag("A gray failure: liveness checks miss it."),
        "ends_after_detection" => Flag("The outage lasts until detected, then 'duration' more."),
        "affects" => Text("Only the components of this kind in the scope, e.g. power."),
        "active_months" => Nullable(new JsonObject
        {
            ["description"] = "Season: arrivals only in these months (1-12).",
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 12 },
        }),
        "site_hit_probability" => Probability("Region scope: each site is hit with this probability."),
        "flood" => Object(ScenarioReader.FloodKeys, "flood", k => k switch
        {
            "probability" => Probability("Chance that a hit site is also destroyed."),
            "rebuild" => Ref("distribution", "Lead time of rebuilding a flooded site."),
            _ => null,
        }, "probability", "rebuild"),
        "aftermath" => Object(ScenarioReader.AftermathKeys, "aftermath", k => k switch
        {
            "arrivals" => RaisedRate("Aftershocks: this threat's own rate, raised for a while from each of its arrivals."),
            "failures" => RaisedRate("The own failure rates of the components it hit, raised for a while from when they come back."),
            _ => null,
        }),
        _ => null,
    };

    private static JsonObject RaisedRate(string description) => Described(Object(ScenarioReader.RaisedRateKeys, "raised rate", r => r switch
    {
        "factor" => Number(0, "The multiplier of the rate (above 0; below 1 lowers it)."),
        "for" => Ref("duration", "How long the rate stays raised."),
        _ => null,
    }, [.. ScenarioReader.RaisedRateKeys]), description);

    /// <summary>A calendar schedule: a maintenance window's, or a courier's pickups.</summary>
    private static JsonObject Schedule() => Object(ScenarioReader.ScheduleKeys, "schedule", k => k switch
    {
        "every" => Choice(ScenarioReader.Recurrences, "How often the window comes (or give 'dates' instead)."),
        "week" => Integer(1, "Month, or year without 'day': the week of the month, 1-5 (5 = last)."),
        "weekday" => Choice(ScenarioReader.Weekdays, "The day of the window."),
        "month" => Nullable(new JsonObject
        {
            ["description"] = "Year only: the month, 1-12 or jan-dec.",
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 12 },
                new JsonObject { ["enum"] = new JsonArray([.. ScenarioReader.MonthNames.Select(m => (JsonNode)JsonValue.Create(m))]) }),
        }),
        "day" => Integer(1, "Year only: the day of the month (else 'week' and 'weekday')."),
        "at" => Text("Start time, HH:MM."),
        "dates" => Nullable(new JsonObject
        {
            ["description"] = "Instead of 'every': each window's start, e.g. [2026-03-14 02:00, 2026-09-12 02:00].",
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "string" },
        }),
        _ => null,
    });

    private static JsonNode? Monitor(string key) => key switch
    {
        "name" => Text("Unique among monitors."),
        "site" => Text("Where it runs."),
        "requires" => Ref("requirement", "What it needs to work and to report."),
        "requires_services" => List(Text("The name of a service it needs to work and to report (a resolver, a directory).")),
        "delay" => Ref("distribution", "From the failure to the alert being acted on."),
        "checks" => List(Object(ScenarioReader.CheckKeys, "check", k => k switch
        {
            "component" => Text("A component it checks."),
            "service" => Text("A service it checks."),
            "type" => Choice(ScenarioReader.CheckTypes, "functional sees every way it stops working; liveness only a failure of its own."),
            _ => null,
        })),
        _ => null,
    };

    private static JsonNode? Calendar(string key) => key switch
    {
        "business_days" => Nullable(new JsonObject { ["description"] = "Working days.", ["type"] = "array", ["items"] = Choice(ScenarioReader.Weekdays, "A weekday.") }),
        "business_hours" => Text("Working hours, HH:MM-HH:MM."),
        "holidays" => Nullable(new JsonObject { ["description"] = "Days off (dates).", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
        "response" => Object(ScenarioReader.ResponseKeys, "response times", k => Ref("distribution", $"Time from detection until a person acts, {k.Replace('_', ' ')}."), [.. ScenarioReader.ResponseKeys]),
        "business_hours_take_over" => Flag("A night or weekend response still pending when business hours begin ends there, plus a business-hours response."),
        _ => null,
    };

    private static JsonNode? Endpoint(string key) => key switch
    {
        "name" => Text("Unique; also the name of the generated service and data set."),
        "devices" => Integer(1, "Number of devices."),
        "loss_rate_per_year" => Number(0, "Losses and thefts per device per year."),
        "data_gb" => Number(0, "Data on one device, GB."),
        "change_rate_gb_per_hour" => Number(0, "New data on one device per hour, GB."),
        "sync" => Object(ScenarioReader.SyncKeys, "sync", k => k switch
        {
            "interval" => Ref("duration", "How often devices sync or back up."),
            "coverage" => Probability("Share of devices that sync (default 1)."),
            _ => null,
        }, "interval"),
        "replacement" => Ref("duration", "Until the user works again on a new device (default 24h)."),
        _ => null,
    };

    private static JsonObject Distribution()
    {
        var forms = new JsonArray(new JsonObject { ["$ref"] = "#/$defs/duration" });
        foreach (string name in ValueReader.DistributionNames)
        {
            string[] parameters = ValueReader.DistributionParameters(name)
                ?? throw new InvalidOperationException($"distribution '{name}' has no parameter list");
            var properties = new JsonObject { ["dist"] = new JsonObject { ["const"] = name } };
            foreach (string p in parameters)
            {
                // Durations for times; plain numbers for factors and shapes (lognormal mu and sigma, weibull and gamma shape, noise).
                properties[p] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/$defs/duration" }, new JsonObject { ["type"] = "number" }) };
            }

            forms.Add(new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = new JsonArray("dist"),
                ["additionalProperties"] = false,
            });
        }

        return new JsonObject
        {
            ["description"] = "A duration (fixed), or { dist: NAME, parameters }: " + string.Join(", ", ValueReader.DistributionNames) + ".",
            ["anyOf"] = forms,
        };
    }

    private static JsonObject Requirement()
    {
        var item = new JsonObject { ["$ref"] = "#/$defs/requirement" };
        var list = new JsonObject { ["type"] = "array", ["items"] = item.DeepClone() };
        var group = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["minProperties"] = 1, ["maxProperties"] = 1 };
        var properties = new JsonObject();
        foreach (string key in ScenarioReader.GroupKeys)
        {
            properties[key] = key == "k_of_n"
                ? Object(ScenarioReader.KOfNKeys, "k of n", k => k switch
                {
                    "k" => Integer(1, "How many of the items must hold."),
                    "of" => list.DeepClone(),
                    _ => null,
                }, [.. ScenarioReader.KOfNKeys])
                : list.DeepClone();
        }

        group["properties"] = properties;
        return new JsonObject
        {
            ["description"] = "A component name, a list (all of), or { any_of: [...] }, { all_of: [...] }, { k_of_n: { k, of } }.",
            ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, list, group, new JsonObject { ["type"] = "null" }),
        };
    }

    private static JsonObject OneKeyOf(string[] keys, string description)
    {
        var properties = new JsonObject();
        foreach (string key in keys)
        {
            // A plural key names several: the members of a common-cause group.
            properties[key] = key.EndsWith('s')
                ? new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["minItems"] = 1, ["description"] = $"The names of the {key} that fail together." }
                : new JsonObject { ["type"] = "string", ["description"] = $"The name of a {key}." };
        }

        return new JsonObject
        {
            ["description"] = description,
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
            ["minProperties"] = 1,
            ["maxProperties"] = 1,
        };
    }

    // A mapping of the loader: exactly its keys, each with the type that typeOf gives (null means: no type yet, a defect).
    private static JsonObject Object(string[] keys, string what, Func<string, JsonNode?> typeOf, params string[] required)
    {
        var properties = new JsonObject();
        foreach (string key in keys)
        {
            properties[key] = typeOf(key) ?? throw new InvalidOperationException($"the scenario schema gives no type to key '{key}' of a {what}; add it to ScenarioSchema.");
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)JsonValue.Create(r))]);
        }

        return schema;
    }

    // A key given with an empty value (~) counts as absent in the loader, so every value may also be null.
    private static JsonObject Nullable(JsonObject schema)
    {
        if (schema["type"] is JsonValue type && schema["$ref"] is null)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
            return schema;
        }

        if (schema["enum"] is JsonArray choices)
        {
            choices.Add(null);
            return schema;
        }

        string? description = schema["description"]?.GetValue<string>();
        schema.Remove("description");
        var result = new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        if (description is not null)
        {
            result["description"] = description;
        }

        return result;
    }

    private static JsonObject List(JsonObject item) => Nullable(new JsonObject { ["type"] = "array", ["items"] = item });

    private static JsonObject Text(string description) => Nullable(new JsonObject { ["description"] = description, ["type"] = "string" });

    private static JsonObject Flag(string description) => Nullable(new JsonObject { ["description"] = description, ["type"] = "boolean" });

    private static JsonObject Number(double minimum, string description) =>
        Nullable(new JsonObject { ["description"] = description, ["type"] = "number", ["minimum"] = minimum });

    private static JsonObject Integer(long minimum, string description) =>
        Nullable(new JsonObject { ["description"] = description, ["type"] = "integer", ["minimum"] = minimum });

    private static JsonObject Probability(string description) =>
        Nullable(new JsonObject { ["description"] = description, ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 });

    private static JsonObject Choice(string[] choices, string description) =>
        Nullable(new JsonObject { ["description"] = description, ["enum"] = new JsonArray([.. choices.Select(c => (JsonNode)JsonValue.Create(c))]) });

    private static JsonObject Ref(string definition, string description) =>
        Nullable(new JsonObject { ["description"] = description, ["$ref"] = "#/$defs/" + definition });

    private static JsonObject Described(JsonObject schema, string description)
    {
        schema["description"] = description;
        return schema;
    }
}
