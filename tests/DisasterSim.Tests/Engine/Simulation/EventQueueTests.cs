using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>The event queue pops in (time, scheduling order), whatever the interleaving of pushes and pops.</summary>
public sealed class EventQueueTests
{
    [Fact]
    public void InterleavedPushesAndPops_PopInTimeThenSchedulingOrder()
    {
        var queue = new EventQueue();
        var reference = new List<(double Time, int Id)>();
        var rng = new Xoshiro256StarStar(42);
        int id = 0;
        for (int step = 0; step < 20_000; step++)
        {
            // Coarse times make many ties; runs of pops and of pushes of every length occur.
            int pushes = (int)(rng.NextUInt64() % 3);
            for (int i = 0; i < pushes; i++)
            {
                double time = rng.NextUInt64() % 50;
                queue.Push(time, EventKind.ComponentFailure, id);
                reference.Add((time, id++));
            }

            int pops = (int)(rng.NextUInt64() % 3);
            for (int i = 0; i < pops && reference.Count > 0; i++)
            {
                var expected = reference.OrderBy(r => r.Time).ThenBy(r => r.Id).First();
                reference.Remove(expected);
                var e = queue.Pop();
                Assert.Equal(expected, (e.Time, e.Target));
            }

            Assert.Equal(reference.Count, queue.Count);
        }
    }

    [Fact]
    public void EventsForTheCurrentTime_PopInTimeThenSchedulingOrder()
    {
        // Most pushes are for the time of the last pop (the lane), some later, a few earlier (never done by the
        // simulator, but the order must hold for them too), with pops of every run length between.
        var queue = new EventQueue();
        var reference = new List<(double Time, int Id)>();
        var rng = new Xoshiro256StarStar(11);
        double now = 0;
        int id = 0;
        for (int step = 0; step < 20_000; step++)
        {
            int pushes = (int)(rng.NextUInt64() % 4);
            for (int i = 0; i < pushes; i++)
            {
                double time = (rng.NextUInt64() % 8) switch
                {
                    < 5 => now,
                    < 7 => now + (rng.NextUInt64() % 4),
                    _ => Math.Max(0, now - (rng.NextUInt64() % 3)),
                };
                queue.Push(time, EventKind.Detection, id);
                reference.Add((time, id++));
            }

            int pops = (int)(rng.NextUInt64() % 4);
            for (int i = 0; i < pops && reference.Count > 0; i++)
            {
                var expected = reference.OrderBy(r => r.Time).ThenBy(r => r.Id).First();
                reference.Remove(expected);
                var e = queue.Pop();
                Assert.Equal(expected, (e.Time, e.Target));
                now = e.Time;
            }

            Assert.Equal(reference.Count, queue.Count);
            if (step % 5_000 == 4_999)
            {
                queue.Clear();
                reference.Clear();
                now = 0;
            }
        }
    }

    [Fact]
    public void AnEventForTheTimeJustPopped_ComesAfterThoseScheduledEarlierForThatTime()
    {
        var queue = new EventQueue();
        queue.Push(2, EventKind.ComponentFailure, 1);
        queue.Push(2, EventKind.ComponentFailure, 2);
        queue.Push(3, EventKind.ComponentFailure, 3);

        Assert.Equal(1, queue.Pop().Target);
        queue.Push(2, EventKind.Detection, 4);
        queue.Push(2, EventKind.Detection, 5);

        Assert.Equal([2, 4, 5, 3], new[] { queue.Pop().Target, queue.Pop().Target, queue.Pop().Target, queue.Pop().Target });
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void PopThenPush_TheNewEventCanComeFirst()
    {
        var queue = new EventQueue();
        queue.Push(5, EventKind.ComponentFailure, 1);
        queue.Push(3, EventKind.ComponentFailure, 2);

        Assert.Equal(2, queue.Pop().Target);
        queue.Push(4, EventKind.ComponentRepair, 3);
        queue.Push(4, EventKind.ComponentRepair, 4);

        Assert.Equal(3, queue.Count);
        Assert.Equal([3, 4, 1], new[] { queue.Pop().Target, queue.Pop().Target, queue.Pop().Target });
        Assert.Equal(0, queue.Count);
        queue.Clear();
        queue.Push(1, EventKind.ComponentFailure, 9);
        Assert.Equal(9, queue.Pop().Target);
    }
}
