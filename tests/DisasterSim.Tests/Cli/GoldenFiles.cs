using System.Runtime.CompilerServices;
using System.Text;

namespace DisasterSim.Tests.Cli;

/// <summary>Compares output with the files under <c>Cli/Golden</c>; set DISASTERSIM_UPDATE_GOLDEN=1 to rewrite them.</summary>
internal static class GoldenFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void AssertMatches(string fileName, string actual)
    {
        string sourcePath = Path.Combine(SourceDirectory(), fileName);
        if (Environment.GetEnvironmentVariable("DISASTERSIM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(sourcePath, actual, Utf8NoBom);
        }

        string copied = Path.Combine(AppContext.BaseDirectory, "Cli", "Golden", fileName);
        string path = File.Exists(copied) ? copied : sourcePath;
        byte[] expected = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetString(expected), actual);
        Assert.Equal(expected, Utf8NoBom.GetBytes(actual));
    }

    // Found from this source file when the project does not copy the golden files to the output directory.
    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");
}
