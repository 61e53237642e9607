namespace DisasterSim.Engine.Comparison;

/// <summary>The Pareto front of points whose every coordinate is to be minimised.</summary>
public static class ParetoFront
{
    /// <summary>Marks the points that no other point dominates.</summary>
    /// <param name="points">Each point's coordinates (cost, risk, ...), all of the same length; lower is better.</param>
    /// <returns>For each point, whether it is on the front.</returns>
    /// <remarks>
    /// A point dominates another when it is no worse in every coordinate and better in at least one.
    /// Equal points do not dominate each other: both stay on the front.
    /// </remarks>
    public static bool[] Mark(IReadOnlyList<IReadOnlyList<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = new bool[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            front[i] = true;
            for (int j = 0; j < points.Count && front[i]; j++)
            {
                if (j != i && Dominates(points[j], points[i]))
                {
                    front[i] = false;
                }
            }
        }

        return front;
    }

    /// <summary>Gets whether <paramref name="a"/> dominates <paramref name="b"/> (no worse everywhere, better somewhere).</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"Points must have the same number of coordinates: {a.Count} and {b.Count}.", nameof(b));
        }

        bool better = false;
        for (int k = 0; k < a.Count; k++)
        {
            if (a[k] > b[k])
            {
                return false;
            }

            better |= a[k] < b[k];
        }

        return better;
    }
}
