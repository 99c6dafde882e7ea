using System.Reflection;
using System.Reflection.Emit;
using Confide.Web.Features.Requests;

namespace Confide.Security.Tests;

/// <summary>
/// Architecture test: the application layer (<c>Confide.Web.Features</c>, docs/adr/2612-application-layer.md)
/// does not depend on the Razor pages (<c>Confide.Web.Pages</c>), so the pages call the use cases and
/// never the other way round (no cycle between the folders). Every use of a type counts: base types,
/// fields, signatures, locals, and each type, method and field the IL names (lambdas and async state
/// machines count as their enclosing type). A canary in this test assembly shows the scan catches a
/// dependency, even one made only inside an async method.
/// </summary>
public sealed class LayerTests
{
    private static readonly Assembly Web = typeof(RequestService).Assembly;

    [Fact]
    public void Features_DoNotDependOnPages()
    {
        var features = Web.GetTypes().Count(t => LayerScan.In(t, "Confide.Web.Features"));
        var violations = LayerScan.Dependencies(Web, "Confide.Web.Features", "Confide.Web.Pages");

        Assert.True(features >= 10, $"the scan found {features} type(s) in Confide.Web.Features: it is not looking where it should");
        // The scan sees real dependencies between the folders: it would not pass by seeing nothing.
        Assert.Contains(LayerScan.Dependencies(Web, "Confide.Web.Pages", "Confide.Web.Features"), d => d.Used == typeof(RequestService).FullName);
        Assert.True(violations.Count == 0, "the application layer depends on the pages (move what it needs into Features):\n" + string.Join('\n', violations.Select(v => $"{v.User} uses {v.Used}")));
    }

    /// <summary>
    /// One read path for stored requests (issue 11 item 2): only <see cref="RequestRecords"/> parses a
    /// stored request document; <see cref="RequestService"/> parses the intake form's document (user
    /// input, whose errors go back to the form).
    /// </summary>
    [Fact]
    public void RequestDocuments_AreParsedOnlyByRequestRecords_AndTheIntakeForm()
    {
        var callers = LayerScan.Callers(Web, typeof(Confide.Core.Requests.RequestParser), nameof(Confide.Core.Requests.RequestParser.Parse));

        Assert.Equal(new[] { typeof(RequestRecords).FullName!, typeof(RequestService).FullName! }.Order(StringComparer.Ordinal), callers);
    }

    [Fact]
    public void TheScan_CatchesADependency_InThisAssemblysCanary()
    {
        var found = LayerScan.Dependencies(typeof(LayerTests).Assembly, "Confide.Security.Tests.LayerCanary.Features", "Confide.Security.Tests.LayerCanary.Pages");

        Assert.Contains(found, d => d.User == typeof(LayerCanary.Features.UsesAPage).FullName && d.Used == typeof(LayerCanary.Pages.CanaryPage).FullName);
        // Only inside an async method (its state machine): still attributed to the canary.
        Assert.Contains(found, d => d.User == typeof(LayerCanary.Features.UsesAPageWhenAwaited).FullName && d.Used == typeof(LayerCanary.Pages.CanaryPage).FullName);
        Assert.DoesNotContain(found, d => d.User == typeof(LayerCanary.Features.Clean).FullName);
        Assert.Equal(
            new[] { typeof(LayerCanary.Features.UsesAPage).FullName!, typeof(LayerCanary.Features.UsesAPageWhenAwaited).FullName! }.Order(StringComparer.Ordinal),
            LayerScan.Callers(typeof(LayerTests).Assembly, typeof(LayerCanary.Pages.CanaryPage), nameof(LayerCanary.Pages.CanaryPage.Count))
        );
    }
}

/// <summary>A use of a type of one namespace by a type (outermost) of another.</summary>
internal sealed record LayerDependency(string User, string Used);

internal static class LayerScan
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The type's namespace is <paramref name="prefix"/> or one under it (nested types have their outer type's namespace).</summary>
    public static bool In(Type type, string prefix) => type.Namespace is { } ns && (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal));

    /// <summary>Every type of <paramref name="assembly"/> under <paramref name="from"/> that uses a type under <paramref name="to"/>, distinct.</summary>
    public static List<LayerDependency> Dependencies(Assembly assembly, string from, string to)
    {
        var found = new HashSet<LayerDependency>();
        foreach (var type in assembly.GetTypes().Where(t => In(t, from)))
        {
            var user = Outermost(type).FullName!;
            foreach (var used in Used(type).SelectMany(Expand).Where(u => In(u, to)))
            {
                found.Add(new LayerDependency(user, Outermost(used).FullName!));
            }
        }
        return found.OrderBy(d => d.User, StringComparer.Ordinal).ThenBy(d => d.Used, StringComparer.Ordinal).ToList();
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }
        return type;
    }

    /// <summary>A type with its generic arguments and element types, recursively.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var t in Expand(element))
            {
                yield return t;
            }
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<Type> Used(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }
        foreach (var i in type.GetInterfaces())
        {
            yield return i;
        }
        foreach (var a in type.CustomAttributes)
        {
            yield return a.AttributeType;
        }
        foreach (var f in type.GetFields(All))
        {
            yield return f.FieldType;
        }
        foreach (var p in type.GetProperties(All))
        {
            yield return p.PropertyType;
        }
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo info)
            {
                yield return info.ReturnType;
            }
            foreach (var p in m.GetParameters())
            {
                yield return p.ParameterType;
            }
            if (m.GetMethodBody() is not { } body)
            {
                continue;
            }
            foreach (var local in body.LocalVariables)
            {
                yield return local.LocalType;
            }
            foreach (var t in InBody(type, m).SelectMany(TypesOf))
            {
                yield return t;
            }
        }
    }

    /// <summary>
    /// The types of <paramref name="assembly"/> (outermost) whose IL calls a method named
    /// <paramref name="method"/> of <paramref name="declaring"/>, distinct.
    /// </summary>
    public static List<string> Callers(Assembly assembly, Type declaring, string method)
    {
        var found = new HashSet<string>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (InBody(type, m).Any(c => c is MethodBase called && called.DeclaringType == declaring && called.Name == method))
                {
                    found.Add(Outermost(type).FullName!);
                }
            }
        }
        return found.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The types, methods and fields the IL of <paramref name="method"/> names.</summary>
    private static IEnumerable<MemberInfo> InBody(Type type, MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArgs = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var token = BitConverter.ToInt32(il, at);
                    at += 4;
                    if (Resolve(type.Module, token, typeArgs, methodArgs) is { } member)
                    {
                        yield return member;
                    }
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    at += 4;
                    break;
            }
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null; // a token this module cannot resolve: nothing to report
        }
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member) =>
        member switch
        {
            Type t => [t],
            FieldInfo f => [f.DeclaringType!, f.FieldType],
            MethodInfo m => [m.DeclaringType!, m.ReturnType, .. m.GetParameters().Select(p => p.ParameterType), .. m.IsGenericMethod ? m.GetGenericArguments() : []],
            MethodBase c => [c.DeclaringType!, .. c.GetParameters().Select(p => p.ParameterType)],
            _ => [],
        };
}
