using CsCheck;

namespace Confide.TestInputs;

/// <summary>
/// Runs a property over a CsCheck generator deterministically: iteration <c>i</c> draws from
/// <c>new PCG(Stream, seed * φ + i)</c> (φ spreads the seeds so runs with different seeds never overlap), so every run sees the same inputs and a failure reproduces
/// exactly. A failure names the iteration, the CsCheck seed (usable as <c>Check.Sample(..., seed:)</c>
/// to shrink it) and the input printed as the caller chooses (for requests: the request document).
/// </summary>
public static class Property
{
    private const uint Stream = 17;

    public static void ForAll<T>(Gen<T> gen, ulong seed, int iterations, Action<T> assert, Func<T, string> print)
    {
        for (var i = 0; i < iterations; i++)
        {
            var pcg = new PCG(Stream, unchecked((seed * 0x9E3779B97F4A7C15UL) + (ulong)i));
            var seedText = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            try
            {
                assert(value);
            }
#pragma warning disable CA1031 // any exception is a counterexample: report it with its input
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Assert.Fail($"property failed at iteration {i} (CsCheck seed {seedText}) for input:\n{print(value)}\n{ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
