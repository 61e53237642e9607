using System.Collections.Immutable;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Standby sites with a bounded number of places (<c>sites[].capacity</c>): a service takes a place when its failover (or
/// planned switchover) to the site starts, and holds it while its data lives there (running, down, restoring, failing back)
/// or a restore there after the failover is under way; it gives it back when it fails back, goes home, or abandons the
/// move. A service that finds the site full waits in line, by <c>priority</c> (lower first), then by when it asked, then
/// in scenario order. Places are handed out once every event of the moment is done, so that services that ask at the same
/// moment are served by priority. Priority is the recovery order of the DR plan: a place is kept for every service of a
/// higher priority (a lower number) that is down and will move to the site (it can fail over there and the standby works)
/// but has not asked yet (its detection, or a manual failover's wait, is still running), so that a service of lower
/// priority does not take it first.
/// </summary>
internal sealed class StandbySites
{
    private readonly TrialKernel _kernel;
    private readonly ServiceLifecycle _lifecycle;
    private readonly ImmutableArray<int> _places;
    private readonly ImmutableArray<ImmutableArray<int>> _guests;
    private readonly ImmutableArray<int> _priority;
    private readonly int[] _standbySite;
    private readonly bool[] _handOutDue;
    private readonly List<int> _line = [];

    public StandbySites(TrialKernel kernel, ServiceLifecycle lifecycle)
    {
        _kernel = kernel;
        _lifecycle = lifecycle;
        var graph = kernel.Model.Graph;
        _places = graph.SitePlaces;
        _guests = graph.Guests;
        _priority = graph.Priority;
        _standbySite = [.. kernel.Model.Services.Select(s => s.StandbySite >= 0 && !graph.Guests[s.StandbySite].IsEmpty ? s.StandbySite : -1)];
        _handOutDue = new bool[_places.Length];
    }

    public void Reset() => Array.Clear(_handOutDue);

    /// <summary>
    /// Service <paramref name="s"/> is about to move to its standby: whether it may start now. A site without a bound always
    /// has a place; otherwise the service takes one offered to it, or waits in line (keeping its first request's time when
    /// it was in line already).
    /// </summary>
    public bool Enter(int s, double now, bool wasQueued)
    {
        int site = _standbySite[s];
        ref var st = ref _lifecycle.State(s);
        if (site < 0 || st.PlaceGranted || Holds(s))
        {
            // No bound, a place offered now, or one it holds already (its failover is done and a restore there follows).
            st.PlaceQueued = false;
            return true;
        }

        st.PlaceQueued = true;
        if (!wasQueued)
        {
            // Asked while the site is full: it waits (traced now). Asked while a place looks free: the places of the moment
            // are handed out by priority at its end, and the services left in line then are traced there.
            st.PlaceRequestedAt = now;
            st.PlaceWaitTraced = Taken(site, s) >= _places[site];
            if (st.PlaceWaitTraced)
            {
                _kernel.Trace(now, TraceKind.WaitingForPlace, s, site, Taken(site, s));
            }
        }

        return false;
    }

    /// <summary>Gets whether service <paramref name="s"/> holds a place at its standby site.</summary>
    public bool Holds(int s)
    {
        ref readonly var st = ref _lifecycle.State(s);
        // A failover given its place that then waits for a crew member keeps the place for it.
        return st.AtStandby || st.FailedOver || st.Phase is ServicePhase.FailingOver or ServicePhase.SwitchingOver
            || (st.Phase == ServicePhase.Queued && st.QueuedWork == CrewWork.Failover);
    }

    /// <summary>Gets how many places of site <paramref name="site"/> are held.</summary>
    public int Occupied(int site)
    {
        int held = 0;
        foreach (int s in _guests[site])
        {
            held += Holds(s) ? 1 : 0;
        }

        return held;
    }

    /// <summary>
    /// Gets how many places of site <paramref name="site"/> service <paramref name="s"/> cannot have: those held, and those kept
    /// for services before it in the recovery order that are down and will move there but have not asked yet.
    /// </summary>
    private int Taken(int site, int s)
    {
        int taken = 0;
        foreach (int g in _guests[site])
        {
            ref readonly var st = ref _lifecycle.State(g);
            if (Holds(g) || (_priority[g] < _priority[s] && !st.Running && !st.PlaceQueued && WillMove(g)))
            {
                taken++;
            }
        }

        return taken;
    }

    /// <summary>Whether down service <paramref name="g"/>, not at its standby, will fail over there: it can, its standby works, and its own outage needs it.</summary>
    private bool WillMove(int g) =>
        _kernel.Model.Services[g].CanFailOver && _lifecycle.StandbyInfraUp(g) && !_lifecycle.WaitsOnlyForServices(g);

    /// <summary>Gets the places of site <paramref name="site"/> (<see cref="int.MaxValue"/>: no bound).</summary>
    public int Places(int site) => _places[site];

    /// <summary>After a change: where a service waits in line and a place is free, the places are handed out at the end of the moment.</summary>
    public void AfterChange(double now)
    {
        for (int site = 0; site < _guests.Length; site++)
        {
            if (_guests[site].IsEmpty || _handOutDue[site] || !AnyCanEnter(site))
            {
                continue;
            }

            _handOutDue[site] = true;
            _kernel.Queue.Push(now, EventKind.PlacesFree, site);
        }
    }

    /// <summary>Hands out the free places of site <paramref name="site"/> to the services in line, in order.</summary>
    public void OnPlacesFree(int site, double now)
    {
        _handOutDue[site] = false;
        _line.Clear();
        foreach (int s in _guests[site])
        {
            if (_lifecycle.State(s).PlaceQueued)
            {
                _line.Add(s);
            }
        }

        // A few services at most: an insertion sort, which allocates nothing.
        for (int i = 1; i < _line.Count; i++)
        {
            int s = _line[i];
            int j = i - 1;
            for (; j >= 0 && Before(s, _line[j]); j--)
            {
                _line[j + 1] = _line[j];
            }

            _line[j + 1] = s;
        }

        foreach (int s in _line)
        {
            if (Taken(site, s) >= _places[site])
            {
                ref var waiting = ref _lifecycle.State(s);
                if (waiting.PlaceQueued && !waiting.PlaceWaitTraced)
                {
                    // It asked when a place looked free, and others came first.
                    waiting.PlaceWaitTraced = true;
                    _kernel.Trace(now, TraceKind.WaitingForPlace, s, site, Taken(site, s));
                }

                continue;
            }

            // Offered a place, the service decides again: it takes the place, or (its primary back, its standby down) leaves the line.
            ref var st = ref _lifecycle.State(s);
            if (!st.PlaceQueued)
            {
                continue;
            }

            st.PlaceGranted = true;
            _lifecycle.Evaluate(s, now, st.Cause);
            _lifecycle.State(s).PlaceGranted = false;
        }
    }

    /// <summary>Whether service <paramref name="a"/> comes before <paramref name="b"/> in line: priority, then request time, then scenario order.</summary>
    private bool Before(int a, int b)
    {
        if (_priority[a] != _priority[b])
        {
            return _priority[a] < _priority[b];
        }

        double ta = _lifecycle.State(a).PlaceRequestedAt;
        double tb = _lifecycle.State(b).PlaceRequestedAt;
        return ta != tb ? ta < tb : a < b;
    }

    /// <summary>Whether some service in line for site <paramref name="site"/> could have a place now.</summary>
    private bool AnyCanEnter(int site)
    {
        foreach (int s in _guests[site])
        {
            if (_lifecycle.State(s).PlaceQueued && Taken(site, s) < _places[site])
            {
                return true;
            }
        }

        return false;
    }
}
