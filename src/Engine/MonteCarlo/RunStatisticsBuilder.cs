using DisasterSim.Engine.Costs;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>
/// Computes a run's statistics chunk by chunk, in trial order, holding only each statistic's values (compactly, and within
/// the run's budget of exact values): a run of any length and any number of incidents fits in bounded memory.
/// </summary>
/// <remarks>
/// The statistics of a service: downtime per trial (unplanned, inside the horizon), downtime per unplanned incident (a threat's
/// or a component failure's), planned downtime per trial, and the RTO breaches; of a data set: hours and GB lost per trial and
/// per loss, the RPO breaches and total losses; of the run: the cost per trial. Each statistic may keep
/// <see cref="RunOptions.ExactValueBudget"/> / (number of statistics) stored values exactly; past that, its
/// percentiles come from a quantile sketch (see <see cref="ValueCollector"/>).
/// </remarks>
internal sealed class RunStatisticsBuilder : ITrialChunkConsumer
{
    private readonly Scenario _scenario;
    private readonly RunOptions _options;
    private readonly TrialPricing _pricing;
    private readonly ServiceAccumulator[] _services;
    private readonly DataSetAccumulator[] _dataSets;
    private readonly ValueCollector _costTotal;
    private readonly ValueCollector _costPenalties;
    private readonly ValueCollector _costProtection;
    private long _trials;

    public RunStatisticsBuilder(Scenario scenario, SimulationModel model, RunOptions options)
    {
        _scenario = scenario;
        _options = options;
        _pricing = CostModel.Pricing(scenario);
        long limit = options.ExactValueBudget / StatisticsOf(model.Services.Length, model.DataSets.Length);
        _services = [.. model.Services.Select(s => new ServiceAccumulator(s.Name, s.RtoHours, limit))];
        _dataSets = [.. model.DataSets.Select(d => new DataSetAccumulator(d.Name, d.RpoHours, limit))];
        _costTotal = new ValueCollector(limit);
        _costPenalties = new ValueCollector(limit);
        _costProtection = new ValueCollector(limit);
    }

    /// <summary>The number of statistics a run of <paramref name="services"/> services and <paramref name="dataSets"/> data sets keeps, among which the exact budget is shared.</summary>
    public static int StatisticsOf(int services, int dataSets) => (3 * services) + (4 * dataSets) + 3;

    public void Consume(TrialChunk chunk)
    {
        for (int row = 0; row < chunk.Count; row++)
        {
            var downtime = chunk.DowntimeRow(row);
            var planned = chunk.PlannedDowntimeRow(row);
            for (int s = 0; s < _services.Length; s++)
            {
                _services[s].PerTrial.Add(downtime[s]);
                _services[s].Planned.Add(planned[s]);
            }

            var hours = chunk.LossHoursRow(row);
            var gb = chunk.LossGbRow(row);
            for (int d = 0; d < _dataSets.Length; d++)
            {
                _dataSets[d].HoursPerTrial.Add(hours[d]);
                _dataSets[d].GbPerTrial.Add(gb[d]);
            }

            var cost = _pricing.Price(downtime, chunk.IncidentCountRow(row), hours, gb);
            _costTotal.Add(cost.Total);
            _costPenalties.Add(cost.Penalties);
            _costProtection.Add(cost.Protection);
        }

        foreach (ref readonly var x in chunk.Incidents)
        {
            if (x.CauseKind is CauseKind.Threat or CauseKind.ComponentFailure)
            {
                _services[x.Service].AddIncident(in x);
            }
        }

        foreach (ref readonly var x in chunk.Losses)
        {
            _dataSets[x.DataSet].AddLoss(in x);
        }

        _trials += chunk.Count;
    }

    /// <summary>Gets the names of the statistics whose values outgrew the exact budget (their percentiles are the sketch's).</summary>
    public IReadOnlyList<string> Sketched()
    {
        var names = new List<string>();
        foreach (var s in _services)
        {
            Add("service", s.Name, "downtime per trial", s.PerTrial);
            Add("service", s.Name, "downtime per incident", s.PerIncident);
            Add("service", s.Name, "planned downtime per trial", s.Planned);
        }

        foreach (var d in _dataSets)
        {
            Add("data", d.Name, "loss hours per trial", d.HoursPerTrial);
            Add("data", d.Name, "loss GB per trial", d.GbPerTrial);
            Add("data", d.Name, "loss hours per incident", d.HoursPerIncident);
            Add("data", d.Name, "loss GB per incident", d.GbPerIncident);
        }

        Add("cost", "total", "per trial", _costTotal);
        Add("cost", "penalties", "per trial", _costPenalties);
        Add("cost", "protection", "per trial", _costProtection);
        return names;

        void Add(string entity, string name, string what, ValueCollector values)
        {
            if (values.IsSketched)
            {
                names.Add($"{entity} {name}: {what}");
            }
        }
    }

    /// <summary>Gets the number of trials consumed so far.</summary>
    public long Trials => _trials;

    /// <summary>Builds the run's result once every chunk has been consumed.</summary>
    /// <param name="records">The rows and records, when the caller asked to keep them.</param>
    /// <param name="trials">The run's trial count when it was not known at the start (a run extended batch by batch); null for the options'.</param>
    public RunResult Build(RunRecords? records, long? trials = null)
    {
        var options = trials is long count ? _options with { Trials = count } : _options;
        if (_trials != options.Trials)
        {
            throw new InvalidOperationException($"The statistics saw {_trials} trials of the {options.Trials} run.");
        }

        return BuildSoFar(records);
    }

    /// <summary>Builds the result of the trials consumed so far, a run of that many trials from the options' first (a run whose length was decided as it went: precision, races).</summary>
    /// <param name="records">The rows and records, when the caller kept them.</param>
    public RunResult BuildSoFar(RunRecords? records = null)
    {
        var options = _options with { Trials = _trials };

        // The summaries are independent: computed side by side, each on its own values, so the result does not depend on it.
        var services = new ServiceStatistics[_services.Length];
        var dataSets = new DataSetStatistics[_dataSets.Length];
        CostStatistics? costs = null;
        var work = new List<Action>();
        for (int s = 0; s < _services.Length; s++)
        {
            int index = s;
            work.Add(() => services[index] = _services[index].Build(_trials));
        }

        for (int d = 0; d < _dataSets.Length; d++)
        {
            int index = d;
            work.Add(() => dataSets[index] = _dataSets[index].Build(_trials));
        }

        work.Add(() => costs = new CostStatistics(CostModel.Protection(_scenario), _costTotal.Summarize(), _costPenalties.Summarize(), _costProtection.Summarize()));
        Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Threads) }, [.. work]);
        return new RunResult(_scenario, options, services, dataSets, costs!)
        {
            Records = records,
            SketchedStatistics = Sketched(),
        };
    }

    /// <summary>Counts events (breaches, total losses) and the trials that had any; events come in trial order.</summary>
    private sealed class TrialCounter
    {
        private long _lastTrial = -1;

        public long Events { get; private set; }

        public long Trials { get; private set; }

        public void Add(long trial)
        {
            Events++;

            // Records come in trial order, so a trial's events are consecutive among the events.
            if (trial != _lastTrial)
            {
                Trials++;
                _lastTrial = trial;
            }
        }
    }

    private sealed class ServiceAccumulator(string name, double? rto, long limit)
    {
        private readonly TrialCounter _breaches = new();

        public string Name { get; } = name;

        public ValueCollector PerTrial { get; } = new(limit);

        public ValueCollector PerIncident { get; } = new(limit);

        public ValueCollector Planned { get; } = new(limit);

        public void AddIncident(in IncidentRecord x)
        {
            PerIncident.Add(x.DowntimeHours);
            if (x.DowntimeHours > (rto ?? double.PositiveInfinity))
            {
                _breaches.Add(x.Trial);
            }
        }

        public ServiceStatistics Build(long trials)
        {
            double incidentBreach = 0;
            double trialBreach = 0;
            if (rto is not null)
            {
                incidentBreach = PerIncident.Count == 0 ? 0 : _breaches.Events / (double)PerIncident.Count;
                trialBreach = _breaches.Trials / (double)trials;
            }

            return new ServiceStatistics(Name, rto, PerTrial.Summarize(), PerIncident.Summarize(), incidentBreach, trialBreach)
            {
                PlannedDowntimePerTrial = Planned.Summarize(),
            };
        }
    }

    private sealed class DataSetAccumulator(string name, double? rpo, long limit)
    {
        private readonly TrialCounter _breaches = new();
        private readonly TrialCounter _totalLosses = new();

        public string Name { get; } = name;

        public ValueCollector HoursPerTrial { get; } = new(limit);

        public ValueCollector GbPerTrial { get; } = new(limit);

        public ValueCollector HoursPerIncident { get; } = new(limit);

        public ValueCollector GbPerIncident { get; } = new(limit);

        public void AddLoss(in DataLossRecord x)
        {
            HoursPerIncident.Add(x.LossHours);
            GbPerIncident.Add(x.LossGb);
            if (rpo is double limitHours && (x.TotalLoss || x.LossHours > limitHours))
            {
                _breaches.Add(x.Trial);
            }

            if (x.TotalLoss)
            {
                _totalLosses.Add(x.Trial);
            }
        }

        public DataSetStatistics Build(long trials)
        {
            double incidentBreach = 0;
            double trialBreach = 0;
            if (rpo is not null)
            {
                incidentBreach = HoursPerIncident.Count == 0 ? 0 : _breaches.Events / (double)HoursPerIncident.Count;
                trialBreach = _breaches.Trials / (double)trials;
            }

            return new DataSetStatistics(
                Name,
                rpo,
                HoursPerTrial.Summarize(),
                GbPerTrial.Summarize(),
                HoursPerIncident.Summarize(),
                GbPerIncident.Summarize(),
                incidentBreach,
                trialBreach,
                _totalLosses.Trials / (double)trials);
        }
    }
}
