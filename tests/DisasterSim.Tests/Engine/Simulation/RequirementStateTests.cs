using System.Collections.Immutable;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>The incremental requirement state always agrees with evaluating every requirement from scratch.</summary>
public sealed class RequirementStateTests
{
    private static readonly string[] Names = ["a", "b", "c", "d", "e", "f"];

    [Fact]
    public void RandomFlips_AgreeWithEvaluationFromScratch()
    {
        var index = Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var builder = new RequirementTableBuilder(index);
        Requirement One(string n) => new RequireComponent(n);
        RequireAtLeast AtLeast(int k, params Requirement[] items) => new(k, [.. items]);
        int[] roots =
        [
            builder.Add(One("a")),
            builder.Add(AtLeast(2, One("a"), One("b"), One("c"))),
            builder.Add(AtLeast(3, One("a"), One("b"), One("c"))),

            // Nested groups, and one component named twice in the same expression.
            builder.Add(AtLeast(2, One("d"), AtLeast(1, One("e"), One("f")), AtLeast(2, One("a"), One("d"), One("e")))),
            builder.Add(AtLeast(1, AtLeast(2, One("b"), One("b"), One("c")), One("f"))),
        ];
        var table = builder.Build();
        var state = new RequirementState(table, []);
        var up = new bool[Names.Length];
        Array.Fill(up, true);
        var rng = new Xoshiro256StarStar(7);
        for (int step = 0; step < 5_000; step++)
        {
            if (step % 1000 == 999)
            {
                state.Reset();
                Array.Fill(up, true);
            }

            int c = (int)(rng.NextUInt64() % (ulong)Names.Length);
            up[c] = !up[c];
            state.Set(c, up[c]);
            foreach (int root in roots)
            {
                Assert.Equal(table.IsSatisfied(root, up), state.IsSatisfied(root));
            }
        }

        Assert.True(state.IsSatisfied(-1));
    }

    [Fact]
    public void TwoOfThree_FailsOnTheSecondFailureAndRecoversOnTheFirstRepair()
    {
        var index = new Dictionary<string, int> { ["a"] = 0, ["b"] = 1, ["c"] = 2 };
        var builder = new RequirementTableBuilder(index);
        int root = builder.Add(new RequireAtLeast(2, ImmutableArray.Create<Requirement>(new RequireComponent("a"), new RequireComponent("b"), new RequireComponent("c"))));
        var state = new RequirementState(builder.Build(), [root]);

        Assert.True(state.IsSatisfied(root));
        Assert.False(state.Set(0, false));
        Assert.True(state.IsSatisfied(root));
        Assert.True(state.Set(2, false));
        Assert.False(state.IsSatisfied(root));
        Assert.True(state.Set(0, true));
        Assert.True(state.IsSatisfied(root));
        Assert.True(state.Set(1, false));
        Assert.False(state.IsSatisfied(root));
        Assert.False(state.Set(1, false));
    }
}
