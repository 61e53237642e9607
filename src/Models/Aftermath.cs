namespace DisasterSim.Models;

/// <summary>
/// What a threat leaves behind: rates raised for a while after it (aftershocks, hardware stressed by the event or by its
/// own replacement). A rate raised by a factor for a window is the standard way to write such a dependence between
/// failures that are otherwise independent.
/// </summary>
/// <param name="Arrivals">The threat's own arrival rate, raised for a window from each of its arrivals (aftershocks); null leaves it alone.</param>
/// <param name="Failures">
/// The own failure rates of the components an arrival hit, raised for a window from the moment the outage or rebuild
/// ends (restarted or replaced hardware fails more often); null leaves them alone.
/// </param>
public sealed record Aftermath(RaisedRate? Arrivals, RaisedRate? Failures);

/// <summary>A rate multiplied by <paramref name="Factor"/> for <paramref name="ForHours"/> hours.</summary>
/// <param name="Factor">The multiplier. Range: &gt; 0, at most 10^6 (below 1 lowers the rate).</param>
/// <param name="ForHours">The window's length, hours. Range: &gt; 0.</param>
public sealed record RaisedRate(double Factor, double ForHours);
