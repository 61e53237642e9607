namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Incident records and the trial's totals. An incident of a service is a maximal period during which it does not run. Its
/// hours are split as they pass: an hour during which planned work holds the service (a maintenance window on what its
/// primary needs, or a planned failback) is planned, every other hour unplanned, so planned hours stay planned when an
/// unplanned outage merges with them. The trial's totals count only the part inside the horizon; the record counts all.
/// </summary>
internal sealed class Incidents
{
    private readonly TrialKernel _kernel;
    private readonly SimulationModel _model;
    private readonly Open[] _open;
    private readonly int[] _windowHolds;
    private readonly bool[] _failingBack;
    private readonly DataLoss[] _losses;
    private readonly double[] _downtime;
    private readonly double[] _planned;
    private readonly int[] _incidents;
    private readonly double[] _lossHours;
    private readonly double[] _lossGb;

    /// <summary>Per service, the services it requires, and those that require it (directly or not); null when no service requires another.</summary>
    private readonly int[][]? _requires;
    private readonly int[][]? _dependents;

    /// <summary>The data sets of every service, service after service: service s's from <see cref="_dataStart"/>[s].</summary>
    private readonly int[] _dataSets;
    private readonly int[] _dataStart;

    public Incidents(TrialKernel kernel)
    {
        _kernel = kernel;
        _model = kernel.Model;
        int services = _model.Services.Length;
        int dataSets = _model.DataSets.Length;
        _open = new Open[services];
        _windowHolds = new int[services];
        _failingBack = new bool[services];
        _losses = new DataLoss[dataSets];
        _downtime = new double[services];
        _planned = new double[services];
        _incidents = new int[services];
        _lossHours = new double[dataSets];
        _lossGb = new double[dataSets];
        _dataStart = new int[services + 1];
        for (int s = 0; s < services; s++)
        {
            _dataStart[s + 1] = _dataStart[s] + _model.ServiceDataSets[s].Length;
        }

        _dataSets = [.. _model.ServiceDataSets.SelectMany(d => d)];
        if (_model.Graph.HasRequirements)
        {
            _requires = [.. _model.Graph.Requires.Select(r => r.ToArray())];
            _dependents = [.. _model.Graph.DependentsClosure.Select(d => d.ToArray())];
        }
    }

    /// <summary>Gets how many incidents are open.</summary>
    public int OpenCount { get; private set; }

    /// <summary>Gets each service's unplanned downtime inside the horizon, hours.</summary>
    public ReadOnlySpan<double> Downtime => _downtime;

    /// <summary>Gets each service's planned downtime inside the horizon, hours.</summary>
    public ReadOnlySpan<double> Planned => _planned;

    /// <summary>Gets each service's number of incidents with unplanned hours.</summary>
    public ReadOnlySpan<int> Count => _incidents;

    /// <summary>Gets each data set's hours of changes lost.</summary>
    public ReadOnlySpan<double> LossHours => _lossHours;

    /// <summary>Gets each data set's GB lost.</summary>
    public ReadOnlySpan<double> LossGb => _lossGb;

    public void Reset()
    {
        OpenCount = 0;
        Array.Clear(_open);
        Array.Clear(_windowHolds);
        Array.Clear(_failingBack);
        Array.Clear(_downtime);
        Array.Clear(_planned);
        Array.Clear(_incidents);
        if (_lossHours.Length > 0)
        {
            // An incident clears its data sets' losses when it opens.
            Array.Clear(_lossHours);
            Array.Clear(_lossGb);
        }
    }

    /// <summary>
    /// Gets whether planned work holds service <paramref name="s"/> now: a window on what its primary needs, its planned
    /// failback, or planned work holding a service it requires that does not run.
    /// </summary>
    public bool HeldByPlannedWork(int s) => _windowHolds[s] > 0 || _failingBack[s] || (_requires is not null && HeldThroughServices(s));

    /// <summary>Gets whether service <paramref name="s"/> is down: an incident of it is open.</summary>
    public bool IsDown(int s) => _open[s].IsOpen;

    /// <summary>Gets whether a maintenance window holds service <paramref name="s"/>'s primary now.</summary>
    public bool InMaintenanceWindow(int s) => _windowHolds[s] > 0;

    /// <summary>Gets when service <paramref name="s"/>'s open incident started.</summary>
    public double StartOf(int s) => _open[s].Start;

    /// <summary>A maintenance window of threat <paramref name="t"/> opens (+1) or closes (−1) on the services it holds.</summary>
    public void WindowChanged(int t, int delta, double now)
    {
        foreach (int s in _model.Threats[t].PlannedFor)
        {
            Accrue(s, now);
            AccrueDependents(s, now);
            _windowHolds[s] += delta;
        }
    }

    /// <summary>A planned failback of service <paramref name="s"/> starts or ends.</summary>
    public void FailingBack(int s, bool failingBack, double now)
    {
        Accrue(s, now);
        AccrueDependents(s, now);
        _failingBack[s] = failingBack;
    }

    /// <summary>Service <paramref name="s"/> stops running: an incident opens.</summary>
    public void Begin(int s, double now)
    {
        AccrueDependents(s, now);
        _open[s] = new Open { IsOpen = true, Start = now, SegmentStart = now };
        OpenCount++;
        if (_dataStart[s + 1] > _dataStart[s])
        {
            foreach (int d in DataSetsOf(s))
            {
                _losses[d] = default;
            }
        }
    }

    /// <summary>A recovery of data set <paramref name="d"/> in the open incident lost <paramref name="loss"/>.</summary>
    public void Recovered(int d, in Loss loss)
    {
        ref var x = ref _losses[d];
        x.Recovered = true;
        x.Hours += loss.Hours;
        x.Gb += loss.Gb;
        x.Total |= loss.Total;
    }

    /// <summary>Service <paramref name="s"/> runs again (or is given up at the follow-up's end): the incident closes and is recorded.</summary>
    public void End(int s, double now, in ServiceState st, IncidentAction action)
    {
        Accrue(s, now);
        AccrueDependents(s, now);
        ref var open = ref _open[s];
        open.IsOpen = false;
        OpenCount--;
        double downtime = now - open.Start;
        _downtime[s] += open.UnplannedInHorizon;
        _planned[s] += open.PlannedInHorizon;

        double lossHours = 0;
        double lossGb = 0;
        bool total = false;
        foreach (int d in _dataStart[s + 1] > _dataStart[s] ? DataSetsOf(s) : [])
        {
            ref readonly var loss = ref _losses[d];
            if (!loss.Recovered)
            {
                continue;
            }

            lossHours = Math.Max(lossHours, loss.Hours);
            lossGb += loss.Gb;
            total |= loss.Total;
            _lossHours[d] += loss.Hours;
            _lossGb[d] += loss.Gb;
            _kernel.Sink?.OnDataLoss(new DataLossRecord(_kernel.Trial, d, open.Start, loss.Hours, loss.Gb, loss.Total));
        }

        var record = new IncidentRecord(
            _kernel.Trial, s, open.Start, st.Cause.Kind, st.Cause.Index, st.Detected, st.DetectionDelay, action, downtime, lossHours, lossGb, total, open.Planned);
        if (!record.IsPlanned)
        {
            _incidents[s]++;
        }

        _kernel.Trace(now, TraceKind.ServiceUp, s, (int)action, downtime);
        _kernel.Sink?.OnIncident(in record);
    }

    private bool HeldThroughServices(int s)
    {
        foreach (int r in _requires![s])
        {
            if (_open[r].IsOpen && HeldByPlannedWork(r))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Before whether planned work holds service <paramref name="s"/> may change: the services that require it close their
    /// open hours as they were, since planned work on what they require holds them too.
    /// </summary>
    private void AccrueDependents(int s, double now)
    {
        if (_dependents is null)
        {
            return;
        }

        foreach (int d in _dependents[s])
        {
            Accrue(d, now);
        }
    }

    private ReadOnlySpan<int> DataSetsOf(int s) => _dataSets.AsSpan(_dataStart[s], _dataStart[s + 1] - _dataStart[s]);

    /// <summary>Adds the time since the last change to the open incident's planned or unplanned hours.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Accrue(int s, double now)
    {
        ref var open = ref _open[s];
        if (!open.IsOpen)
        {
            return;
        }

        double hours = now - open.SegmentStart;
        double inHorizon = Math.Max(0, Math.Min(now, _kernel.Horizon) - open.SegmentStart);
        if (HeldByPlannedWork(s))
        {
            open.Planned += hours;
            open.PlannedInHorizon += inHorizon;
        }
        else
        {
            open.Unplanned += hours;
            open.UnplannedInHorizon += inHorizon;
        }

        open.SegmentStart = now;
    }

    private struct Open
    {
        public bool IsOpen;
        public double Start;
        public double SegmentStart;
        public double Planned;
        public double Unplanned;
        public double PlannedInHorizon;
        public double UnplannedInHorizon;
    }

    private struct DataLoss
    {
        public bool Recovered;
        public bool Total;
        public double Hours;
        public double Gb;
    }
}
