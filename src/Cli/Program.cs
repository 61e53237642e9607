using System.CommandLine;
using System.CommandLine.Invocation;
using DisasterSim.Cli.Commands;

namespace DisasterSim.Cli;

/// <summary>The entry point of <c>disastersim</c>.</summary>
/// <remarks>Exit codes: see <see cref="ExitCodes"/> (0 success, 1 usage, 2 invalid scenario, 3 runtime or I/O failure, 130 cancelled).</remarks>
public static class Program
{
    /// <summary>Runs the command line of the process, with Ctrl-C cancelling the run.</summary>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl-C stops the run cleanly; a second one ends the process at once.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var context = new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, cancellation.Token);
            return Run(args, context);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
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
