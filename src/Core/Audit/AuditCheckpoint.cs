using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Confide.Core.Audit;

/// <summary>
/// A signed statement that a practice's audit chain had <see cref="EntryCount"/> entries ending in
/// <see cref="HeadHash"/> at <see cref="At"/>: exported to a file outside the system, it lets a later
/// verification notice entries cut from the end or a chain rewritten with recomputed hashes.
/// The signature is Ed25519 over <see cref="SignedBytes()"/> by the key whose public half is
/// <see cref="PublicKey"/>; this type only carries and encodes it (signing is the data layer's).
/// </summary>
/// <param name="PracticeId">Whose chain.</param>
/// <param name="EntryCount">How many entries it had (at least 1).</param>
/// <param name="HeadHash">The hash of entry <paramref name="EntryCount"/> (32 bytes).</param>
/// <param name="At">When the checkpoint was made (UTC).</param>
/// <param name="Signature">Ed25519 signature (64 bytes) over <see cref="SignedBytes()"/>.</param>
/// <param name="PublicKey">The Ed25519 public key (32 bytes) that verifies it.</param>
public sealed record AuditCheckpoint(Guid PracticeId, long EntryCount, byte[] HeadHash, DateTimeOffset At, byte[] Signature, byte[] PublicKey)
{
    /// <summary>The <c>format</c> property of a current checkpoint file, and the domain tag of the bytes it signs.</summary>
    public const string Format = "confide-audit-checkpoint-v2";

    /// <summary>The <c>format</c> of checkpoints made before domain separation (still read and verified).</summary>
    public const string FormatV1 = "confide-audit-checkpoint-v1";

    /// <summary>The current checkpoint format.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The first byte of the message a format-2 checkpoint signs (0x00 and 0x01 start entry hashes' inputs).</summary>
    public const byte SignaturePrefix = 0x02;

    /// <summary>The size of an Ed25519 signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>The size of an Ed25519 public key.</summary>
    public const int PublicKeySize = 32;

    /// <summary>A checkpoint file larger than this is refused unread.</summary>
    public const int MaxFileBytes = 64 * 1024;

    private static readonly string[] Properties = ["format", "practiceId", "entryCount", "headHash", "at", "signature", "publicKey"];

    // Base64's '+' and '/' as they are (the default encoder would write \u002B): the file is read by people too.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 4,
    };

    /// <summary>Which rules the signature follows: 2 (the default) or 1 for checkpoints made before format 2.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The bytes a checkpoint's signature covers: this checkpoint's <see cref="SignedBytes(int, Guid, long, ReadOnlySpan{byte}, DateTimeOffset)"/>.</summary>
    public byte[] SignedBytes() => SignedBytes(Version, PracticeId, EntryCount, HeadHash, At);

    /// <summary>
    /// The bytes a checkpoint's signature covers. Format 2: the byte 0x02, then the tag
    /// <see cref="Format"/>, the practice ("N" form), the entry count (invariant decimal), the head
    /// hash (raw) and the time (UTC ticks, invariant decimal), each as a 4-byte big-endian length and
    /// its bytes. Format 1: the same fields behind the tag <see cref="FormatV1"/>, without the prefix byte.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown version.</exception>
    public static byte[] SignedBytes(int version, Guid practiceId, long entryCount, ReadOnlySpan<byte> headHash, DateTimeOffset at)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        switch (version)
        {
            case CurrentVersion:
                buffer.Write([SignaturePrefix]);
                Field(buffer, Encoding.ASCII.GetBytes(Format));
                break;
            case 1:
                Field(buffer, Encoding.ASCII.GetBytes(FormatV1));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(version), version, "unknown checkpoint format");
        }
        Field(buffer, Encoding.ASCII.GetBytes(practiceId.ToString("N")));
        Field(buffer, Encoding.ASCII.GetBytes(entryCount.ToString(CultureInfo.InvariantCulture)));
        Field(buffer, headHash);
        Field(buffer, Encoding.ASCII.GetBytes(at.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The checkpoint file: indented UTF-8 JSON, hashes in lowercase hex, keys and signatures in base64.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("format", Version == 1 ? FormatV1 : Format);
            w.WriteString("practiceId", PracticeId.ToString("D"));
            w.WriteNumber("entryCount", EntryCount);
            w.WriteString("headHash", Convert.ToHexStringLower(HeadHash));
            w.WriteString("at", At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("signature", Convert.ToBase64String(Signature));
            w.WriteString("publicKey", Convert.ToBase64String(PublicKey));
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a checkpoint file strictly: one object with exactly the properties <see cref="ToJson"/>
    /// writes, each of the right form. Never throws on bad input: the result is a checkpoint or the
    /// problems, each as "JSON path: what was expected".
    /// </summary>
    public static AuditCheckpointParse Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxFileBytes)
        {
            return AuditCheckpointParse.Fail($"$: the file is larger than {MaxFileBytes / 1024} KiB; a checkpoint is a few hundred bytes");
        }
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            return AuditCheckpointParse.Fail($"$: not valid JSON (line {(e.LineNumber ?? 0) + 1}): expected a checkpoint object");
        }
        using (doc)
        {
            try
            {
                return Read(doc.RootElement);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json checks a string's UTF-8 only when it is read.
                return AuditCheckpointParse.Fail("$: not valid UTF-8 text: expected a checkpoint object");
            }
        }
    }

    private static AuditCheckpointParse Read(JsonElement root)
    {
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return AuditCheckpointParse.Fail("$: expected a checkpoint object");
            }
            var errors = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
            {
                if (!Properties.Contains(p.Name, StringComparer.Ordinal))
                {
                    errors.Add($"$.{p.Name}: unknown property (expected {string.Join(", ", Properties)})");
                }
                else if (!seen.Add(p.Name))
                {
                    errors.Add($"$.{p.Name}: duplicate property");
                }
            }
            foreach (var name in Properties.Where(n => !seen.Contains(n)))
            {
                errors.Add($"$.{name}: missing");
            }
            if (errors.Count > 0)
            {
                return AuditCheckpointParse.Fail([.. errors]);
            }

            var format = Text(root, "format", errors);
            if (format is not null && format != Format && format != FormatV1)
            {
                errors.Add($"$.format: expected \"{Format}\" (or \"{FormatV1}\"), got \"{format}\"");
            }
            var practice = Guid.Empty;
            if (Text(root, "practiceId", errors) is { } practiceText && !Guid.TryParseExact(practiceText, "D", out practice))
            {
                errors.Add("$.practiceId: expected a practice identifier (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
            }
            var countElement = root.GetProperty("entryCount");
            long count = 0;
            if (countElement.ValueKind != JsonValueKind.Number || !countElement.TryGetInt64(out count) || count < 1)
            {
                errors.Add("$.entryCount: expected a whole number of at least 1");
            }
            var head = Bytes(root, "headHash", AuditChain.HashSize, hex: true, errors);
            var at = default(DateTimeOffset);
            if (
                Text(root, "at", errors) is { } atText
                && !DateTimeOffset.TryParseExact(
                    atText,
                    "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out at
                )
            )
            {
                errors.Add("$.at: expected a time like 2026-11-29T12:00:00.0000000Z");
            }
            var signature = Bytes(root, "signature", SignatureSize, hex: false, errors);
            var publicKey = Bytes(root, "publicKey", PublicKeySize, hex: false, errors);
            return errors.Count > 0
                ? AuditCheckpointParse.Fail([.. errors])
                : AuditCheckpointParse.Ok(
                    new AuditCheckpoint(practice, count, head!, at.ToUniversalTime(), signature!, publicKey!) { Version = format == FormatV1 ? 1 : CurrentVersion }
                );
        }
    }

    private static string? Text(JsonElement root, string name, List<string> errors)
    {
        var e = root.GetProperty(name);
        if (e.ValueKind == JsonValueKind.String)
        {
            return e.GetString();
        }
        errors.Add($"$.{name}: expected a string");
        return null;
    }

    private static byte[]? Bytes(JsonElement root, string name, int size, bool hex, List<string> errors)
    {
        var text = Text(root, name, errors);
        if (text is null)
        {
            return null;
        }
        byte[]? bytes = null;
        try
        {
            bytes = hex ? Convert.FromHexString(text) : Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            // reported below
        }
        if (bytes is null || bytes.Length != size)
        {
            errors.Add($"$.{name}: expected {size} bytes in {(hex ? "hex" : "base64")}");
            return null;
        }
        return bytes;
    }

    private static void Field(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value.Length);
        buffer.Advance(4);
        buffer.Write(value);
    }
}

/// <summary>The result of reading a checkpoint file: the checkpoint, or the problems found. Never both.</summary>
public sealed class AuditCheckpointParse
{
    private AuditCheckpointParse(AuditCheckpoint? checkpoint, IReadOnlyList<string> errors)
    {
        Checkpoint = checkpoint;
        Errors = errors;
    }

    /// <summary>The checkpoint, when the file is well formed.</summary>
    public AuditCheckpoint? Checkpoint { get; }

    /// <summary>Each problem as "JSON path: what was expected"; empty when well formed.</summary>
    public IReadOnlyList<string> Errors { get; }

    internal static AuditCheckpointParse Ok(AuditCheckpoint checkpoint) => new(checkpoint, []);

    internal static AuditCheckpointParse Fail(params string[] errors) => new(null, errors);
}
