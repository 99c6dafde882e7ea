using System.Text;

namespace Confide.Security.Tests;

/// <summary>The list of routes a sweep exercised: in the test output, and in test-artifacts/security/NAME.txt.</summary>
internal static class Report
{
    public static void Write(string name, string title, StringBuilder lines, IReadOnlyList<string> failures)
    {
        var text = new StringBuilder().AppendLine(title).Append(lines);
        if (failures.Count > 0)
        {
            text.AppendLine("Failures:").AppendJoin('\n', failures.Select(f => "  " + f)).AppendLine();
        }
        TestContext.Current.TestOutputHelper?.WriteLine(text.ToString());
        File.WriteAllText(Path.Combine(RepoPaths.Artifacts("security").FullName, name + ".txt"), text.ToString());
    }
}
