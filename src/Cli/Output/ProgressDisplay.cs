using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DisasterSim.Cli.Output;

/// <summary>The progress bar of a long command on stderr: trials done, trials per second and the time left, when stderr is a terminal.</summary>
/// <remarks>
/// The rate and the time left are averages since the start (trials done / time elapsed), not Spectre's sampled speed, so the
/// estimate moves steadily instead of jumping with each burst of chunks. A comparison counts variant-trials (one trial of
/// one variant); a command whose length is decided as it runs (precision, races) announces its budget and moves on when it
/// stops early.
/// </remarks>
internal sealed class ProgressDisplay : IProgress<long>
{
    private readonly Lock _lock = new();
    private ProgressTask? _task;
    private long _completed;

    /// <summary>Gets the trials completed so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Runs <paramref name="work"/> with a bar over <paramref name="total"/> trials on stderr when <paramref name="show"/>; otherwise just counts.</summary>
    public static T Run<T>(CliContext context, bool show, string description, long total, Func<ProgressDisplay, T> work) =>
        new ProgressDisplay().Show(context, show, description, total, work);

    /// <summary>Runs <paramref name="work"/> with this display's bar over <paramref name="total"/> trials on stderr when <paramref name="show"/>; otherwise just counts (<see cref="Completed"/> says how far it got).</summary>
    public T Show<T>(CliContext context, bool show, string description, long total, Func<ProgressDisplay, T> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!show)
        {
            return work(this);
        }

        var stderr = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Stderr),
            Ansi = AnsiSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        T result = default!;
        stderr.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new SteadyRemainingColumn())
            .Start(ctx =>
            {
                _task = ctx.AddTask(description, maxValue: Math.Max(1, total));
                result = work(this);
                _task.Value = _task.MaxValue;
            });
        return result;
    }

    /// <summary>Sets how many trials the whole command may still take, for one whose length is decided as it goes.</summary>
    public void SetTotal(long total)
    {
        lock (_lock)
        {
            if (_task is not null)
            {
                _task.MaxValue = Math.Max(Math.Max(1, total), _completed);
            }
        }
    }

    /// <summary>Takes the trials done so far; reports arrive from worker threads in any order and the bar only moves forward.</summary>
    public void Report(long value)
    {
        lock (_lock)
        {
            long completed = value;
            if (completed > _completed)
            {
                Interlocked.Exchange(ref _completed, completed);
                if (_task is not null)
                {
                    _task.Value = Math.Min(completed, _task.MaxValue);
                }
            }
        }
    }

    private static double Rate(ProgressTask task) =>
        task.ElapsedTime is { TotalSeconds: > 0.5 } elapsed && task.Value > 0 ? task.Value / elapsed.TotalSeconds : 0;

    /// <summary>Trials per second since the start.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            double rate = Rate(task);
            return new Text(rate > 0 ? rate.ToString("N0", CultureInfo.InvariantCulture) + " trials/s" : "", Style.Plain);
        }
    }

    /// <summary>The time left at the average rate since the start.</summary>
    private sealed class SteadyRemainingColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            double rate = Rate(task);
            if (rate <= 0)
            {
                return new Text("--:--:--", Style.Plain);
            }

            var left = TimeSpan.FromSeconds(Math.Min((task.MaxValue - task.Value) / rate, TimeSpan.MaxValue.TotalSeconds / 2));
            return new Text("ETA " + left.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), Style.Plain);
        }
    }
}
