namespace DisasterSim.Models.Loading;

/// <summary>Finds the nearest known name to a misspelt one, for "did you mean ...?" hints.</summary>
public static class NameSuggester
{
    /// <summary>Returns the candidate closest to <paramref name="value"/> by optimal-string-alignment distance, if close enough.</summary>
    /// <param name="value">The name as written.</param>
    /// <param name="candidates">The names that would have been accepted.</param>
    /// <returns>The nearest candidate, or null when none is within a third of the name's length (at least 1, at most 3 edits).</returns>
    /// <remarks>Comparison ignores case and treats '-' and '_' alike, so <c>rate-per-year</c> suggests <c>rate_per_year</c>.</remarks>
    public static string? Suggest(string value, IEnumerable<string> candidates)
    {
        string v = Normalize(value);
        int limit = Math.Clamp(v.Length / 3, 1, 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Distance(v, Normalize(candidate));
            if (d <= limit && d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return best;
    }

    /// <summary>The optimal-string-alignment (restricted Damerau–Levenshtein) distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    /// <param name="a">One string.</param>
    /// <param name="b">The other.</param>
    /// <returns>The number of edits.</returns>
    public static int Distance(string a, string b)
    {
        // Names are short; a full matrix keeps the transposition rule readable.
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int best = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, d[i - 2, j - 2] + 1);
                }

                d[i, j] = best;
            }
        }

        return d[a.Length, b.Length];
    }

    // Truncation bounds the quadratic cost on hostile input; real names are far shorter.
    private static string Normalize(string s) => (s.Length > 200 ? s[..200] : s).ToLowerInvariant().Replace('-', '_');
}
