namespace DisasterSim.Models;

/// <summary>The network link an asynchronous replica is shipped over.</summary>
/// <remarks>
/// The replica receives at most <see cref="BandwidthGbPerHour"/> of changes an hour: a backlog built while it could not
/// receive drains at the bandwidth less the change rate, and a replica that is empty (new, or rebuilt after a destruction)
/// is first seeded with the whole data set. The bandwidth is this replica's own: replicas over the same link component
/// do not share it.
/// </remarks>
/// <param name="BandwidthGbPerHour">What the link carries for this replica, GB per hour. Range: &gt; 0.</param>
/// <param name="Via">The component that is the link (a WAN circuit), whose outages stop the shipping; null for none.</param>
public sealed record ReplicationLink(double BandwidthGbPerHour, string? Via);
