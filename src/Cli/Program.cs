using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using DisasterSim.Cli.Commands;

namespace DisasterSim.Cli;

/// <summary>The entry point of <c>disastersim</c>.</summary>
/// <remarks>Exit codes: see <see cref="ExitCodes"/> (0 success, 1 usage, 2 invalid scenario, 3 runtime or I/O failure, 130 cancelled).</remarks>
public static class Program
{
    /// <summary>Runs the command line of the process, with Ctrl-C (SIGINT) and SIGTERM cancelling the run.</summary>
    /// <remarks>
    /// SIGTERM, which batch schedulers and container runtimes send before they kill, is handled as Ctrl-C is: the run
    /// stops within a chunk, deletes what it had not committed, says so, and exits 143 (128 + SIGTERM) instead of 130.
    /// </remarks>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        bool terminated = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl-C stops the run cleanly; a second one ends the process at once.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerminate = Register(PosixSignal.SIGTERM, signal =>
        {
            // Likewise: the first SIGTERM stops the run cleanly, a second one takes the default action.
            signal.Cancel = !cancellation.IsCancellationRequested;
            terminated |= signal.Cancel;
            cancellation.Cancel();
        });
        try
        {
            var context = new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, cancellation.Token);
            int code = Run(args, context);
            return code == ExitCodes.Cancelled && terminated ? ExitCodes.Terminated : code;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static PosixSignalRegistration? Register(PosixSignal signal, Action<PosixSignalContext> handler)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, handler);
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Runs a command line in-process, writing to the given writers; never throws.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        Run(args, new CliContext(stdout, stderr, StderrIsTerminal: false, cancellationToken));

    /// <summary>Runs a command line in-process with the given surroundings; never throws.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        context = context with { CommandLine = [.. args] };
        try
        {
            var root = new RootCommand("DisasterSim: Monte Carlo simulation of outages and data loss, to size disaster recovery.")
            {
                RunCommand.Create(context),
                ValidateCommand.Create(context),
                SchemaCommand.Create(context),
                TraceCommand.Create(context),
                CompareCommand.Create(context),
                SweepCommand.Create(context),
                SensitivityCommand.Create(context),
                BatchCommand.Create(context),
                MergeCommand.Create(context),
                BenchCommand.Create(context),
            };
            var configuration = new InvocationConfiguration
            {
                Output = context.Stdout,
                Error = context.Stderr,

                // Exceptions and Ctrl-C are handled here, not by the parser: no stack trace, and exit codes of our own.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            var parseResult = root.Parse(args);
            if (parseResult.Action is ParseErrorAction)
            {
                // Every word of a usage error goes to stderr (the parser would print suggestions to stdout), without a full help page.
                foreach (var error in parseResult.Errors)
                {
                    context.Stderr.WriteLine($"disastersim: {error.Message}");
                }

                context.Stderr.WriteLine("Run 'disastersim --help' or 'disastersim <command> --help' for usage.");
                return ExitCodes.UsageError;
            }

            return parseResult.Invoke(configuration);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine("disastersim: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            context.Stderr.WriteLine($"disastersim: internal error: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }
}
