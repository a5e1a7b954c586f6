using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs;

/// <summary>Builds a codec from its v3 configuration and the spec of the chunk it will see.</summary>
/// <param name="configuration">The "configuration" object, or null.</param>
/// <param name="decodedSpec">The chunk as the codec decodes it.</param>
public delegate ICodec CodecFactory(JsonObject? configuration, ChunkSpec decodedSpec);

/// <summary>
/// Codecs by name: v3 names ("gzip", "bytes") and v2 numcodecs ids ("zlib", "zstd"). zarr-python 3 writes
/// numcodecs codecs into v3 metadata as "numcodecs.&lt;id&gt;"; those resolve to the v2 id's factory.
/// Register your own codecs on <see cref="Default"/> or on an instance passed through the open options.
/// </summary>
public sealed class CodecRegistry
{
    private readonly ConcurrentDictionary<string, CodecFactory> _v3 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CodecFactory> _v2 = new(StringComparer.Ordinal);

    /// <summary>The registry used when options name none, with every built-in codec.</summary>
    public static CodecRegistry Default { get; } = CreateDefault();

    /// <summary>A new registry with every built-in codec.</summary>
    public static CodecRegistry CreateDefault()
    {
        var r = new CodecRegistry();
        r.Register("bytes", (c, _) => BytesCodec.FromConfiguration(c));
        r.Register("transpose", (c, s) => TransposeCodec.FromConfiguration(c, s.Shape.Length));
        r.Register("gzip", (c, _) => new GzipCodec(Int(c, "level", 5)));
        r.Register("zstd", (c, _) => new ZstdCodec(Int(c, "level", 0), Bool(c, "checksum", false)));
        r.Register("crc32c", (_, _) => new Crc32cCodec());
        r.Register("vlen-utf8", (_, _) => new VLenUtf8Codec());
        r.Register("sharding_indexed", (c, s) => Sharding.ShardingCodec.FromConfiguration(c, s, r));
        r.Register("blosc", Blosc.BloscCodec.FromV3Configuration);
        r.RegisterV2("gzip", (c, _) => new GzipCodec(Int(c, "level", 5)));
        r.RegisterV2("zlib", (c, _) => new ZlibCodec(Int(c, "level", 1)));
        r.RegisterV2("zstd", (c, _) => new ZstdCodec(Int(c, "level", 1), Bool(c, "checksum", false)));
        r.RegisterV2("vlen-utf8", (_, _) => new VLenUtf8Codec());
        r.RegisterV2("crc32c", (_, _) => new Crc32cCodec());
        r.RegisterV2("blosc", Blosc.BloscCodec.FromV2Configuration);
        Numcodecs.NumcodecsCodecs.RegisterAll(r);
        return r;
    }

    /// <summary>Reads an integer configuration field, or returns <paramref name="fallback"/> when absent.</summary>
    /// <param name="c">The configuration.</param>
    /// <param name="name">The field.</param>
    /// <param name="fallback">The default.</param>
    public static int Int(JsonObject? c, string name, int fallback)
    {
        var n = c?[name];
        if (n is null) return fallback;
        if (n.GetValueKind() != JsonValueKind.Number || !n.AsValue().TryGetValue<int>(out var v)) throw new FormatException($"configuration field '{name}' must be an integer, got {n.ToJsonString()}");
        return v;
    }

    /// <summary>Reads a boolean configuration field, or returns <paramref name="fallback"/> when absent.</summary>
    /// <param name="c">The configuration.</param>
    /// <param name="name">The field.</param>
    /// <param name="fallback">The default.</param>
    public static bool Bool(JsonObject? c, string name, bool fallback)
    {
        var n = c?[name];
        if (n is null) return fallback;
        if (n.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) throw new FormatException($"configuration field '{name}' must be true or false, got {n.ToJsonString()}");
        return n.GetValue<bool>();
    }

    /// <summary>Registers a v3 codec; the result unregisters it when disposed.</summary>
    /// <param name="name">The v3 name.</param>
    /// <param name="factory">Builds the codec.</param>
    public IDisposable Register(string name, CodecFactory factory) => Add(_v3, name, factory);

    /// <summary>Registers a v2 (numcodecs) codec by id; the factory receives the whole object (with "id"). The result unregisters it.</summary>
    /// <param name="id">The numcodecs id.</param>
    /// <param name="factory">Builds the codec.</param>
    public IDisposable RegisterV2(string id, CodecFactory factory) => Add(_v2, id, factory);

    private static IDisposable Add(ConcurrentDictionary<string, CodecFactory> map, string name, CodecFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        map[name] = factory;
        return new Registration(() => map.TryRemove(new KeyValuePair<string, CodecFactory>(name, factory)));
    }

    /// <summary>True when a v3 codec of that name is known.</summary>
    /// <param name="name">The name.</param>
    public bool IsKnown(string name) => _v3.ContainsKey(name) || (name.StartsWith("numcodecs.", StringComparison.Ordinal) && _v2.ContainsKey(name["numcodecs.".Length..]));

    /// <summary>Builds a v3 codec from its metadata object; unknown codecs are a <see cref="ZarrFormatException"/> naming them.</summary>
    /// <param name="codec">The codec object (or a bare name string).</param>
    /// <param name="decodedSpec">The chunk as the codec decodes it.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public ICodec? CreateV3(JsonNode? codec, ChunkSpec decodedSpec, string key)
    {
        string name;
        JsonObject? config = null;
        bool mustUnderstand = true;
        if (codec is JsonValue v && v.TryGetValue<string>(out var s)) name = s;
        else if (codec is JsonObject o && o["name"] is JsonValue nv && nv.TryGetValue<string>(out var n))
        {
            name = n;
            config = o["configuration"] as JsonObject;
            if (o["configuration"] is not null and not JsonObject) throw new ZarrFormatException(key, $"codec '{name}': 'configuration' must be an object");
            if (o["must_understand"] is JsonValue mu && mu.TryGetValue<bool>(out var m)) mustUnderstand = m;
        }
        else throw new ZarrFormatException(key, $"a codec must be an object with a 'name', got {ZarrDataType.Describe(codec)}");
        CodecFactory? factory;
        if (!_v3.TryGetValue(name, out factory) && name.StartsWith("numcodecs.", StringComparison.Ordinal))
            _v2.TryGetValue(name["numcodecs.".Length..], out factory);
        if (factory is null)
        {
            if (!mustUnderstand) return null;
            throw new ZarrFormatException(key, $"codec '{name}' is not supported");
        }
        return Build(factory, config, decodedSpec, key, name);
    }

    /// <summary>Builds a v2 compressor or filter from its numcodecs object (<c>{"id": ..., ...}</c>).</summary>
    /// <param name="codec">The object.</param>
    /// <param name="decodedSpec">The chunk as the codec decodes it.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public ICodec CreateV2(JsonNode? codec, ChunkSpec decodedSpec, string key)
    {
        if (codec is not JsonObject o || o["id"] is not JsonValue idv || !idv.TryGetValue<string>(out var id))
            throw new ZarrFormatException(key, $"a compressor or filter must be an object with an 'id', got {ZarrDataType.Describe(codec)}");
        if (!_v2.TryGetValue(id, out var factory)) throw new ZarrFormatException(key, $"codec '{id}' is not supported");
        return Build(factory, o, decodedSpec, key, id);
    }

    private static ICodec Build(CodecFactory factory, JsonObject? config, ChunkSpec spec, string key, string name)
    {
        try
        {
            return factory(config, spec);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or ZarrCodecException && e is not ZarrFormatException)
        {
            throw new ZarrFormatException(key, $"codec '{name}': {e.Message}", e);
        }
    }

    private sealed class Registration(Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
