namespace DisasterSim.Tests;

/// <summary>Tests that measure the whole process (its allocations) run in this collection, after the others and alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
