using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>How a race is run.</summary>
/// <param name="FirstRound">Trials of the first round. Range: ≥ 2.</param>
/// <param name="MaxTrials">Trials per variant at most; the race stops there undecided. Range: ≥ <paramref name="FirstRound"/>.</param>
/// <param name="Confidence">The confidence that no variant is dropped wrongly (the probability of a correct selection). Range: 0.5 ≤ confidence &lt; 1.</param>
public sealed record RaceSettings(long FirstRound, long MaxTrials, double Confidence = 0.95)
{
    /// <summary>Gets the planned number of looks: one after each round, the trials doubling from the first round to the maximum.</summary>
    public int Looks
    {
        get
        {
            int looks = 1;
            for (long n = FirstRound; n < MaxTrials; n *= 2)
            {
                looks++;
            }

            return looks;
        }
    }
}

/// <summary>Why a variant was dropped from a race.</summary>
public abstract record RaceDrop;

/// <summary>The variant fails a target: the confidence that it holds fell to the test level.</summary>
/// <param name="Target">The target failed.</param>
/// <param name="Confidence">The confidence that it holds, when the variant was dropped.</param>
public sealed record FailsTarget(Target Target, double Confidence) : RaceDrop;

/// <summary>The variant costs more than another that meets every target.</summary>
/// <param name="Cheaper">The index of the cheaper variant.</param>
/// <param name="ByAtLeast">The lower confidence bound of the difference in expected total cost per trial.</param>
public sealed record CostsMore(int Cheaper, double ByAtLeast) : RaceDrop;

/// <summary>How one variant fared in a race.</summary>
/// <param name="Trials">The trials it was simulated for.</param>
/// <param name="Dropped">Why it was dropped, or null when it stayed in the race to the end.</param>
public sealed record RaceEntry(long Trials, RaceDrop? Dropped);

/// <summary>The outcome of a race.</summary>
/// <param name="Variants">Each variant's trials and why it was dropped, in order.</param>
/// <param name="Decided">Whether the race ended decided: one variant left that meets every target, or none (no variant meets every target); false when it ran out of trials with several left, which the sweep then chooses among by their estimates, as the full grid would.</param>
/// <param name="Rounds">The rounds run.</param>
/// <param name="TestLevel">The error allowed to each elimination test: the stated 1 − confidence shared by the looks and the tests that could drop the best variant.</param>
public sealed record RaceOutcome(IReadOnlyList<RaceEntry> Variants, bool Decided, int Rounds, double TestLevel)
{
    /// <summary>Gets the trials simulated in all, over every variant (simulated years when the horizon is a year).</summary>
    public long SimulatedTrials => Variants.Sum(v => v.Trials);

    /// <summary>Gets the indices of the variants still in the race at the end.</summary>
    public IReadOnlyList<int> Survivors => [.. Variants.Select((v, i) => (v, i)).Where(x => x.v.Dropped is null).Select(x => x.i)];
}

/// <summary>
/// Races the variants of a sweep to the cheapest one that meets every target: rounds of trials on common random numbers,
/// variants dropped as soon as they fail a target or cost more than a variant known to meet every target, each with the
/// stated confidence; the race stops when the choice is made.
/// </summary>
/// <remarks>
/// <para>
/// A sequential elimination procedure with Bonferroni-corrected looks (in the family of Paulson's 1964 procedure and of the
/// racing algorithms of machine learning, Maron and Moore 1997; Birattari et al. 2002), applied to constrained selection as in
/// Andradóttir and Kim (2010) and Batur and Kim (2010): find the best of the feasible systems. Every round doubles the trials
/// of the variants still in the race (the first round's trials, then twice as many, up to the maximum), all on the same trials
/// 0 … n − 1, so every pair of variants is compared on common random numbers and a variant's results after n trials are those
/// of a plain run of n trials. After each round:
/// </para>
/// <list type="bullet">
/// <item>a variant fails a target when the confidence that the target holds (<see cref="Target.Confidence(long, long, double, double)"/>:
/// exact binomial for a percentile, normal for a mean) is at most the test level β; it meets it when that confidence is at least 1 − β;</item>
/// <item>a variant is dominated when a variant that meets every target costs less: the one-sided lower (1 − β) bound of the paired
/// difference of their total cost per trial (Student's t) is above zero.</item>
/// </list>
/// <para>
/// β = (1 − confidence) / (looks × (targets + variants − 1)): the best variant can be dropped wrongly only by one of its own
/// tests, at most targets + variants − 1 at each of the planned looks, so by Bonferroni's inequality it survives with
/// probability at least the stated confidence, without assuming anything about the other variants. The race stops when one
/// variant is left and it meets every target, or none is left, or at the maximum. No indifference zone is asked for: variants
/// whose costs truly differ are separated given trials enough; variants whose costs differ too little to tell apart within the
/// maximum (or not at all) run to it, and the choice among them is then made on their estimates after the maximum, exactly as
/// the full grid would make it. Variants equal in every trial so far are not taken to be equal: a rare disaster may still
/// tell them apart.
/// </para>
/// <para>
/// Why not KN (Kim and Nelson 2001) or OCBA (Chen et al. 2000): KN needs an indifference zone in money that a DR planner
/// rarely has, and its continuation region assumes normal observations whose variance is estimated once at the start, which
/// the heavy tails of yearly disaster costs break (a fire year costs a hundred ordinary ones); it handles means only, while
/// targets here are percentiles. OCBA spends a fixed budget to maximise an approximate probability of correct selection and
/// states no confidence; it also gives variants unequal trials, which would break the trial-by-trial pairing.
/// </para>
/// </remarks>
public static class Race
{
    /// <summary>Runs the race.</summary>
    /// <param name="simulation">The variants, seed and threads.</param>
    /// <param name="targets">The targets every chosen variant must meet; none: the race looks for the lowest expected cost.</param>
    /// <param name="costs">The cost model.</param>
    /// <param name="settings">First round, maximum, confidence.</param>
    /// <param name="consumer">Also receives every group of every round (the collectors of the sweep's outputs).</param>
    /// <param name="stores">Per variant, the store of checkpointed chunks, or null.</param>
    /// <param name="precise">Whether variant <c>v</c>'s estimates are precise enough to stop (a precision asked for besides the race); null for always.</param>
    /// <param name="progress">Receives the variant-trials simulated so far.</param>
    /// <param name="remaining">Receives, after each round, the variant-trials the race may still take at most.</param>
    /// <param name="cancellationToken">Stops the race.</param>
    public static RaceOutcome Run(
        VariantSimulation simulation,
        IReadOnlyList<Target> targets,
        ICostModel costs,
        RaceSettings settings,
        IChunkGroupConsumer consumer,
        IReadOnlyList<ITrialChunkStore?>? stores = null,
        Func<int, bool>? precise = null,
        IProgress<long>? progress = null,
        Action<long>? remaining = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.FirstRound, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxTrials, settings.FirstRound);
        var scenarios = simulation.Scenarios;
        int variants = scenarios.Count;
        var tally = new Tally(scenarios, targets, costs);
        double level = (1 - settings.Confidence) / (settings.Looks * (targets.Count + variants - 1.0));
        var alive = Enumerable.Repeat(true, variants).ToArray();
        var trials = new long[variants];
        var dropped = new RaceDrop?[variants];
        var chain = new GroupConsumerChain([consumer, tally]);
        long n = 0;
        int rounds = 0;
        while (true)
        {
            long batch = Math.Min(n == 0 ? settings.FirstRound : n, settings.MaxTrials - n);
            simulation.Run(n, batch, alive, chain, stores, progress, cancellationToken);
            n += batch;
            rounds++;
            for (int v = 0; v < variants; v++)
            {
                trials[v] = alive[v] ? n : trials[v];
            }

            var meets = new bool[variants];
            var drop = new RaceDrop?[variants];
            for (int v = 0; v < variants; v++)
            {
                if (!alive[v])
                {
                    continue;
                }

                var confidences = tally.Confidences(v);
                int failed = Array.FindIndex(confidences, c => c <= level);
                if (failed >= 0)
                {
                    drop[v] = new FailsTarget(targets[failed], confidences[failed]);
                }

                meets[v] = confidences.All(c => c >= 1 - level);
            }

            for (int v = 0; v < variants; v++)
            {
                if (!alive[v] || drop[v] is not null)
                {
                    continue;
                }

                for (int w = 0; w < variants; w++)
                {
                    if (w != v && alive[w] && drop[w] is null && meets[w] && tally.CostsMore(v, w, 1 - level) is double by)
                    {
                        drop[v] = new CostsMore(w, by);
                        break;
                    }
                }
            }

            for (int v = 0; v < variants; v++)
            {
                if (drop[v] is not null)
                {
                    alive[v] = false;
                    dropped[v] = drop[v];
                }
            }

            var left = Enumerable.Range(0, variants).Where(v => alive[v]).ToList();
            bool decided = left.Count == 0 || (left.Count == 1 && meets[left[0]]);
            bool ready = decided && (precise is null || left.All(precise));
            if (ready || n >= settings.MaxTrials)
            {
                var entries = Enumerable.Range(0, variants).Select(v => new RaceEntry(trials[v], dropped[v])).ToList();
                return new RaceOutcome(entries, decided, rounds, level);
            }

            remaining?.Invoke(left.Count * (settings.MaxTrials - n));
        }
    }

    /// <summary>The race's own running statistics: each target's tally per variant, and the paired differences of total cost between every two variants.</summary>
    private sealed class Tally : IChunkGroupConsumer
    {
        private readonly MetricReader[] _cost;
        private readonly MetricReader?[][] _target;
        private readonly TargetTally[][] _tallies;
        private readonly PairedDifferenceAccumulator[,] _pairs;

        public Tally(IReadOnlyList<Scenario> scenarios, IReadOnlyList<Target> targets, ICostModel costs)
        {
            int variants = scenarios.Count;
            _cost = [.. scenarios.Select(s => new MetricReader(new Metric(MetricKind.Cost), s, costs))];
            _target = [.. scenarios.Select(s => targets.Select(t => new MetricReader(t.Metric, s, costs)).ToArray())];
            _tallies = [.. scenarios.Select(_ => targets.Select(t => new TargetTally(t)).ToArray())];
            _pairs = new PairedDifferenceAccumulator[variants, variants];
            for (int v = 0; v < variants; v++)
            {
                for (int w = v + 1; w < variants; w++)
                {
                    _pairs[v, w] = new PairedDifferenceAccumulator();
                }
            }
        }

        public void Consume(ChunkGroup group)
        {
            int variants = group.Variants;
            var costs = new double[variants][];
            for (int v = 0; v < variants; v++)
            {
                if (group[v] is not { } chunk)
                {
                    continue;
                }

                costs[v] = _cost[v].Read(chunk).ToArray();
                for (int t = 0; t < _tallies[v].Length; t++)
                {
                    _tallies[v][t].Add(_target[v][t]!.Read(chunk));
                }
            }

            for (int v = 0; v < variants; v++)
            {
                for (int w = v + 1; w < variants; w++)
                {
                    if (costs[v] is not null && costs[w] is not null)
                    {
                        // The pair's difference is v − w.
                        _pairs[v, w].Add(costs[w], costs[v]);
                    }
                }
            }
        }

        public double[] Confidences(int variant) => [.. _tallies[variant].Select(t => t.Confidence)];

        /// <summary>Returns the lower confidence bound of how much <paramref name="v"/>'s mean cost is above <paramref name="w"/>'s when it is above zero; null otherwise.</summary>
        public double? CostsMore(int v, int w, double confidence)
        {
            double by = v < w ? _pairs[v, w].LowerBound(confidence) : -_pairs[w, v].UpperBound(confidence);
            return by > 0 ? by : null;
        }
    }
}
