using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Confide.Documents.Packets;

namespace Confide.Documents.Sandbox;

/// <summary>What the parent asks of the child: one command, its caps, and for a build the request and options.</summary>
/// <param name="Command"><see cref="PdfJob.Scan"/> or <see cref="PdfJob.Build"/>.</param>
/// <param name="Limits">The structural caps the child checks every PDF against before opening it.</param>
/// <param name="Request">For a build: the packet request (each attachment's <c>Open</c> is a file of the job directory).</param>
/// <param name="Options">For a build: the builder's options (its scratch directory is the job directory).</param>
public sealed record PdfJobInput(string Command, PdfLimits Limits, PacketRequest? Request = null, PacketOptions? Options = null);

/// <summary>What the child answers.</summary>
/// <param name="Status"><c>ok</c>, <c>refused</c> (a cap broken), or an error kind the parent raises again: <c>argument</c>, <c>invalid-data</c>, <c>pdftoppm-missing</c>.</param>
/// <param name="Message">Words for the log and the failure (item ids and caps, no content), or empty.</param>
/// <param name="Scan">The pre-scan of the file (scan), or of the first attachment that broke a cap (build).</param>
/// <param name="Pages">Scan: the pages PDFsharp counted, or null when it could not read the file.</param>
/// <param name="Packet">Build: the result; the PDF is <see cref="PdfJob.OutputFile"/>.</param>
public sealed record PdfJobOutput(string Status, string Message, PdfScanResult? Scan = null, int? Pages = null, PacketResult? Packet = null);

/// <summary>
/// The one place a job crosses the process boundary: a job directory holding <see cref="InputFile"/>
/// (JSON), the PDFs as files (<see cref="ScanFile"/>, or one file per attachment under
/// <see cref="AttachmentsFolder"/>), and after the child ran <see cref="OutputFile"/> and
/// <see cref="ResultFile"/>. A <see cref="PacketRequest"/> is serialized as it is (every property of
/// every item, whatever is added to them later); only an attachment's <c>Open</c> becomes a file
/// name, and an excluded attachment is never opened.
/// </summary>
public static class PdfJob
{
    public const string Scan = "scan";
    public const string Build = "build";
    public const string InputFile = "job.json";
    public const string ResultFile = "result.json";
    public const string OutputFile = "packet.pdf";
    public const string ScanFile = "input.pdf";
    public const string AttachmentsFolder = "attachments";

    /// <summary>The progress line prefix on the child's standard output: <c>progress {json}</c>.</summary>
    public const string ProgressPrefix = "progress ";

    /// <summary>Writes <paramref name="input"/> into <paramref name="directory"/>, copying each included attachment to a file.</summary>
    public static void Write(string directory, PdfJobInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Directory.CreateDirectory(Path.Combine(directory, AttachmentsFolder));
        if (input.Request is { } request)
        {
            input = input with
            {
                Request = request with { Items = [.. request.Items.Select(i => i is AttachmentItem { Mode: AttachmentMode.Exclude } a ? a with { Open = NeverOpened } : i)] },
            };
        }
        using var file = new FileStream(Path.Combine(directory, InputFile), FileMode.CreateNew, FileAccess.Write);
        JsonSerializer.Serialize(file, input, Options(directory));
    }

    /// <summary>Reads the job written by <see cref="Write"/>; attachments open their files in <paramref name="directory"/>.</summary>
    public static PdfJobInput Read(string directory)
    {
        using var file = File.OpenRead(Path.Combine(directory, InputFile));
        return JsonSerializer.Deserialize<PdfJobInput>(file, Options(directory)) ?? throw new InvalidDataException("empty job");
    }

    /// <summary>Writes the child's answer.</summary>
    public static void WriteResult(string directory, PdfJobOutput output)
    {
        using var file = new FileStream(Path.Combine(directory, ResultFile), FileMode.Create, FileAccess.Write);
        JsonSerializer.Serialize(file, output, Options(directory));
    }

    /// <summary>Reads the child's answer (the caller has checked its size).</summary>
    /// <exception cref="JsonException">Not an answer.</exception>
    public static PdfJobOutput ReadResult(string directory, byte[] json) =>
        JsonSerializer.Deserialize<PdfJobOutput>(json, Options(directory)) ?? throw new JsonException("empty result");

    /// <summary>A progress report as one line.</summary>
    public static string ProgressLine(PacketProgress progress) => ProgressPrefix + JsonSerializer.Serialize(progress, Plain);

    /// <summary>A progress line read back, or null when the line is not one.</summary>
    public static PacketProgress? ParseProgress(string line)
    {
        if (!line.StartsWith(ProgressPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PacketProgress>(line.AsSpan(ProgressPrefix.Length), Plain);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.General);

    private static readonly Func<Stream> NeverOpened = () => throw new InvalidOperationException("an excluded upload is never opened");

    private static JsonSerializerOptions Options(string directory) =>
        new(JsonSerializerDefaults.General)
        {
            Converters = { new OpenConverter(directory), new ReadOnlySetConverter() },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Polymorphic } },
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

    /// <summary>Packet items carry their kind (<c>$kind</c>: typed or attachment).</summary>
    private static void Polymorphic(JsonTypeInfo info)
    {
        if (info.Type == typeof(PacketItem))
        {
            info.PolymorphismOptions = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "$kind",
                UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
                DerivedTypes = { new JsonDerivedType(typeof(TypedItem), "typed"), new JsonDerivedType(typeof(AttachmentItem), "attachment") },
            };
        }
    }

    /// <summary>An <see cref="IReadOnlySet{T}"/> (redacted pages, say) as a JSON array, read back as a <see cref="HashSet{T}"/>.</summary>
    private sealed class ReadOnlySetConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlySet<>);

        public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter?)Activator.CreateInstance(typeof(SetConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]));

        private sealed class SetConverter<T> : JsonConverter<IReadOnlySet<T>>
        {
            public override IReadOnlySet<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                JsonSerializer.Deserialize<List<T>>(ref reader, options) is { } items ? new HashSet<T>(items) : null;

            public override void Write(Utf8JsonWriter writer, IReadOnlySet<T> value, JsonSerializerOptions options) => JsonSerializer.Serialize(writer, value.ToList(), options);
        }
    }

    /// <summary>An attachment's <c>Open</c>: written as the name of a file the PDF is copied to, read as opening that file.</summary>
    private sealed class OpenConverter(string directory) : JsonConverter<Func<Stream>>
    {
        private int _next;

        public override Func<Stream>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return NeverOpened;
            }
            var name = reader.GetString() ?? "";
            if (name.Length == 0 || name != Path.GetFileName(name) || name.Contains("..", StringComparison.Ordinal))
            {
                throw new JsonException("an attachment file name must be a plain file name");
            }
            var path = Path.Combine(directory, AttachmentsFolder, name);
            return () => File.OpenRead(path);
        }

        public override void Write(Utf8JsonWriter writer, Func<Stream> value, JsonSerializerOptions options)
        {
            if (ReferenceEquals(value, NeverOpened))
            {
                writer.WriteNullValue();
                return;
            }
            var name = $"{_next++}.pdf";
            using (var source = value())
            using (var file = new FileStream(Path.Combine(directory, AttachmentsFolder, name), FileMode.CreateNew, FileAccess.Write))
            {
                source.CopyTo(file);
            }
            writer.WriteStringValue(name);
        }
    }
}
