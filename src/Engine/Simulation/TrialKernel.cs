using System.Runtime.CompilerServices;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// What every mechanism of a trial shares: the model, the event queue, the trial's random streams and the sink that
/// receives records and trace steps. One per simulator; reused across trials.
/// </summary>
internal sealed class TrialKernel(SimulationModel model, ulong seed)
{
    /// <summary>How long incidents still open at the horizon are followed before they are reported unresolved.</summary>
    public const double FollowUpHours = 5 * SimulationSettings.HoursPerYear;

    private ulong _trialKey;

    /// <summary>How many trials this kernel has started: a lazily seeded stream seeded in an earlier one is stale.</summary>
    private long _run;

    /// <summary>Gets the model.</summary>
    public SimulationModel Model { get; } = model;

    /// <summary>Gets the event queue.</summary>
    public EventQueue Queue { get; } = new();

    /// <summary>Gets the horizon of a trial, hours.</summary>
    public double Horizon { get; } = model.HorizonHours;

    /// <summary>Gets the end of the follow-up after the horizon, hours.</summary>
    public double FollowUpEnd { get; } = model.HorizonHours + FollowUpHours;

    /// <summary>Gets the current trial's index.</summary>
    public long Trial { get; private set; }

    /// <summary>Gets the current trial's sink.</summary>
    public ITrialSink? Sink { get; private set; }

    /// <summary>Gets whether the sink wants every step.</summary>
    public bool Tracing { get; private set; }

    /// <summary>Starts trial <paramref name="trial"/>: its streams, an empty queue.</summary>
    public void Begin(long trial, ITrialSink? sink)
    {
        Trial = trial;
        _trialKey = RandomStreams.TrialKey(seed, trial);
        _run++;
        Sink = sink;
        Tracing = sink?.WantsTrace == true;
        Queue.Clear();
    }

    /// <summary>The stream of source <paramref name="key"/> in the current trial, seeded now.</summary>
    public Xoshiro256StarStar StreamOf(ulong key) => RandomStreams.ForTrial(_trialKey, key);

    /// <summary>
    /// A uniform in [0, 1) that is a function of the trial, a source and an index alone: the fate of the
    /// <paramref name="index"/>-th of many like things (a backup job) without an event or a stream per thing.
    /// </summary>
    public double Uniform(ulong key, long index) =>
        (SplitMix64.Mix(SplitMix64.Mix(_trialKey ^ key) ^ unchecked((ulong)index)) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A 64-bit hash of source <paramref name="key"/> and <paramref name="index"/> in the current trial: a draw without a stream or an event.</summary>
    public ulong Hash(ulong key, ulong index) => SplitMix64.Mix(RandomStreams.ForTrialSeed(_trialKey, key) ^ index);

    /// <summary>Samples <paramref name="sampler"/> from a lazily seeded stream, seeding it only if the sampler draws.</summary>
    /// <remarks>A fixed value draws nothing and never moves its stream (see <see cref="Sampler"/>): the stream need not be seeded for it.</remarks>
    public double Sample(in Sampler sampler, ref LazyStream stream) =>
        sampler.Kind == DistributionKind.Fixed ? sampler.Sample(ref stream.Rng) : sampler.Sample(ref Draw(ref stream));

    /// <summary>The stream, seeded for the current trial if this is its first draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Xoshiro256StarStar Draw(ref LazyStream stream)
    {
        if (stream.SeededIn != _run)
        {
            Seed(ref stream);
        }

        return ref stream.Rng;
    }

    /// <summary>Schedules an event that starts something new (a failure, an arrival) only when it falls inside the horizon.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushBeforeHorizon(double time, EventKind kind, int target, int arg = 0)
    {
        if (time < Horizon)
        {
            Queue.Push(time, kind, target, arg);
        }
    }

    /// <summary>Records a step of the trial when the sink wants them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Trace(double time, TraceKind kind, int subject, int detail = 0, double value = 0, double value2 = 0)
    {
        if (Tracing)
        {
            TraceStep(time, kind, subject, detail, value, value2);
        }
    }

    /// <summary>Out of line, so that the inlined <see cref="Trace"/> costs an untraced run one test and no record.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TraceStep(double time, TraceKind kind, int subject, int detail, double value, double value2) =>
        Sink!.OnTrace(new TraceEvent(time, kind, subject, detail, value, value2));

    /// <summary>Out of line: once per stream and trial at most, so that a draw costs one test.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Seed(ref LazyStream stream)
    {
        stream.Rng = RandomStreams.ForTrial(_trialKey, stream.Key);
        stream.SeededIn = _run;
    }
}

/// <summary>A random stream seeded at its first draw in a trial rather than at the trial's start.</summary>
/// <remarks>
/// The draws are the same either way, a stream being a function of the master seed, the trial and its source;
/// but most of a trial's streams are never drawn from (a threat's durations without an arrival, a service's
/// failover without an incident, a monitor's delays, a component's silent failures and generator starts), and
/// seeding them all was most of the cost of starting a small trial.
/// </remarks>
internal struct LazyStream(ulong key)
{
    public readonly ulong Key = key;

    /// <summary>The kernel run it was seeded in; 0 for none.</summary>
    public long SeededIn;
    public Xoshiro256StarStar Rng;
}
