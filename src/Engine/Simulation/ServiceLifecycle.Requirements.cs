using System.Runtime.CompilerServices;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Services that require services (<c>requires_services</c>): a service runs, wherever it runs, only while every service
/// it requires runs. Services are evaluated after the services they require, so one pass settles a change; a service that
/// starts or stops running outside such a pass (a failover completes, a restore ends, a planned failback starts) has the
/// services that require it evaluated again before the next event. A service stopped only by a required service is an
/// incident of its own, named by that service's cause; no failover helps it (it needs the same service at its standby).
/// </summary>
internal sealed partial class ServiceLifecycle
{
    /// <summary>Per service, the services it requires; null when no service requires another.</summary>
    private readonly int[][]? _requires;

    /// <summary>Per service, whether some service requires it.</summary>
    private readonly bool[]? _hasDependents;

    /// <summary>The services, each after those it requires; null when no service requires another.</summary>
    private readonly int[]? _order;

    private readonly DegradedHours? _degraded;

    /// <summary>Whether a service that others require started or stopped running since they were last evaluated.</summary>
    private bool _dependentsPending;

    /// <summary>Gets whether every service that service <paramref name="s"/> requires runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool RequiredServicesRun(int s) => _requires is null || FirstStopped(s) < 0;

    /// <summary>
    /// Gets whether service <paramref name="s"/>, down, waits only for services it requires: its own primary (or standby,
    /// where its data lives) is ready. No failover or restore helps it then.
    /// </summary>
    public bool WaitsOnlyForServices(int s) => _requires is not null && FirstStopped(s) >= 0 && OwnReady(s);

    /// <summary>
    /// When some service that others require started or stopped running since they were evaluated, evaluates the services
    /// that require others, in order, until nothing changes. The stopped ones are named by the cause of what they require.
    /// </summary>
    public void SettleDependents(double now)
    {
        while (_dependentsPending)
        {
            _dependentsPending = false;
            foreach (int s in _order!)
            {
                if (_requires![s].Length > 0)
                {
                    int stopped = FirstStopped(s);
                    Evaluate(s, now, stopped >= 0 ? _services[stopped].Cause : _services[s].Cause);
                }
            }
        }
    }

    /// <summary>Every service, each after the services it requires, so that one pass settles a change.</summary>
    private int EvaluateInOrder(double now, in Cause cause)
    {
        int down = 0;
        foreach (int s in _order!)
        {
            down += Evaluate(s, now, cause) ? 1 : 0;
        }

        return down;
    }

    /// <summary>The first service that <paramref name="s"/> requires and that does not run; −1 when all run.</summary>
    private int FirstStopped(int s)
    {
        foreach (int r in _requires![s])
        {
            if (!_services[r].Running)
            {
                return r;
            }
        }

        return -1;
    }

    /// <summary>Whether service <paramref name="s"/>'s own place is ready: its primary, or its standby where its data lives.</summary>
    private bool OwnReady(int s) => _services[s].AtStandby ? OwnReadyAtStandby(s) : OwnReadyAtPrimary(s);

    /// <summary>
    /// Why service <paramref name="s"/> stops: when its own place is ready and only a required service does not run, that
    /// service's cause (the root cause of a chain: the incident of the DNS names the failed resolver, and so does mail's);
    /// otherwise <paramref name="cause"/>.
    /// </summary>
    private Cause CauseOfStop(int s, in Cause cause)
    {
        int stopped = FirstStopped(s);
        return stopped >= 0 && OwnReady(s) ? _services[stopped].Cause : cause;
    }

    /// <summary>Notes whether down service <paramref name="s"/> waits only for a service it requires, and traces when it starts to.</summary>
    private void NoteHeldByServices(int s, double now)
    {
        ref var st = ref _services[s];
        int stopped = FirstStopped(s);
        bool held = stopped >= 0 && OwnReady(s);
        if (held && !st.HeldByServices)
        {
            _kernel.Trace(now, TraceKind.WaitingForService, s, stopped, st.AtStandby ? 1 : 0);
        }

        st.HeldByServices = held;
    }
}
