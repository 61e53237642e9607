using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Components' own failure processes: each fails after a time to failure and is repaired (or, with
/// <c>effect: destroyed</c>, replaced) after a time to repair, again and again. These are most of a trial's events.
/// </summary>
internal sealed class FailureProcesses
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly Info[] _info;
    private readonly Streams[] _rng;
    private readonly ComponentState[] _components;
    private readonly EventQueue _queue;

    public FailureProcesses(TrialKernel kernel, Estate estate)
    {
        _kernel = kernel;
        _estate = estate;
        _info = [.. kernel.Model.Components.Select(c => new Info(c))];
        _rng = new Streams[_info.Length];
        _components = estate.Components;
        _queue = kernel.Queue;
    }

    /// <summary>Schedules every failing component's first failure.</summary>
    public void Reset()
    {
        for (int c = 0; c < _info.Length; c++)
        {
            ref readonly var info = ref _info[c];

            // The failure stream is drawn from at once, and the repair stream in nearly every trial of a component that
            // fails often enough to matter: both are seeded at the start.
            if (info.Fails)
            {
                ref var rng = ref _rng[c];
                rng.Failure = _kernel.StreamOf(info.FailureStream);
                rng.Repair = _kernel.StreamOf(info.RepairStream);
                _kernel.PushBeforeHorizon(info.TimeToFailure.Sample(ref rng.Failure), EventKind.ComponentFailure, c);
            }
        }
    }

    /// <summary>Component <paramref name="c"/> fails by itself.</summary>
    /// <returns>Whether something that services or data depend on changed.</returns>
    public bool OnFailure(int c, double now)
    {
        ref readonly var info = ref _info[c];
        ref var state = ref _components[c];
        state.OwnDown = true;
        state.OwnSilent = info.SilentProbability > 0 && _kernel.Draw(ref state.SideRng).NextDouble() < info.SilentProbability;
        if (info.Destroys)
        {
            _estate.AddDestroyed(c, +1, now);
        }

        double repair = info.TimeToRepair.Sample(ref _rng[c].Repair);
        state.OwnEndsAt = now + repair;
        _kernel.Trace(now, TraceKind.ComponentFailed, c, state.OwnSilent ? 1 : 0, repair);
        _queue.Push(now + repair, EventKind.ComponentRepair, c);
        return _estate.UpdateAfterOwnChange(c, now);
    }

    /// <summary>Component <paramref name="c"/>'s own failure is repaired; its next failure is scheduled.</summary>
    /// <returns>Whether something that services or data depend on changed.</returns>
    public bool OnRepair(int c, double now)
    {
        ref readonly var info = ref _info[c];
        ref var state = ref _components[c];
        state.OwnDown = false;
        _kernel.Trace(now, TraceKind.ComponentRepaired, c);
        if (info.Destroys)
        {
            _estate.AddDestroyed(c, -1, now);
        }

        _kernel.PushBeforeHorizon(now + info.TimeToFailure.Sample(ref _rng[c].Failure), EventKind.ComponentFailure, c);
        return _estate.UpdateAfterOwnChange(c, now);
    }

    /// <summary>A component's failure and repair streams, side by side.</summary>
    private struct Streams
    {
        public Xoshiro256StarStar Failure;
        public Xoshiro256StarStar Repair;
    }

    /// <summary>A component's failure process, gathered from the model.</summary>
    private readonly struct Info(CompiledComponent component)
    {
        public readonly Sampler TimeToFailure = component.TimeToFailure ?? default;
        public readonly Sampler TimeToRepair = component.TimeToRepair ?? default;
        public readonly double SilentProbability = component.SilentProbability;

        /// <summary>Whether it fails by itself (has a failure process).</summary>
        public readonly bool Fails = component.TimeToFailure is not null;

        /// <summary>Whether its own failures destroy it.</summary>
        public readonly bool Destroys = component.FailureEffect == Effect.Destroyed;
        public readonly ulong FailureStream = component.FailureStream;
        public readonly ulong RepairStream = component.RepairStream;
    }
}
