using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Confide.Security.Tests;

/// <summary>A method call (or constructor call) found in IL: the outermost type whose code makes it, and the member called (<c>Namespace.Type.Name</c>, <c>.ctor</c> for a constructor).</summary>
internal sealed record IlCall(string Caller, string Callee);

/// <summary>
/// Every call an assembly's IL makes, for the architecture tests: each method body is read for its
/// method tokens (call, callvirt, newobj, ldftn). Lambdas and async state machines count as their
/// enclosing type. Members of generic type instances (e.g. <c>DbSet&lt;T&gt;.Add</c>) are not named.
/// </summary>
internal static class IlCalls
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static List<IlCall> Scan(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var found = new List<IlCall>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var caller = OutermostName(md, typeHandle);
            foreach (var methodHandle in md.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                foreach (var token in MethodTokens(il))
                {
                    if (Callee(md, token) is { } callee)
                    {
                        found.Add(new IlCall(caller, callee));
                    }
                }
            }
        }
        return found;
    }

    private static IEnumerable<int> MethodTokens(BlobReader il)
    {
        var tokens = new List<int>();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il.ReadByte()));
            }
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                    tokens.Add(il.ReadInt32());
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32(); // read first: `Offset += 4 * ReadInt32()` would read Offset before the count moves it
                    il.Offset += 4 * targets;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return tokens;
    }

    private static string? Callee(MetadataReader md, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var def = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                return $"{TypeName(md, def.GetDeclaringType())}.{md.GetString(def.Name)}";
            case HandleKind.MemberReference:
                var reference = md.GetMemberReference((MemberReferenceHandle)handle);
                var parent = reference.Parent.Kind switch
                {
                    HandleKind.TypeReference => TypeName(md, (TypeReferenceHandle)reference.Parent),
                    HandleKind.TypeDefinition => TypeName(md, (TypeDefinitionHandle)reference.Parent),
                    _ => null,
                };
                return parent is null ? null : $"{parent}.{md.GetString(reference.Name)}";
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                return Callee(md, MetadataTokens.GetToken(spec.Method));
            default:
                return null;
        }
    }

    private static string TypeName(MetadataReader md, TypeReferenceHandle handle)
    {
        var t = md.GetTypeReference(handle);
        return t.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{TypeName(md, (TypeReferenceHandle)t.ResolutionScope)}+{md.GetString(t.Name)}"
            : $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}";
    }

    private static string TypeName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var t = md.GetTypeDefinition(handle);
        var outer = t.GetDeclaringType();
        return outer.IsNil ? $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}" : $"{TypeName(md, outer)}+{md.GetString(t.Name)}";
    }

    /// <summary>The outermost enclosing type: a lambda's closure or an async state machine counts as the type that wrote it.</summary>
    private static string OutermostName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var t = md.GetTypeDefinition(handle);
        while (!t.GetDeclaringType().IsNil)
        {
            handle = t.GetDeclaringType();
            t = md.GetTypeDefinition(handle);
        }
        return $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}";
    }
}
