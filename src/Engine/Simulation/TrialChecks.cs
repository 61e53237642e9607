using System.Globalization;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Checking mode: the model's invariants, checked after every event of every trial, and the trial's records replayed
/// against its totals at its end. Used by the tests on generated scenarios and by <c>run --check</c>.
/// </summary>
/// <remarks>
/// After every event: time never goes back; every component's state equals its recomputation from scratch; a running
/// service runs where its site and requirements are up and its data is served by a copy that is current, present, up and
/// not destroyed; an incident is open exactly while its service does not run; for every data set, no copy is ahead of the
/// live data, the live position never passes the change clock, and live position = change clock − every hour rewound
/// (so no loss is counted twice and no downtime counts as changes); every recovery lost no more than the change-clock hours
/// accepted since the copy it came from, and corrupt data is recovered only from a copy taken before the infection; the
/// copies of policies with tiers, vaults or jobs at the standby are what their definitions say (<see cref="CopyChoiceChecks"/>); a replica
/// behind a link receives only while it, its link and its source are up, holds nothing while it is seeded, and never gets
/// ahead of the change clock; the restores reading from a shared throughput get no more than it, each no more than its own,
/// and leave none of it idle that one of them could use. With crews: a
/// member does one thing at a time, and exactly the work that needs a member holds one; queued work is in priority and arrival
/// order and waits only while nobody able to do it is free. At the end of a trial: no incident is left open; every service's planned and
/// unplanned downtime inside the horizon together fit in the horizon; the incident and data-loss records add up to the
/// trial's totals.
/// </remarks>
internal sealed class TrialChecks
{
    private const double Tolerance = 1e-6;

    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly DataCopies _copies;
    private readonly ServiceLifecycle _lifecycle;
    private readonly Incidents _incidents;
    private readonly Crews? _crews;
    private readonly Threats _threats;
    private readonly SharedRestores? _shared;
    private readonly SimulationModel _model;
    private readonly bool[] _up;
    private readonly Recorder _recorder = new();
    private readonly CopyChoiceChecks _choices;
    private readonly StandbySites? _sites;
    private double _last;

    public TrialChecks(TrialKernel kernel, Estate estate, DataCopies copies, ServiceLifecycle lifecycle, Incidents incidents, SharedRestores? shared, Threats threats, Crews? crews, StandbySites? sites)
    {
        _shared = shared;
        _threats = threats;
        _crews = crews;
        _sites = sites;
        _kernel = kernel;
        _estate = estate;
        _copies = copies;
        _lifecycle = lifecycle;
        _incidents = incidents;
        _model = kernel.Model;
        _up = new bool[_model.Components.Length];
        copies.Rewinds = [];
        _choices = new CopyChoiceChecks(_model, estate, copies);
    }

    /// <summary>Wraps the trial's sink, to see its records as they are made.</summary>
    public ITrialSink Wrap(ITrialSink? inner)
    {
        _recorder.Inner = inner;
        return _recorder;
    }

    public void BeginTrial()
    {
        _last = double.NegativeInfinity;
        _recorder.Clear();
        _copies.Rewinds!.Clear();
        _choices.BeginTrial();
    }

    public void AfterEvent(double now)
    {
        Require(now >= _last, now, $"time went back from {_last:R} to {now:R}");
        _last = now;
        CheckEstate(now);
        CheckServices(now);
        CheckCopies(now);
        CheckBandwidth(now);
        if (_choices.AfterEvent(now) is { } violation)
        {
            Require(false, now, violation);
        }

        if (_crews is not null)
        {
            CheckCrews(now, _crews);
        }
    }

    public void EndTrial(TrialSimulator simulator)
    {
        double end = _last;
        Require(_incidents.OpenCount == 0, end, $"{_incidents.OpenCount} incident(s) left open at the end of the trial");
        Require(_recorder.Downs == _recorder.Incidents.Count, end, $"{_recorder.Downs} service outages started but {_recorder.Incidents.Count} incidents were recorded");
        double horizon = _kernel.Horizon;
        for (int s = 0; s < _model.Services.Length; s++)
        {
            double unplanned = simulator.TrialIncidentDowntime[s];
            double planned = simulator.TrialPlannedDowntime[s];
            Require(unplanned >= 0 && planned >= 0 && unplanned + planned <= horizon + Tolerance, end,
                $"service '{_model.Services[s].Name}': unplanned {unplanned:R} h and planned {planned:R} h do not fit in the horizon of {horizon:R} h");
            double replayed = 0;
            int count = 0;
            foreach (var x in _recorder.Incidents.Where(x => x.Service == s))
            {
                Require(x.DowntimeHours >= 0 && x.PlannedHours <= x.DowntimeHours + Tolerance && x.DataLossHours >= 0 && x.StartHours <= horizon, end,
                    $"incident of '{_model.Services[s].Name}' at {x.StartHours:R} h is inconsistent: {x}");
                replayed += Math.Max(0, Math.Min(x.StartHours + x.DowntimeHours, horizon) - x.StartHours);
                count += x.IsPlanned ? 0 : 1;
            }

            Require(Math.Abs(replayed - (unplanned + planned)) <= Tolerance * Math.Max(1, replayed), end,
                $"service '{_model.Services[s].Name}': its incidents replay to {replayed:R} h inside the horizon, its totals say {unplanned + planned:R} h");
            Require(count == simulator.TrialIncidents[s], end,
                $"service '{_model.Services[s].Name}': {count} unplanned incidents recorded, {simulator.TrialIncidents[s]} counted");
            if (_model.Graph.HasPartialStandbys)
            {
                Require(simulator.TrialDowntime[s] == unplanned + simulator.TrialDegradedHours[s], end,
                    $"service '{_model.Services[s].Name}': its downtime {simulator.TrialDowntime[s]:R} h is not its incidents' {unplanned:R} h plus its degraded hours");
                // Degraded hours are hours at the standby, inside the horizon, when the service ran: they fit beside its downtime.
                double degraded = simulator.TrialDegradedHours[s];
                double shortfall = _model.Graph.Shortfall[s];
                Require(degraded >= 0 && (shortfall > 0 || degraded == 0) && (shortfall == 0 || (degraded / shortfall) + unplanned + planned <= horizon + Tolerance), end,
                    $"service '{_model.Services[s].Name}': {degraded:R} degraded hours at a standby short of {shortfall:R} of its load do not fit beside {unplanned + planned:R} h down in the horizon");
            }
        }

        for (int d = 0; d < _model.DataSets.Length; d++)
        {
            var set = _model.DataSets[d];
            double hours = 0;
            foreach (var x in _recorder.Losses.Where(x => x.DataSet == d))
            {
                // With a change profile each lost hour weighs between the smallest and the largest period's factor.
                double low = set.ChangeVolume?.MinFactor ?? 1, high = set.ChangeVolume?.MaxFactor ?? 1;
                double slack = Tolerance * Math.Max(1, x.LossGb);
                Require(x.LossHours >= 0 && (x.TotalLoss || (x.LossGb >= (x.LossHours * set.ChangeRateGbPerHour * low) - slack && x.LossGb <= (x.LossHours * set.ChangeRateGbPerHour * high) + slack)), end,
                    $"data set '{set.Name}': a loss of {x.LossHours:R} h is {x.LossGb:R} GB at {set.ChangeRateGbPerHour:R} GB/h (factors {low:R} to {high:R})");
                hours += x.LossHours;
            }

            Require(Math.Abs(hours - simulator.TrialLossHours[d]) <= Tolerance * Math.Max(1, hours), end,
                $"data set '{set.Name}': its losses add up to {hours:R} h, its total says {simulator.TrialLossHours[d]:R} h");
        }
    }

    private void CheckEstate(double now)
    {
        foreach (int c in _model.ComponentOrder)
        {
            _up[c] = _estate.UpFromScratch(c, _up);
            Require(_up[c] == _estate.IsUp(c), now, $"component '{_model.Components[c].Name}' is {(_estate.IsUp(c) ? "up" : "down")} but its state says {(_up[c] ? "up" : "down")}");
        }

        for (int node = 0; node < _model.Requirements.Nodes; node++)
        {
            Require(_estate.Satisfied(node) == _model.Requirements.IsSatisfied(node, _up), now, $"requirement node {node} is out of date");
        }
    }

    private void CheckServices(double now)
    {
        int down = 0;
        for (int s = 0; s < _model.Services.Length; s++)
        {
            ref readonly var st = ref _lifecycle.State(s);
            var service = _model.Services[s];
            down += st.Running ? 0 : 1;
            if (!st.Running || now > _kernel.Horizon)
            {
                // Past the horizon, services that run are no longer watched (only open incidents are followed).
                continue;
            }

            bool atStandby = st.Phase == ServicePhase.RunningAtStandby;
            Require(atStandby == st.AtStandby, now, $"service '{service.Name}' runs at its {(atStandby ? "standby" : "primary")} but its data lives at the other");
            if (atStandby)
            {
                Require(_estate.SiteUp(service.StandbySite) && _estate.Satisfied(service.StandbyRequires), now,
                    $"service '{service.Name}' runs at its standby while the standby site or its requirements are down");
            }
            else if (service.ActiveSites.IsEmpty)
            {
                Require(_estate.SiteUp(service.Site) && _estate.Satisfied(service.Requires), now,
                    $"service '{service.Name}' runs at its primary while the primary site or its requirements are down");
            }

            foreach (int d in _model.ServiceDataSets[s])
            {
                Require(ServedByAWorkingCopy(d, now), now, $"service '{service.Name}' runs but no working, current copy serves data set '{_model.DataSets[d].Name}'");
            }

            foreach (int r in _model.Graph.Requires[s])
            {
                Require(_lifecycle.State(r).Running, now, $"service '{service.Name}' runs while service '{_model.Services[r].Name}', which it requires, does not");
            }
        }

        Require(down == _incidents.OpenCount, now, $"{down} services are down but {_incidents.OpenCount} incidents are open");
        CheckPlaces(now);
    }

    /// <summary>No bounded standby site holds more services than its places; a service in line is down and has not moved.</summary>
    private void CheckPlaces(double now)
    {
        if (_sites is null)
        {
            return;
        }

        for (int site = 0; site < _model.Graph.Guests.Length; site++)
        {
            Require(_sites.Occupied(site) <= _sites.Places(site), now,
                $"standby site '{_model.Scenario.Sites[site].Name}' holds {_sites.Occupied(site)} services, more than its {_sites.Places(site)} places");
            foreach (int s in _model.Graph.Guests[site])
            {
                ref readonly var st = ref _lifecycle.State(s);
                Require(!st.PlaceQueued || (!st.Running && !_sites.Holds(s)), now,
                    $"service '{_model.Services[s].Name}' waits in line for a place at '{_model.Scenario.Sites[site].Name}' while it {(st.Running ? "runs" : "holds one")}");
            }
        }
    }

    private bool ServedByAWorkingCopy(int d, double now)
    {
        var set = _model.DataSets[d];
        double live = _copies.Log(d).Live(now);
        for (int i = 0; i < set.Copies.Length; i++)
        {
            var meta = set.Copies[i];
            ref readonly var copy = ref _copies.Copy(d, i);
            bool member = _copies.AtStandby(d) ? meta.AtStandby : meta.LiveMember;
            if (member && copy.Present && (copy.Tracking || copy.Position >= live) && _estate.LocationUp(meta.Location) && !_estate.LocationDestroyed(meta.Location))
            {
                return true;
            }
        }

        return false;
    }

    private void CheckCopies(double now)
    {
        for (int d = 0; d < _model.DataSets.Length; d++)
        {
            var set = _model.DataSets[d];
            var log = _copies.Log(d);
            double live = log.Live(now);
            double clock = log.Clock(now);
            double slack = Tolerance * Math.Max(1, Math.Abs(clock));
            Require(live <= clock + slack, now, $"data set '{set.Name}': the live position {live:R} is ahead of the change clock {clock:R}");
            Require(Math.Abs(live - (clock - _copies.Rewound(d))) <= slack, now,
                $"data set '{set.Name}': the live position {live:R} is not the change clock {clock:R} less the {_copies.Rewound(d):R} hours rewound");
            for (int i = 0; i < set.Copies.Length; i++)
            {
                ref readonly var copy = ref _copies.Copy(d, i);
                if (copy.Present && !copy.Tracking)
                {
                    Require(copy.Position <= live + slack && copy.Clock <= clock + slack, now,
                        $"data set '{set.Name}': copy {i} at position {copy.Position:R} is ahead of the live data at {live:R}");
                }
            }
        }

        foreach (var r in _copies.Rewinds!)
        {
            Require(double.IsNaN(r.InfectedAt) || r.Point.CleanOf(r.InfectedAt), now,
                $"data set '{_model.DataSets[r.DataSet].Name}': corrupt data was restored from a copy taken after the infection at {r.InfectedAt:R} h");
            Require(r.Loss.Total || r.Loss.Hours <= r.ClockNow - r.Point.Clock + Tolerance * Math.Max(1, r.ClockNow), now,
                $"data set '{_model.DataSets[r.DataSet].Name}': a recovery lost {r.Loss.Hours:R} h of changes, but only {r.ClockNow - r.Point.Clock:R} h were accepted since its copy");
            if (r.Point.Source == RecoverySource.Backup && _copies.Faults.Of(r.DataSet, r.Point.Index) is { } faults)
            {
                var backup = _model.DataSets[r.DataSet].Backups[r.Point.Index];
                double k = Math.Round((r.Point.TakenAt - backup.OffsetHours) / backup.IntervalHours);
                Require(faults.Restorable(k, r.Point.TakenAt, r.Point.TakenAt + backup.DurationHours), now,
                    $"data set '{_model.DataSets[r.DataSet].Name}': restored from the job of backup '{backup.Name}' at {r.Point.TakenAt:R} h, which failed, was spoiled or encrypted");
            }
        }

        _copies.Rewinds.Clear();
    }

    private void CheckCrews(double now, Crews crews)
    {
        var plan = _model.Crews!;
        bool restoresHoldToTheEnd = plan.Crews.All(c => !c.Restore || c.RestoreWork == Models.RestoreWork.Whole);
        for (int s = 0; s < _model.Services.Length; s++)
        {
            ref readonly var st = ref _lifecycle.State(s);
            var service = _model.Services[s];
            int m = crews.MemberOf(s);
            bool queued = false;
            for (int i = 0; i < crews.Queued; i++)
            {
                queued |= crews.At(i).Work != CrewWork.Rebuild && crews.At(i).Subject == s;
            }

            Require(queued == (st.Phase == ServicePhase.Queued), now, $"service '{service.Name}' is {(queued ? "" : "not ")}queued for a crew in phase {st.Phase}");
            Require(!queued || st.QueuedWork != CrewWork.Rebuild, now, $"service '{service.Name}' waits for a rebuild");
            if (m >= 0)
            {
                ref readonly var job = ref crews.JobOf(m);
                Require(job.Busy && job.Work != CrewWork.Rebuild && job.Subject == s, now, $"service '{service.Name}' holds crew member {m}, who is doing something else");
                Require(st.Phase is ServicePhase.FailingOver or ServicePhase.Restoring, now, $"service '{service.Name}' holds crew member {m} in phase {st.Phase}");
            }
            else
            {
                Require(!(st.Phase == ServicePhase.FailingOver && service.FailoverMode != Models.FailoverMode.Automatic && plan.Failover), now,
                    $"service '{service.Name}' fails over by hand with no crew member");
                Require(!(st.Phase == ServicePhase.Restoring && plan.Restore && restoresHoldToTheEnd), now, $"service '{service.Name}' restores with no crew member");
            }
        }

        int rebuilding = 0;
        for (int m = 0; m < plan.Members; m++)
        {
            ref readonly var job = ref crews.JobOf(m);
            if (!job.Busy)
            {
                continue;
            }

            Require(plan.Crews[plan.CrewOfMember[m]].Does(job.Work), now, $"crew member {m} does {job.Work} without the skill");
            if (job.Work == CrewWork.Rebuild)
            {
                rebuilding++;
                Require(_threats.Instances[job.Subject] is { Active: true, Rebuilt: true }, now, $"crew member {m} rebuilds threat instance {job.Subject}, which is not being rebuilt");
            }
            else
            {
                Require(crews.MemberOf(job.Subject) == m, now, $"crew member {m} works for service '{_model.Services[job.Subject].Name}', which holds another");
            }
        }

        int rebuilt = 0;
        foreach (ref readonly var x in _threats.Instances)
        {
            rebuilt += x.Active && x.Rebuilt ? 1 : 0;
        }

        Require(rebuilt == rebuilding, now, $"{rebuilt} rebuilds under way but {rebuilding} crew members rebuild");
        for (int i = 0; i < crews.Queued; i++)
        {
            ref readonly var x = ref crews.At(i);
            if (i > 0)
            {
                ref readonly var before = ref crews.At(i - 1);
                Require(before.Priority < x.Priority || (before.Priority == x.Priority && (before.Arrival < x.Arrival || (before.Arrival == x.Arrival && before.Sequence < x.Sequence))), now,
                    $"crew queue out of order at place {i}");
            }

            Require(crews.FreeMember(x.Work, now) < 0 || crews.GrantDue(now), now, $"{x.Work} waits in the crew queue while a member able to do it is free");
            if (x.Work == CrewWork.Rebuild)
            {
                Require(_threats.Instances[x.Subject] is { Active: true, Rebuilt: false }, now, $"a rebuild of threat instance {x.Subject} is queued but the instance is not awaiting one");
            }
        }
    }

    private void CheckBandwidth(double now)
    {
        for (int s = 0; s < _model.Services.Length; s++)
        {
            ref readonly var st = ref _lifecycle.State(s);
            Require(!st.RestoreShared || st.Phase == ServicePhase.Restoring, now, $"service '{_model.Services[s].Name}' shares a restore throughput while {st.Phase}");
        }

        for (int p = 0; _shared is not null && p < _model.RestorePools.Length; p++)
        {
            var pool = _model.RestorePools[p];
            (double total, int count, bool withinOwn, double wanted) = _shared.Usage(p);
            Require(withinOwn && total <= pool.CapacityGbPerHour * (1 + 1e-9), now,
                $"the {count} restores reading from {pool.Place} get {total:R} GB/h of its {pool.CapacityGbPerHour:R}, or one gets more than its own throughput");
            Require(total >= Math.Min(pool.CapacityGbPerHour, wanted) * (1 - 1e-9), now,
                $"the {count} restores reading from {pool.Place} get {total:R} GB/h, though it has {pool.CapacityGbPerHour:R} and they could use {wanted:R}");
        }

        var links = _copies.Links;
        for (int d = 0; links is not null && d < _model.DataSets.Length; d++)
        {
            var set = _model.DataSets[d];
            var log = _copies.Log(d);
            for (int i = 0; i < set.Copies.Length; i++)
            {
                int g = links.Global(d, i);
                if (!links.Linked(g) || !(links.Seeding(g) || links.CatchingUp(g)))
                {
                    continue;
                }

                ref readonly var copy = ref _copies.Copy(d, i);
                var location = set.Copies[i].Location;
                bool receiving = links.CatchingUp(g) || links.SeedingNow(g);
                bool canReceive = _copies.Served(d) && !_copies.AtStandby(d) && links.ViaUp(g) && _estate.LocationUp(location) && !_estate.LocationDestroyed(location);
                Require(!receiving || canReceive, now, $"data set '{set.Name}': replica {i} receives over its link while it, its link or its source is down");
                Require(!links.Seeding(g) || !copy.Present, now, $"data set '{set.Name}': replica {i} holds data while it is being seeded");
                Require(!links.CatchingUp(g) || (copy.Present && !copy.Tracking && links.Content(g, log, now) <= log.Clock(now)), now,
                    $"data set '{set.Name}': replica {i} catching up over its link is empty, in sync, or ahead of the change clock");
            }
        }
    }

    private void Require(bool condition, double now, string what)
    {
        if (!condition)
        {
            throw new InvariantViolationException(_kernel.Trial, now, what);
        }
    }

    /// <summary>Sees every record and step of the trial, and passes them on.</summary>
    private sealed class Recorder : ITrialSink
    {
        public ITrialSink? Inner { get; set; }

        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public int Downs { get; private set; }

        public bool WantsTrace => true;

        public void Clear()
        {
            Incidents.Clear();
            Losses.Clear();
            Downs = 0;
        }

        public void OnIncident(in IncidentRecord incident)
        {
            Incidents.Add(incident);
            Inner?.OnIncident(incident);
        }

        public void OnDataLoss(in DataLossRecord loss)
        {
            Losses.Add(loss);
            Inner?.OnDataLoss(loss);
        }

        public void OnTrace(in TraceEvent step)
        {
            Downs += step.Kind == TraceKind.ServiceDown ? 1 : 0;
            if (Inner?.WantsTrace == true)
            {
                Inner.OnTrace(step);
            }
        }
    }
}

/// <summary>A simulated trial broke one of the model's invariants: an engine defect (checking mode only).</summary>
public sealed class InvariantViolationException(long trial, double hours, string what)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"invariant violated in trial {trial} at hour {hours:0.######}: {what}"))
{
    /// <summary>Gets the trial.</summary>
    public long Trial { get; } = trial;

    /// <summary>Gets the simulated time, hours.</summary>
    public double Hours { get; } = hours;
}
