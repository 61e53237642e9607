using System.Collections.Immutable;
using System.Globalization;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using Xunit.Abstractions;

namespace DisasterSim.Tests.Engine.Simulation.Generated;

/// <summary>
/// Relations between two runs of the same trial on common random numbers, over generated estates: what must hold when a
/// scenario is changed in one way (docs/semantics.md, "Relations between runs"). Each relation says exactly where it holds:
/// a change can alter every decision after the first moment it matters, and from there on a trial can turn out either way.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultScenarios"/> scenarios per relation; <c>DISASTERSIM_GENERATED=N</c> runs more (with
/// <c>--filter Category=Generated</c>). Each test also counts, for the record, how often the stronger whole-trial version
/// fails, which is why the relations are stated as they are.
/// </remarks>
public sealed class MetamorphicTests(ITestOutputHelper output)
{
    /// <summary>Scenarios per relation in the CI run.</summary>
    public const int DefaultScenarios = 2_000;

    private const double Tolerance = 1e-9;

    private static readonly int Seed = 23;

    [Fact]
    [Trait("Category", "Generated")]
    public void RemovingAnUnplannedThreat_NeverLengthensAComponentsDowntime_NorTheDowntimeOfAServiceWithoutStandbyOrData()
    {
        int checkedTrials = 0;
        Each((scenario, rng) =>
        {
            // Backup power draws its generator's start from the component's own stream at each utility outage, and an
            // outage that ends after detection depends on people: both tie the estate to the order of events. So does a
            // rebuild that waits for a crew member: a queue served by priority without preemption is not monotone (without
            // one threat, a less urgent rebuild can take the member just before a more urgent one arrives). Raised failure
            // rates after a threat (aftermath: failures) move a component's own failures with the threat's arrivals: without
            // the threat a failure comes later, where another outage may no longer hide it (see semantics.md).
            scenario = scenario with
            {
                Components = [.. scenario.Components.Select(c => c with { BackupPower = null })],
                Threats = [.. scenario.Threats.Select(t => WithoutRaisedFailures(t) with { EndsAfterDetection = false })],
                Crews = [.. scenario.Crews.Select(c => c with { Skills = c.Skills.Remove(CrewSkill.Rebuild) })],
            };
            var removable = scenario.Threats.Where(t => !t.Planned).ToArray();
            if (removable.Length == 0)
            {
                return null;
            }

            var removed = removable[rng.Next(removable.Length)];
            return (scenario, scenario with { Threats = scenario.Threats.Remove(removed) });
        },
        (scenario, base_, variant) =>
        {
            for (int c = 0; c < scenario.Components.Length; c++)
            {
                Require(variant.ComponentDowntime(c) <= base_.ComponentDowntime(c) + Tolerance, $"component '{scenario.Components[c].Name}' down {variant.ComponentDowntime(c)} h after removing a threat, {base_.ComponentDowntime(c)} h before");
            }

            for (int s = 0; s < scenario.Services.Length; s++)
            {
                // A service that requires others inherits their recoveries: it counts only when none of them has a standby or data.
                var service = scenario.Services[s];
                if (WithRequired(scenario, service).All(x => x.Standby is null && !scenario.DataSets.Any(d => d.Service == x.Name)))
                {
                    Require(variant.Simulator.TrialDowntime[s] <= base_.Simulator.TrialDowntime[s] + Tolerance, $"service '{service.Name}' down {variant.Simulator.TrialDowntime[s]} h after removing a threat, {base_.Simulator.TrialDowntime[s]} h before");
                }
            }

            checkedTrials++;
            return null;
        });
        output.WriteLine($"{checkedTrials} trials compared");
    }

    /// <summary>The service and every service it requires, directly or through others.</summary>
    private static IEnumerable<Service> WithRequired(Scenario scenario, Service service)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { service.Name };
        var stack = new Stack<Service>([service]);
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            yield return s;
            foreach (string r in s.RequiresServices)
            {
                if (seen.Add(r))
                {
                    stack.Push(scenario.Services.Single(x => x.Name == r));
                }
            }
        }
    }

    [Fact]
    [Trait("Category", "Generated")]
    public void AddingABackup_ChangesNothingBeforeBackupsAreFirstRead_AndThatRestoreLosesNoMore()
    {
        int compared = 0;
        int wholeTrialWorse = 0;
        Each((scenario, rng) =>
        {
            // The estimate policy reads the backups to estimate a restore: it is replaced by a manual failover here.
            scenario = scenario with { Services = [.. scenario.Services.Select(NoEstimate)] };
            if (scenario.DataSets.IsEmpty)
            {
                return null;
            }

            int d = rng.Next(scenario.DataSets.Length);
            var data = scenario.DataSets[d];
            var added = new Backup($"added{data.Backups.Length}", rng.Next(2) == 0 ? 1 : 24, 0, rng.Next(2) == 0 ? 0 : 0.5, Location.Offsite, 100, 1, null);
            return (scenario, scenario with { DataSets = scenario.DataSets.SetItem(d, data with { Backups = data.Backups.Add(added) }) });
        },
        (scenario, base_, variant) =>
        {
            // The first moment any run reads backups (a restore choosing its copy): before it, both runs are the same.
            double first = Math.Min(base_.FirstBackupRead, variant.FirstBackupRead);
            Require(base_.FirstBackupRead == variant.FirstBackupRead, $"backups first read at {base_.FirstBackupRead} h without the new backup, at {variant.FirstBackupRead} h with it");
            SameIncidentsEndingBefore(base_, variant, first);
            if (double.IsFinite(first))
            {
                var b = base_.RecoveryPointsAt(first);
                var v = variant.RecoveryPointsAt(first);

                // With a crew that restores, a restore that finds a copy where there was none keeps its member for the
                // copy's setup, so a restore the member would have started at the same instant waits: only the restores
                // that start at that instant in both runs are compared (the first ones, in the same order).
                bool crewRestores = scenario.Crews.Any(c => c.Has(CrewSkill.Restore));
                Require(crewRestores ? b.Length > 0 && v.Length > 0 : b.Length == v.Length, $"{b.Length} recovery points at {first} h without the new backup, {v.Length} with it");
                for (int i = 0; i < Math.Min(b.Length, v.Length); i++)
                {
                    Require(v[i].Subject == b[i].Subject && v[i].Value <= b[i].Value + Tolerance, $"data set {b[i].Subject}: the restore at {first} h loses {v[i].Value} h with the new backup, {b[i].Value} h without");
                }
            }

            compared++;
            double lossBase = base_.Simulator.TrialLossHours.ToArray().Sum();
            double lossVariant = variant.Simulator.TrialLossHours.ToArray().Sum();
            return lossVariant > lossBase + Tolerance ? "worse" : null;
        },
        counted => wholeTrialWorse = counted);
        output.WriteLine($"{compared} trials compared; the whole trial's loss grew in {wholeTrialWorse} (later incidents diverge)");
    }

    [Fact]
    [Trait("Category", "Generated")]
    public void AddingASyncMirrorBesideTheStorage_ChangesNothingBeforeTheStorageFirstStops_AndThenLosesNoMore()
    {
        int compared = 0;
        int wholeTrialWorse = 0;
        Each((scenario, rng) =>
        {
            scenario = scenario with { Services = [.. scenario.Services.Select(NoEstimate)] };
            if (scenario.DataSets.IsEmpty)
            {
                return null;
            }

            int d = rng.Next(scenario.DataSets.Length);
            var data = scenario.DataSets[d];
            var storage = scenario.Components.Single(c => c.Name == data.Storage);
            var mirror = new Component($"{data.Storage}-added-mirror", storage.Site, "storage", null, storage.Requires);
            var variant = scenario with
            {
                Components = scenario.Components.Add(mirror),
                DataSets = scenario.DataSets.SetItem(d, data with { Replications = data.Replications.Add(new Replication(ReplicationMode.Sync, new Location(LocationKind.Component, mirror.Name), null)) }),
            };
            return (scenario with { Components = scenario.Components.Add(mirror) }, variant);
        },
        (scenario, base_, variant) =>
        {
            // Before the storage first stops (down or destroyed), nobody needs the mirror.
            var storages = scenario.DataSets.Select(d => scenario.Components.Select(c => c.Name).ToList().IndexOf(d.Storage)).ToHashSet();
            double first = base_.FirstDown(storages);
            SameIncidentsEndingBefore(base_, variant, first);
            if (double.IsFinite(first))
            {
                // A mirror that keeps the data readable can let a backup job finish that would not have: the operator may then
                // restore that copy at the standby instead of waiting for the primary, trading some data for a shorter outage.
                var (openLossBase, downBase) = base_.OutcomeOfIncidentsFrom(first);
                var (openLossVariant, downVariant) = variant.OutcomeOfIncidentsFrom(first);
                Require(openLossVariant <= openLossBase + Tolerance || downVariant < downBase - Tolerance || variant.IncidentStartingAt(first) is null,
                    $"the incidents open at {first} h lose {openLossVariant} h in {downVariant} h down with the mirror, {openLossBase} h in {downBase} h without");
            }

            compared++;
            double lossBase = base_.Simulator.TrialLossHours.ToArray().Sum();
            double lossVariant = variant.Simulator.TrialLossHours.ToArray().Sum();
            return lossVariant > lossBase + Tolerance ? "worse" : null;
        },
        counted => wholeTrialWorse = counted);
        output.WriteLine($"{compared} trials compared; the whole trial's loss grew in {wholeTrialWorse} (later incidents diverge)");
    }

    [Fact]
    [Trait("Category", "Generated")]
    public void ShorterRebuilds_NeverLengthenTheFirstIncidentADestructionStarts_OfAServiceWithoutStandby()
    {
        int compared = 0;
        Each((scenario, rng) =>
        {
            static Distribution Half(Distribution d) => d.Kind switch
            {
                DistributionKind.Fixed => Distribution.Fixed(d.A / 2),
                DistributionKind.Exponential => Distribution.ExponentialByMean(d.A / 2),
                DistributionKind.LogNormal => Distribution.LogNormal(d.A - Math.Log(2), d.B),
                DistributionKind.Weibull => Distribution.Weibull(d.A, d.B / 2),
                DistributionKind.Gamma => Distribution.GammaByShapeMean(d.A, d.A * d.B / 2),
                DistributionKind.Uniform => Distribution.Uniform(d.A / 2, d.B / 2),
                DistributionKind.Triangular => Distribution.Triangular(d.A / 2, d.B / 2, d.C / 2),
                DistributionKind.Pert => Distribution.Pert(d.A / 2, d.B / 2, d.C / 2),
            };

            // Every drawn rebuild is halved: the same uniforms, each quantile scaled by one half. Raised failure rates start
            // when a rebuild ends: a shorter rebuild moves the failures after it earlier, into the incident. A restore test
            // that finds a broken chain tells a restore which copies to skip: a restore that starts sooner, before the test,
            // may try a spoiled copy that the later one knew to pass over (see semantics.md).
            scenario = scenario with
            {
                Threats = [.. scenario.Threats.Select(WithoutRaisedFailures)],
                DataSets = [.. scenario.DataSets.Select(d => d with { Backups = [.. d.Backups.Select(b => b with { RestoreTest = null })] })],
            };
            var variant = scenario with
            {
                Threats = [.. scenario.Threats.Select(t => t.Rebuild is { } r ? t with { Rebuild = Half(r) } : t)],
                Components = [.. scenario.Components.Select(c => c.Failure is { Effect: Effect.Destroyed } f ? c with { Failure = f with { TimeToRepair = Half(f.TimeToRepair) } } : c)],
            };
            return (scenario, variant);
        },
        (scenario, base_, variant) =>
        {
            // Before the first destruction's rebuild ends, the two runs are the same; the incident it starts can only end sooner.
            double firstDestruction = base_.FirstDestruction(scenario);
            for (int s = 0; s < scenario.Services.Length; s++)
            {
                // A service that requires others inherits their recoveries: one of them with a standby fails back sooner when its
                // primary is rebuilt sooner, and may meet there a destruction it sat out at the standby in the base run.
                if (WithRequired(scenario, scenario.Services[s]).Any(x => x.Standby is not null))
                {
                    continue;
                }

                var first = base_.Incidents.FirstOrDefault(i => i.Service == s && DestroyedBy(scenario, i));
                // A destroying failure process counts its next failure from its repair: halved, that failure comes sooner,
                // and can strike during the incident where the base run's came after it. Such incidents are not compared.
                if (first.DowntimeHours > 0 && first.StartHours == firstDestruction
                    && variant.Incidents.FirstOrDefault(i => i.Service == s && DestroyedBy(scenario, i)) is var other && other.StartHours == first.StartHours
                    && !variant.DestroyingFailureDuring(scenario, other.StartHours, other.StartHours + other.DowntimeHours))
                {
                    Require(other.DowntimeHours <= first.DowntimeHours + Tolerance,
                        $"service '{scenario.Services[s].Name}': the destruction at {first.StartHours} h keeps it down {other.DowntimeHours} h with halved rebuilds, {first.DowntimeHours} h without");
                    compared++;
                }
            }

            return null;
        });
        output.WriteLine($"{compared} first destructions compared");
    }

    private static bool DestroyedBy(Scenario scenario, IncidentRecord incident) => incident.CauseKind switch
    {
        CauseKind.Threat => scenario.Threats[incident.CauseIndex].Effect == Effect.Destroyed,
        CauseKind.ComponentFailure => scenario.Components[incident.CauseIndex].Failure?.Effect == Effect.Destroyed,
        CauseKind.Maintenance or CauseKind.Failback => false,
    };

    /// <summary>The threat without <c>aftermath: failures</c>, which ties components' own failures to when its instances end.</summary>
    private static Threat WithoutRaisedFailures(Threat t) => t with { Aftermath = t.Aftermath?.Arrivals is { } a ? new Aftermath(a, null) : null };

    private static Service NoEstimate(Service s) => s.Recovery.Failover is { Mode: FailoverMode.Estimate } f
        ? s with { Recovery = s.Recovery with { Failover = f with { Mode = FailoverMode.Manual, AfterHours = 0.5 } } }
        : s;

    private static void SameIncidentsEndingBefore(Traced base_, Traced variant, double time)
    {
        // An incident that ends at that very moment (a rebuild from nothing takes no time) ends after it.
        var b = base_.Incidents.Where(i => i.StartHours + i.DowntimeHours < time - 1e-6).ToArray();
        var v = variant.Incidents.Where(i => i.StartHours + i.DowntimeHours < time - 1e-6).ToArray();
        Require(b.SequenceEqual(v), $"the incidents that ended before {time} h differ: {b.Length} without the change, {v.Length} with it");
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new RelationException(what);
        }
    }

    /// <summary>Runs the relation over the generated scenarios: every trial of each pair, on the same seed.</summary>
    private void Each(
        Func<Scenario, Random, (Scenario Base, Scenario Variant)?> change,
        Func<Scenario, Traced, Traced, string?> relation,
        Action<int>? counted = null)
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("DISASTERSIM_GENERATED"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n / 5 : DefaultScenarios;
        var generator = new EstateGenerator(Seed);
        var failures = new List<string>();
        int noted = 0;
        for (int i = 0; i < count && failures.Count < 5; i++)
        {
            string yaml = generator.Generate(i);
            if (ScenarioLoader.Parse(yaml, $"generated-{i}.yaml").Scenario is not { } scenario)
            {
                continue;
            }

            var rng = new Random(i);
            if (change(scenario, rng) is not var (base_, variant))
            {
                continue;
            }

            var baseModel = SimulationModel.Compile(base_);
            var variantModel = SimulationModel.Compile(variant);
            for (long trial = 0; trial < scenario.Simulation.Trials; trial++)
            {
                var b = Traced.Run(baseModel, scenario.Simulation.Seed, trial);
                var v = Traced.Run(variantModel, scenario.Simulation.Seed, trial);
                try
                {
                    noted += relation(base_, b, v) is null ? 0 : 1;
                }
                catch (RelationException e)
                {
                    string path = Path.Combine(Path.GetTempPath(), $"disastersim-relation-{i}.yaml");
                    File.WriteAllText(path, yaml);
                    failures.Add($"scenario {i} ({path}), trial {trial}: {e.Message}");
                    break;
                }
            }
        }

        counted?.Invoke(noted);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private sealed class RelationException(string message) : Exception(message);

    /// <summary>One trial run with its trace.</summary>
    private sealed class Traced : ITrialSink
    {
        private readonly List<TraceEvent> _steps = [];

        private readonly double _horizon;

        private Traced(SimulationModel model, ulong seed, long trial)
        {
            _horizon = model.HorizonHours;
            Simulator = new TrialSimulator(model, seed);
            Simulator.Run(trial, this);
            FirstBackupRead = _steps.Where(s => s.Kind == TraceKind.RecoveryPoint && s.Detail != -1).Select(s => s.Time).DefaultIfEmpty(double.PositiveInfinity).Min();
        }

        public TrialSimulator Simulator { get; }

        public List<IncidentRecord> Incidents { get; } = [];

        public bool WantsTrace => true;

        /// <summary>Gets when backups (or copies kept in place) were first consulted for a restore; +∞ for never.</summary>
        public double FirstBackupRead { get; }

        public static Traced Run(SimulationModel model, ulong seed, long trial) => new(model, seed, trial);

        public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

        public void OnDataLoss(in DataLossRecord loss)
        {
        }

        public void OnTrace(in TraceEvent step) => _steps.Add(step);

        public TraceEvent[] RecoveryPointsAt(double time) => [.. _steps.Where(s => s.Kind == TraceKind.RecoveryPoint && s.Time == time && s.Detail != -1)];

        /// <summary>The hours component <paramref name="c"/> was down inside the horizon.</summary>
        public double ComponentDowntime(int c)
        {
            double down = 0;
            double since = double.NaN;
            foreach (var s in _steps.Where(s => s.Subject == c && s.Kind is TraceKind.ComponentDown or TraceKind.ComponentUp))
            {
                if (s.Kind == TraceKind.ComponentDown)
                {
                    since = s.Time;
                }
                else if (!double.IsNaN(since))
                {
                    down += Math.Min(s.Time, _horizon) - Math.Min(since, _horizon);
                    since = double.NaN;
                }
            }

            return double.IsNaN(since) ? down : down + Math.Max(0, _horizon - since);
        }

        /// <summary>When any of <paramref name="components"/> first stopped working; +∞ for never.</summary>
        public double FirstDown(IReadOnlySet<int> components) =>
            _steps.Where(s => s.Kind == TraceKind.ComponentDown && components.Contains(s.Subject)).Select(s => s.Time).DefaultIfEmpty(double.PositiveInfinity).Min();

        /// <summary>When the first destruction of the trial struck (a destroying threat or flood, or a destroying failure); +∞ for none.</summary>
        public double FirstDestruction(Scenario scenario) => _steps.Where(s => s.Kind switch
        {
            TraceKind.ThreatArrived => scenario.Threats[s.Subject].Effect == Effect.Destroyed || scenario.Threats[s.Subject].FloodProbability > 0,
            TraceKind.ComponentFailed => scenario.Components[s.Subject].Failure?.Effect == Effect.Destroyed,
            _ => false,
        }).Select(s => s.Time).DefaultIfEmpty(double.PositiveInfinity).Min();

        /// <summary>Whether a destroying failure process failed after <paramref name="from"/> and at or before <paramref name="to"/>.</summary>
        public bool DestroyingFailureDuring(Scenario scenario, double from, double to) => _steps.Any(s =>
            s.Kind == TraceKind.ComponentFailed && s.Time > from && s.Time <= to && scenario.Components[s.Subject].Failure?.Effect == Effect.Destroyed);

        public IncidentRecord? IncidentStartingAt(double time) => Incidents.Where(i => i.StartHours == time).Select(i => (IncidentRecord?)i).FirstOrDefault();

        /// <summary>The data lost and the hours down of the incidents open at or started from <paramref name="time"/>.</summary>
        public (double Loss, double Downtime) OutcomeOfIncidentsFrom(double time)
        {
            var open = Incidents.Where(i => i.StartHours <= time && i.StartHours + i.DowntimeHours >= time).ToArray();
            return (open.Sum(i => i.DataLossHours), open.Sum(i => i.DowntimeHours));
        }
    }
}
