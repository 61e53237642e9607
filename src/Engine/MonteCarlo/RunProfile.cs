using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>
/// What the trials of a scenario cost, measured on a few of them (pilot trials) before a run: time, events, incident and
/// data-loss records per trial, and the memory of the compiled model and of one simulator. <see cref="Estimate"/> turns it
/// into the time and memory of a whole run, so that a run too large for the machine is refused before it starts.
/// </summary>
/// <param name="Trials">Pilot trials measured. Range: ≥ 1.</param>
/// <param name="SecondsPerTrial">Wall-clock seconds a trial took on one thread, after a first trial of warm-up (when there was time for more).</param>
/// <param name="EventsPerTrial">Events a trial processed, on average.</param>
/// <param name="IncidentsPerTrial">Incident records a trial produced, on average.</param>
/// <param name="LossesPerTrial">Data-loss records a trial produced, on average.</param>
/// <param name="FirstTrialRecords">Incident and data-loss records of the run's first trial alone: what <see cref="ChunkTrials"/> is sized on, the same on every machine.</param>
/// <param name="ModelBytes">Bytes the compiled scenario holds (measured after a full collection, so other threads' work blurs it).</param>
/// <param name="SimulatorBytes">Bytes one simulator holds after its first trial (each worker thread has one).</param>
/// <param name="Services">Services of the scenario.</param>
/// <param name="DataSets">Data sets of the scenario.</param>
public sealed record RunProfile(
    int Trials,
    double SecondsPerTrial,
    double EventsPerTrial,
    double IncidentsPerTrial,
    double LossesPerTrial,
    long FirstTrialRecords,
    long ModelBytes,
    long SimulatorBytes,
    int Services,
    int DataSets)
{
    /// <summary>The most pilot trials run.</summary>
    public const int MaxPilotTrials = 256;

    /// <summary>How long the pilot trials may take after the first one (which always runs to its end).</summary>
    public static readonly TimeSpan PilotBudget = TimeSpan.FromMilliseconds(250);

    /// <summary>The records a chunk is sized to hold at most, about 64 MB of incidents: a chunk of 1,024 trials of a hundred thousand incidents each would hold 6.5 GB.</summary>
    public const long RecordsPerChunk = 1 << 20;

    // A List<T> grows by doubling: a chunk's record lists hold up to twice their records.
    private const double ListSlack = 2;

    /// <summary>Runs pilot trials of <paramref name="scenario"/> from <paramref name="firstTrial"/>, at most <see cref="MaxPilotTrials"/> of them (and no more than the run has) and, after the first, for at most <see cref="PilotBudget"/>.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="seed">The run's seed: the pilot trials are the run's first trials, so the counts are the same on every machine.</param>
    /// <param name="firstTrial">The run's first trial.</param>
    /// <param name="trials">The run's trials: the pilot runs no more of them.</param>
    /// <param name="cancellationToken">Checked between trials.</param>
    public static RunProfile Measure(Scenario scenario, ulong seed, long firstTrial, long trials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        // What stays allocated, after a full collection: compiling allocates far more than the model keeps.
        long held = GC.GetTotalMemory(forceFullCollection: true);
        var model = SimulationModel.Compile(scenario);
        long modelBytes = Math.Max(0, GC.GetTotalMemory(forceFullCollection: true) - held);
        held = GC.GetTotalMemory(forceFullCollection: false);
        var simulator = new TrialSimulator(model, seed);
        var counter = new CountingSink();
        var watch = Stopwatch.StartNew();
        simulator.Run(firstTrial, counter);
        double first = watch.Elapsed.TotalSeconds;
        long firstRecords = counter.Incidents + counter.Losses;
        long simulatorBytes = Math.Max(0, GC.GetTotalMemory(forceFullCollection: true) - held);
        long events = simulator.EventCount;
        int run = 1;
        long limit = Math.Min(trials, MaxPilotTrials);
        watch.Restart();
        while (run < limit && watch.Elapsed < PilotBudget)
        {
            cancellationToken.ThrowIfCancellationRequested();
            simulator.Run(firstTrial + run, counter);
            events += simulator.EventCount;
            run++;
        }

        // The first trial pays for compiling the code it runs; the others show what a trial costs once it is compiled.
        double seconds = run > 1 ? watch.Elapsed.TotalSeconds / (run - 1) : first;
        return new RunProfile(run, seconds, events / (double)run, counter.Incidents / (double)run, counter.Losses / (double)run, firstRecords, modelBytes, simulatorBytes, scenario.Services.Length, scenario.DataSets.Length);
    }

    /// <summary>
    /// Gets the trials per chunk that keep a chunk's records under <see cref="RecordsPerChunk"/>: a power of two up to
    /// <see cref="MonteCarloRunner.ChunkSize"/>, sized on the first trial alone so that a resumed run chunks its trials as the
    /// interrupted one did. Results do not depend on it.
    /// </summary>
    public int ChunkTrials => FirstTrialRecords <= RecordsPerChunk / MonteCarloRunner.ChunkSize
        ? MonteCarloRunner.ChunkSize
        : RecordsPerChunk / FirstTrialRecords is var fit and > 0 ? 1 << BitOperations.Log2((ulong)fit) : 1;

    /// <summary>Estimates a run of <paramref name="options"/> from this profile.</summary>
    /// <param name="options">Trials, threads and the statistics' exact budget.</param>
    /// <param name="keepRecords">Whether the run keeps every row and record in memory (compare, sweep and batch do; run does not).</param>
    public RunEstimate Estimate(RunOptions options, bool keepRecords)
    {
        ArgumentNullException.ThrowIfNull(options);
        long chunks = (options.Trials + options.ChunkTrials - 1) / options.ChunkTrials;
        int threads = (int)Math.Max(1, Math.Min(Math.Min(options.Threads, Environment.ProcessorCount), chunks));
        int inFlight = options.Threads == 1 || chunks == 1 ? 1 : ChunkPipeline.BuffersPerThread * (int)Math.Min(options.Threads, chunks);
        double rowBytes = (Services * ((2.0 * sizeof(double)) + sizeof(int))) + (DataSets * 2.0 * sizeof(double));
        double recordBytes = (IncidentsPerTrial * Unsafe.SizeOf<IncidentRecord>()) + (LossesPerTrial * Unsafe.SizeOf<DataLossRecord>());
        double chunkTrials = Math.Min(options.ChunkTrials, options.Trials);
        double chunkBytes = chunkTrials * (rowBytes + (recordBytes * ListSlack));

        // Every statistic's values are kept up to the exact budget (8 bytes each), zeros included at worst; a sketch then.
        double values = options.Trials * ((2.0 * Services) + (2.0 * DataSets) + 3 + IncidentsPerTrial + (2 * LossesPerTrial));
        double statisticsBytes = 8 * Math.Min(values, options.ExactValueBudget);
        double keptBytes = keepRecords ? options.Trials * (rowBytes + (recordBytes * ListSlack)) : 0;
        double bytes = ModelBytes + (SimulatorBytes * (double)Math.Min(options.Threads, chunks)) + (inFlight * chunkBytes) + statisticsBytes + keptBytes;
        return new RunEstimate(options.Trials * SecondsPerTrial / threads, bytes, options.Trials * IncidentsPerTrial);
    }

    /// <summary>Counts the records of the pilot trials without keeping them.</summary>
    private sealed class CountingSink : ITrialSink
    {
        public long Incidents { get; private set; }

        public long Losses { get; private set; }

        public void OnIncident(in IncidentRecord incident) => Incidents++;

        public void OnDataLoss(in DataLossRecord loss) => Losses++;
    }
}

/// <summary>The estimated cost of a run.</summary>
/// <param name="Seconds">Wall-clock seconds, if the threads scale.</param>
/// <param name="Bytes">Peak memory, bytes: the model, one simulator per thread, the chunks in flight, the statistics, and the kept records if any.</param>
/// <param name="Incidents">Incident records the run produces (the rows of incidents.csv).</param>
public sealed record RunEstimate(double Seconds, double Bytes, double Incidents);
