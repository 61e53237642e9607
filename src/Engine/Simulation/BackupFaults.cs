using DisasterSim.Engine.Sampling;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// What goes wrong with backup jobs, computed from a job's index rather than simulated: a job that fails and says so, a
/// copy that fails to restore, a chain that breaks silently until a restore test or a failed restore finds it, and copies
/// that ransomware encrypts. The fate of job k is a function of the trial, the policy and k alone
/// (<see cref="TrialKernel.Uniform"/>), and a chain's breaks are a Poisson process drawn lazily from the policy's own
/// streams, so that nothing here adds an event, and nothing changes the draws of anything else.
/// </summary>
/// <remarks>
/// <para>
/// A break at time p spoils every job that starts at or after p until it is fixed. It is found at the first discovery
/// at or after the end of the first job it spoiled: a restore test (at <c>offset + n × every</c>), or the end of a failed
/// restore attempt of the policy (which makes the operator check the chain). Jobs are good again <c>fix</c> after that.
/// Breaks may overlap: a job is spoiled while any break before it is unfixed.
/// </para>
/// <para>
/// The operator knows a job is bad once it reported its failure, once a failed restore tried it, or once the break that
/// spoils it was found; the copy choice skips those (<see cref="Policy.Next"/>). A silently bad copy is found only by
/// restoring it (<see cref="Policy.Spoiled"/>).
/// </para>
/// <para>
/// Warm start: with restore tests, breaks are drawn before hour 0 as far back as one could still spoil a job (a break is
/// fixed at most one interval, one job, one test period and one fix after it happens), so a trial starts in steady state.
/// A chain nobody tests has no steady state (a break stays until a restore finds it): the trial starts with it known
/// good at hour 0, as after a check.
/// </para>
/// </remarks>
internal sealed class BackupFaults
{
    private readonly Policy?[][] _policies;
    private readonly Policy[] _all;

    public BackupFaults(TrialKernel kernel)
    {
        _policies = [.. kernel.Model.DataSets.Select(d => d.Backups.Select(b => b.HasFaults ? new Policy(kernel, b) : null).ToArray())];
        _all = [.. _policies.SelectMany(p => p).OfType<Policy>()];
    }

    /// <summary>Gets whether any policy models a fault.</summary>
    public bool Any => _all.Length > 0;

    /// <summary>Every policy's faults back to the start of a trial.</summary>
    public void Reset()
    {
        foreach (var policy in _all)
        {
            policy.Reset();
        }
    }

    /// <summary>Gets policy <paramref name="b"/> of data set <paramref name="d"/>'s faults; null when it models none.</summary>
    public Policy? Of(int d, int b) => _policies[d][b];

    /// <summary>Ransomware detonates and reaches the copies of the policies in <paramref name="reach"/>.</summary>
    public void Encrypt(ReadOnlySpan<CompiledReach> reach, double now)
    {
        foreach (var r in reach)
        {
            _policies[r.DataSet][r.Backup]!.Encrypt(now);
        }
    }

    /// <summary>One policy's faults in the current trial.</summary>
    internal sealed class Policy(TrialKernel kernel, CompiledBackup backup)
    {
        private readonly TrialKernel _kernel = kernel;
        private readonly CompiledBackup _backup = backup;
        private readonly bool _breaks = double.IsFinite(backup.BreakMeanHours);
        private readonly bool _tested = double.IsFinite(backup.TestEveryHours);

        /// <summary>How far before a job a break can still spoil it (only with tests; see the remarks of <see cref="BackupFaults"/>).</summary>
        private readonly double _reach = backup.IntervalHours + backup.DurationHours + backup.TestEveryHours + backup.FixHours;
        private LazyStream _breakRng = new(backup.BreakStream);
        private LazyStream _pastRng = new(backup.PastBreakStream);
        private Times _inTrial = new();
        private Times _beforeTrial = new();
        private Times _checks = new();
        private Times _detonations = new();
        private Times _failedJobs = new();
        private double _encryptedAt;

        public void Reset()
        {
            _inTrial.Clear();
            _beforeTrial.Clear();
            _checks.Clear();
            _detonations.Clear();
            _failedJobs.Clear();
            _encryptedAt = double.NegativeInfinity;
        }

        /// <summary>
        /// The copy choice at job <paramref name="k"/> (from <paramref name="start"/> to <paramref name="end"/>): returns k when
        /// the operator may try it, a smaller index to go on from when it is known bad, or −∞ when it and every older job
        /// were encrypted.
        /// </summary>
        public double Next(double k, double start, double end, double now)
        {
            if (start < _encryptedAt)
            {
                return double.NegativeInfinity;
            }

            if (_backup.JobFailureProbability > 0 && _kernel.Uniform(_backup.FateKey, 2 * (long)k) < _backup.JobFailureProbability)
            {
                // Every job failing (a model built in code; the loader allows at most 0.99) leaves no job to go back to.
                return _backup.JobFailureProbability >= 1 ? double.NegativeInfinity : k - 1;
            }

            for (int i = 0; i < _detonations.Count; i++)
            {
                if (start < _detonations[i] && _detonations[i] < end)
                {
                    // An offline destination is connected while a job writes to it: that copy was encrypted.
                    return k - 1;
                }
            }

            if (_failedJobs.Contains(k))
            {
                return k - 1;
            }

            if (_breaks && Broken(start, now, knownOnly: true, out double breakAt, out _))
            {
                // Every job from the break on is known spoiled: go on from the last job before it.
                return Math.Min(k - 1, Math.Ceiling((breakAt - _backup.OffsetHours) / _backup.IntervalHours) - 1);
            }

            return k;
        }

        /// <summary>Gets whether job <paramref name="k"/>'s copy fails to restore: a silent break spoiled it, or it failed alone.</summary>
        public bool Spoiled(double k, double start, out bool broken)
        {
            broken = _breaks && Broken(start, double.PositiveInfinity, knownOnly: false, out _, out _);
            return broken || (_backup.CopyFailureProbability > 0 && _kernel.Uniform(_backup.FateKey, (2 * (long)k) + 1) < _backup.CopyFailureProbability);
        }

        /// <summary>Gets whether job <paramref name="k"/> (from <paramref name="start"/> to <paramref name="end"/>) holds a copy that restores: for checks.</summary>
        public bool Restorable(double k, double start, double end) =>
            Next(k, start, end, double.NegativeInfinity) == k && !Spoiled(k, start, out _);

        /// <summary>A restore of job <paramref name="k"/> failed at <paramref name="now"/>: the copy is known bad, and the chain was checked.</summary>
        public void Failed(double k, double now)
        {
            _failedJobs.Add(k);
            _checks.Add(now);
        }

        /// <summary>Ransomware reached the destination at <paramref name="now"/>.</summary>
        public void Encrypt(double now)
        {
            switch (_backup.Exposure)
            {
                case BackupExposure.Online:
                    _encryptedAt = now;
                    break;
                case BackupExposure.Offline:
                    _detonations.Add(now);
                    break;
                case BackupExposure.Immutable:
                    break;
            }
        }

        /// <summary>Gets whether its copies were encrypted after <paramref name="since"/>: a restore that started reading one then starts over.</summary>
        public bool EncryptedSince(double since) => _encryptedAt > since;

        /// <summary>
        /// Gets whether a break spoils the job that starts at <paramref name="start"/>: one at or before it, not yet fixed then;
        /// with <paramref name="knownOnly"/>, only a break found by <paramref name="now"/>.
        /// </summary>
        public bool Broken(double start, double now, bool knownOnly, out double breakAt, out double foundAt)
        {
            double from = _tested ? start - _reach : double.NegativeInfinity;
            DrawUntil(start);
            for (int i = 0; i < _inTrial.Count && _inTrial[i] <= start; i++)
            {
                if (_inTrial[i] > from && Spoils(_inTrial[i], start, now, knownOnly, out foundAt))
                {
                    breakAt = _inTrial[i];
                    return true;
                }
            }

            if (_tested && from < 0)
            {
                DrawBackTo(from);
                for (int i = 0; i < _beforeTrial.Count && _beforeTrial[i] > from; i++)
                {
                    if (_beforeTrial[i] <= start && Spoils(_beforeTrial[i], start, now, knownOnly, out foundAt))
                    {
                        breakAt = _beforeTrial[i];
                        return true;
                    }
                }
            }

            breakAt = foundAt = double.NaN;
            return false;
        }

        /// <summary>Gets when break <paramref name="p"/> is found: the first test or failed restore at or after the end of the first job it spoils.</summary>
        public double FoundAt(double p)
        {
            double firstSpoiled = _backup.OffsetHours + (Math.Ceiling((p - _backup.OffsetHours) / _backup.IntervalHours) * _backup.IntervalHours);
            double visible = firstSpoiled + _backup.DurationHours;
            double found = _tested
                ? _backup.TestOffsetHours + (Math.Ceiling((visible - _backup.TestOffsetHours) / _backup.TestEveryHours) * _backup.TestEveryHours)
                : double.PositiveInfinity;
            for (int i = 0; i < _checks.Count; i++)
            {
                if (_checks[i] >= visible)
                {
                    return Math.Min(found, _checks[i]);
                }
            }

            return found;
        }

        private bool Spoils(double p, double start, double now, bool knownOnly, out double foundAt)
        {
            foundAt = FoundAt(p);
            return (!knownOnly || foundAt <= now) && start < foundAt + _backup.FixHours;
        }

        /// <summary>Draws the trial's breaks until one falls after <paramref name="time"/>.</summary>
        private void DrawUntil(double time)
        {
            double last = _inTrial.Count == 0 ? 0 : _inTrial[_inTrial.Count - 1];
            while ((_inTrial.Count == 0 || last <= time) && time >= 0)
            {
                last += Sampler.ExponentialByMean(ref _kernel.Draw(ref _breakRng), _backup.BreakMeanHours);
                _inTrial.Add(last);
            }
        }

        /// <summary>Draws the breaks before hour 0, latest first, until one falls before <paramref name="time"/>.</summary>
        private void DrawBackTo(double time)
        {
            double last = _beforeTrial.Count == 0 ? 0 : _beforeTrial[_beforeTrial.Count - 1];
            while (_beforeTrial.Count == 0 || last > time)
            {
                last -= Sampler.ExponentialByMean(ref _kernel.Draw(ref _pastRng), _backup.BreakMeanHours);
                _beforeTrial.Add(last);
            }
        }
    }

    /// <summary>A growable list of times (or job indices), reused across trials.</summary>
    private struct Times()
    {
        private double[] _items = new double[4];

        public int Count { get; private set; }

        public readonly double this[int i] => _items[i];

        public void Clear() => Count = 0;

        public void Add(double value)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[Count++] = value;
        }

        public readonly bool Contains(double value) => Array.IndexOf(_items, value, 0, Count) >= 0;
    }
}
