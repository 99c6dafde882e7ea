using Confide.Documents.Sandbox;

namespace Confide.Documents.Tests.Sandbox;

/// <summary>
/// Every way a child can end, played by a stand-in child (a shell script in place of the worker,
/// under the same limits): each is the one <see cref="PdfNotSafeException"/> with its own reason,
/// nothing more is read than the caps allow, and the job directory is gone afterwards.
/// </summary>
public sealed class PdfChildOutcomeTests : IDisposable
{
    private readonly TempDir _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("yes progress | head -c 3000000", "output-too-large")] // 3 MB of standard output, past the 1 MB read
    [InlineData("head -c 5000000 /dev/zero | tr '\\0' x", "output-too-large")] // one endless line
    [InlineData("printf '{not json' > \"$1/result.json\"", "malformed-result")]
    [InlineData("printf '{\"Status\":\"weird\",\"Message\":\"\"}' > \"$1/result.json\"", "malformed-result")]
    [InlineData("head -c 20000000 /dev/zero > \"$1/result.json\"", "malformed-result")] // an answer past 16 MB is never read
    [InlineData("exit 0", "malformed-result")] // no answer at all
    [InlineData("kill -SEGV $$", "crashed")]
    [InlineData("exit 7", "crashed")]
    [InlineData("echo OutOfMemory >&2; exit 3", "memory")]
    [InlineData("sleep 60", "timeout")]
    public async Task AChildThatMisbehaves_IsOneFailure_WithItsReason_AndLeavesNothing(string script, string reason)
    {
        var child = new PdfChildProcess(new PdfLimits { Timeout = TimeSpan.FromSeconds(3) }, Path.Combine(_scratch.Path, "scratch"))
        {
            WorkerCommand = ["/bin/sh", "-c", script, "stand-in"],
        };
        var failure = await Assert.ThrowsAsync<PdfNotSafeException>(() => child.ScanAsync("%PDF-1.4\n"u8.ToArray(), TestContext.Current.CancellationToken));
        Assert.Equal(reason, failure.Reason);
        Assert.StartsWith("this PDF could not be read safely: ", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(child.ScratchRoot));
    }

    [Fact]
    public async Task TheChildsEnvironment_HoldsNoKeyOrConnectionString_AndItsTempIsTheJobDirectory()
    {
        Environment.SetEnvironmentVariable("Keys__MasterKey", "c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==");
        Environment.SetEnvironmentVariable("ConnectionStrings__Confide", "Host=secret");
        try
        {
            var child = new PdfChildProcess(new PdfLimits(), Path.Combine(_scratch.Path, "scratch"))
            {
                // Answers a scan with its whole environment as the "message" of an unknown status.
                WorkerCommand = ["/bin/sh", "-c", "env | grep -E 'Keys__|ConnectionStrings__|TMPDIR' | tr '\\n' ' ' > \"$1/env\"; cp \"$1/env\" \"" + _scratch.Path + "/seen\"; exit 9", "stand-in"],
            };
            await Assert.ThrowsAsync<PdfNotSafeException>(() => child.ScanAsync("%PDF-1.4\n"u8.ToArray(), TestContext.Current.CancellationToken));
            var seen = await File.ReadAllTextAsync(Path.Combine(_scratch.Path, "seen"), TestContext.Current.CancellationToken);
            Assert.DoesNotContain("Keys__", seen, StringComparison.Ordinal);
            Assert.DoesNotContain("ConnectionStrings__", seen, StringComparison.Ordinal);
            Assert.Contains($"TMPDIR={child.ScratchRoot}/", seen, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Keys__MasterKey", null);
            Environment.SetEnvironmentVariable("ConnectionStrings__Confide", null);
        }
    }
}
