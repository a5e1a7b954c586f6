using System.Text.Encodings.Web;
using System.Text.Json;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// Writes <c>{"shape":[...],"dtype":"...","data":[...]}</c>: the elements flat, in C order, formatted by
/// <see cref="ElementFormatter"/>. The one output that holds every data type, variable-length strings included.
/// </summary>
internal sealed class JsonArrayWriter : IArraySink
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly ZarrDataType _dataType;
    private readonly ElementFormatter _format;

    /// <summary>Creates a writer.</summary>
    /// <param name="stream">The output; disposed with the writer.</param>
    /// <param name="dataType">The elements' type.</param>
    public JsonArrayWriter(Stream stream, ZarrDataType dataType)
    {
        _stream = stream;
        _dataType = dataType;
        _format = new ElementFormatter(dataType);
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <inheritdoc />
    public void Begin(long[] shape)
    {
        _writer.WriteStartObject();
        _writer.WriteStartArray("shape");
        foreach (var s in shape) _writer.WriteNumberValue(s);
        _writer.WriteEndArray();
        _writer.WriteString("dtype", _dataType.Name);
        _writer.WriteStartArray("data");
    }

    /// <inheritdoc />
    public void Write<T>(ReadOnlySpan<T> values)
    {
        foreach (var v in values) _format.WriteJson(_writer, v);
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Complete()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
