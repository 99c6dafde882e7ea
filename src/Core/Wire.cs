using System.Text;

namespace Confide.Core;

/// <summary>
/// The contract's wire names for enums: the C# member name in kebab case
/// (<c>MarriageFamilyTherapist</c> is <c>marriage-family-therapist</c>). Computed once per enum type.
/// </summary>
/// <typeparam name="T">An enum backed by <c>int</c> whose values are 0..n-1.</typeparam>
public static class Wire<T>
    where T : struct, Enum
{
    private static readonly T[] Values = Enum.GetValues<T>();
    private static readonly string[] Names = Values.Select(v => Kebab(v.ToString())).ToArray();

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The names joined for an error message: <c>a, b, c</c>.</summary>
    public static string Expected { get; } = string.Join(", ", Names);

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string Name(T value) => Names[System.Runtime.CompilerServices.Unsafe.BitCast<T, int>(value)];

    /// <summary>Parses a wire name (case-sensitive).</summary>
    public static bool TryParse(string? text, out T value)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], text, StringComparison.Ordinal))
            {
                value = Values[i];
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string Kebab(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('-');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
