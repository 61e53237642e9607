using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DisasterSim.Tests")]
[assembly: InternalsVisibleTo("DisasterSim.Benchmarks")]
