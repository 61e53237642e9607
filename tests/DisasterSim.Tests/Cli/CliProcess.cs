using System.Diagnostics;

namespace DisasterSim.Tests.Cli;

/// <summary>Runs <c>disastersim</c> as a process of its own, for what only a process shows: signals, memory ceilings, locks held by another process.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CliProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Gets whether a child process can be run here: the command's assembly sits beside the tests'.</summary>
    public static bool Available => File.Exists(Assembly);

    private static string Assembly => Path.Combine(AppContext.BaseDirectory, "disastersim.dll");

    /// <summary>Starts <c>dotnet disastersim.dll ARGS</c> with extra environment variables.</summary>
    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Assembly);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Gets the process id.</summary>
    public int Id => _process.Id;

    /// <summary>Sends SIGTERM (Unix only).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end, at most <paramref name="timeout"/>, and returns its exit code and output.</summary>
    /// <exception cref="TimeoutException">It did not end in time; it is killed.</exception>
    public (int ExitCode, string Stdout, string Stderr) Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"disastersim did not end within {timeout.TotalSeconds:0} s");
        }

        return (_process.ExitCode, _stdout.GetAwaiter().GetResult(), _stderr.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
