using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Components' own failure processes: each fails after a time to failure and is repaired (or, with
/// <c>effect: destroyed</c>, replaced) after a time to repair, again and again. These are most of a trial's events.
/// </summary>
/// <remarks>
/// A component whose failure rate a threat's aftermath can raise (<see cref="CompiledComponent.Stressable"/>) fails on an
/// accelerated age: its time to failure is drawn as usual, as an age, and its age runs <see cref="AgeRate"/> times as fast
/// as the clock (see <see cref="RaisedRates"/>). Its failures are events of their own kind, versioned, so that a change of
/// rate reschedules them; every other component's failures are scheduled exactly as without any aftermath.
/// </remarks>
internal sealed class FailureProcesses
{
    private readonly TrialKernel _kernel;
    private readonly Estate _estate;
    private readonly Info[] _info;
    private readonly Streams[] _rng;
    private readonly ComponentState[] _components;
    private readonly EventQueue _queue;

    /// <summary>Per stressable component: when its pending failure falls (meaningful while it is up), its age rate, and the version of its failure event.</summary>
    private readonly Aging[] _aging;

    public FailureProcesses(TrialKernel kernel, Estate estate)
    {
        _kernel = kernel;
        _estate = estate;
        _info = [.. kernel.Model.Components.Select(c => new Info(c))];
        _rng = new Streams[_info.Length];
        _components = estate.Components;
        _queue = kernel.Queue;
        _aging = new Aging[kernel.Model.Components.Any(c => c.Stressable) ? _info.Length : 0];
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
                if (info.Stressable)
                {
                    _aging[c] = new Aging { Rate = 1 };
                    ScheduleAged(c, info.TimeToFailure.Sample(ref rng.Failure));
                }
                else
                {
                    _kernel.PushBeforeHorizon(info.TimeToFailure.Sample(ref rng.Failure), EventKind.ComponentFailure, c);
                }
            }
        }
    }

    /// <summary>Gets how many times as fast as the clock stressable component <paramref name="c"/> ages now.</summary>
    public double AgeRate(int c) => _aging[c].Rate;

    /// <summary>Gets whether a failure event of stressable component <paramref name="c"/> is still the one scheduled (not moved by a change of rate).</summary>
    public bool IsCurrent(int c, int version) => _aging[c].Version == version;

    /// <summary>
    /// Stressable component <paramref name="c"/> now ages <paramref name="rate"/> times as fast as the clock. A pending
    /// failure keeps the age it still has to run, which now passes at the new rate: it moves to now + age left ÷ rate.
    /// </summary>
    public void SetAgeRate(int c, double rate, double now)
    {
        ref var aging = ref _aging[c];
        if (aging.Rate == rate)
        {
            return;
        }

        double ageLeft = (aging.FailsAt - now) * aging.Rate;
        aging.Rate = rate;
        // A failure that fell past the horizon was never scheduled; past the horizon (follow-up) nothing new starts.
        if (!_components[c].OwnDown && ageLeft >= 0 && !double.IsPositiveInfinity(ageLeft))
        {
            ScheduleAged(c, now + (ageLeft / rate));
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

        if (info.Stressable)
        {
            ScheduleAged(c, now + (info.TimeToFailure.Sample(ref _rng[c].Failure) / _aging[c].Rate));
        }
        else
        {
            _kernel.PushBeforeHorizon(now + info.TimeToFailure.Sample(ref _rng[c].Failure), EventKind.ComponentFailure, c);
        }

        return _estate.UpdateAfterOwnChange(c, now);
    }

    /// <summary>Schedules stressable component <paramref name="c"/>'s failure at <paramref name="at"/>, superseding any earlier one.</summary>
    private void ScheduleAged(int c, double at)
    {
        ref var aging = ref _aging[c];
        aging.FailsAt = at;
        aging.Version++;
        _kernel.PushBeforeHorizon(at, EventKind.AgedFailure, c, aging.Version);
    }

    /// <summary>The pending failure of a stressable component, on its accelerated age.</summary>
    private struct Aging
    {
        public double FailsAt;
        public double Rate;
        public int Version;
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

        /// <summary>Whether a threat's aftermath can raise its failure rate.</summary>
        public readonly bool Stressable = component.Stressable && component.TimeToFailure is not null;
        public readonly ulong FailureStream = component.FailureStream;
        public readonly ulong RepairStream = component.RepairStream;
    }
}
