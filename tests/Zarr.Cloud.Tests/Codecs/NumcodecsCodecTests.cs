using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Numcodecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>The numcodecs codecs on their own: known values, NumPy's arithmetic, and bad input of every kind.</summary>
public class NumcodecsCodecTests
{
    private static byte[] Bytes(int n, int seed = 1)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        for (int i = 0; i < n; i += 7) b[i] = 0; // some redundancy for the compressors
        return b;
    }

    public static TheoryData<string> BytesCodecs() => ["lz4", "bz2", "lzma", "shuffle", "crc32", "adler32", "fletcher32"];

    private static IBytesToBytesCodec Make(string name) => name switch
    {
        "lz4" => new Lz4Codec(),
        "bz2" => new Bz2Codec(),
        "lzma" => new LzmaCodec(),
        "shuffle" => new ShuffleCodec(4),
        "crc32" => new Crc32Codec(),
        "adler32" => new Adler32Codec(),
        _ => new Fletcher32Codec(),
    };

    [Theory]
    [MemberData(nameof(BytesCodecs))]
    public void BytesCodecsRoundTripAndRejectBadInput(string name)
    {
        var codec = Make(name);
        var data = Bytes(4000);
        using var encoded = codec.Encode(data);
        using (var decoded = codec.Decode(encoded.Span, data.Length)) Assert.Equal(data, decoded.Span.ToArray());
        using (var decoded = codec.Decode(encoded.Span, null)) Assert.Equal(data, decoded.Span.ToArray());
        var into = new byte[data.Length];
        codec.DecodeInto(encoded.Span, into);
        Assert.Equal(data, into);

        // The wrong expected length, truncated data, garbage, empty input: a ZarrCodecException each, never a wrong result.
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded.Span, data.Length + 1).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.DecodeInto(encoded.Span, new byte[data.Length - 4]));
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded.Span[..(encoded.Length - 9)], data.Length).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.Decode(Bytes(300, 7), data.Length).Dispose());
        if (name != "shuffle") Assert.Throws<ZarrCodecException>(() => codec.Decode([], null).Dispose());
        // A flipped byte: checksums and the checked containers (bzip2's block CRC, .lzma's end marker) notice;
        // an LZ4 block and a shuffle carry no check, so there (as in numcodecs) it can pass unnoticed.
        var corrupt = encoded.Span.ToArray();
        corrupt[corrupt.Length / 2] ^= 0x55;
        if (name is not ("shuffle" or "lz4")) Assert.Throws<ZarrCodecException>(() => codec.Decode(corrupt, data.Length).Dispose());
    }

    [Fact]
    public void ChecksumsAreWhereNumcodecsPutsThem()
    {
        // numcodecs 0.11: CRC32(b"abc") and Adler32(b"abc") are the 4 bytes before the data.
        using (var crc = new Crc32Codec().Encode("abc"u8)) Assert.Equal("c2412435616263", Convert.ToHexStringLower(crc.Span));
        using (var adler = new Adler32Codec().Encode("abc"u8)) Assert.Equal("27014d02616263", Convert.ToHexStringLower(adler.Span));
        var big = Enumerable.Range(0, 10240).Select(i => (byte)i).ToArray(); // longer than Adler-32's 5552-byte block
        using (var adler = new Adler32Codec().Encode(big)) Assert.Equal("1eed75f4", Convert.ToHexStringLower(adler.Span[..4]));
        using (var crc = new Crc32Codec().Encode(big)) Assert.Equal("9d3bcebb", Convert.ToHexStringLower(crc.Span[..4]));
        using (var end = new Crc32Codec(atEnd: true).Encode("abc"u8)) Assert.Equal("616263c2412435", Convert.ToHexStringLower(end.Span));
        Assert.Equal("end", new Crc32Codec(atEnd: true).ToV2Json()["location"]!.GetValue<string>());
        Assert.Null(new Crc32Codec().ToV2Json()["location"]); // numcodecs before 0.13 rejects the field

        // Fletcher-32 (HDF5's), appended: numcodecs' own test vector, ten int64 values and the checksum fd258664.
        long[] values = [1911, -2427, 1897, -2412, 2440, 873, -621, -829, 551, -2118];
        var raw = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        using var f = new Fletcher32Codec().Encode(raw);
        Assert.Equal("fd258664", Convert.ToHexStringLower(f.Span[^4..]));
        Assert.Equal(raw, f.Span[..^4].ToArray());
        // An odd length takes the last byte as the high byte of a word.
        Assert.Equal(Fletcher32Codec.Fletcher32([1, 2, 3, 0]), Fletcher32Codec.Fletcher32([1, 2, 3]));
    }

    [Fact]
    public void Lz4RefusesSizesTheDataCannotHold()
    {
        var codec = new Lz4Codec();
        using var encoded = codec.Encode(new byte[1000]);
        var lying = encoded.Span.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(lying, int.MaxValue);
        var e = Assert.Throws<ZarrCodecException>(() => codec.Decode(lying, null).Dispose());
        Assert.Contains("claims", e.Message);
        BinaryPrimitives.WriteInt32LittleEndian(lying, -5);
        Assert.Throws<ZarrCodecException>(() => codec.Decode(lying, null).Dispose());
        BinaryPrimitives.WriteInt32LittleEndian(lying, 999);
        Assert.Throws<ZarrCodecException>(() => codec.Decode(lying, 1000).Dispose());
        // A highly compressible megabyte (LZ4 tops out near 255:1) still decodes without an expected size.
        using var zeros = codec.Encode(new byte[1 << 20]);
        using var back = codec.Decode(zeros.Span, null);
        Assert.Equal(1 << 20, back.Length);
    }

    // Python's lzma.compress(bytes(range(64)) * 4, preset=9): an xz stream whose header asks for a 64 MiB dictionary.
    private const string XzPreset9 = "fd377a585a000004e6d6b446020021011c00000010cf58cce000ff00435d00000052500a84f99bb28021a969d627e03e065a5f048d53d404ba39570509c15524de9db871593160a19ff96f4973f2c8ea8cba1a8b29692180fe33837c3445f494000000008b89a5197099414900015f8002000000e6166225b1c467fb020000000004595a";

    [Fact]
    public void LzmaReadsXzAndBoundsTheDictionaryAHeaderAsksFor()
    {
        var xz = Convert.FromHexString(XzPreset9);
        var expected = Enumerable.Range(0, 256).Select(i => (byte)(i % 64)).ToArray();
        var codec = new LzmaCodec(format: LzmaCodec.FormatXz);
        using (var d = codec.Decode(xz, 256)) Assert.Equal(expected, d.Span.ToArray());
        using (var d = codec.Decode(xz, null)) Assert.Equal(expected, d.Span.ToArray());
        using (var d = new LzmaCodec(format: LzmaCodec.FormatAuto).Decode(xz, 256)) Assert.Equal(expected, d.Span.ToArray());

        // A header claiming a 4 GiB dictionary (with a valid header checksum) decodes with a small one.
        var huge = (byte[])xz.Clone();
        huge[16] = 40;
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(20), System.IO.Hashing.Crc32.HashToUInt32(huge.AsSpan(12, 8)));
        using (var d = codec.Decode(huge, 256)) Assert.Equal(expected, d.Span.ToArray());

        var badCrc = (byte[])xz.Clone();
        badCrc[16] = 40;
        Assert.Throws<ZarrCodecException>(() => codec.Decode(badCrc, 256).Dispose());
        var body = (byte[])xz.Clone();
        body[40] ^= 0xFF;
        Assert.Throws<ZarrCodecException>(() => codec.Decode(body, 256).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.Decode(xz.AsSpan(0, 60), 256).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.Decode(new LzmaCodec().Encode(expected).Span, 256).Dispose()); // .lzma where xz is declared

        // Writing xz is not possible with SharpCompress: say so.
        Assert.Throws<NotSupportedException>(() => codec.Encode(expected).Dispose());
        Assert.Throws<FormatException>(() => LzmaCodec.FromConfiguration(new JsonObject { ["format"] = 3 }));
        Assert.Throws<FormatException>(() => LzmaCodec.FromConfiguration(new JsonObject { ["filters"] = new JsonArray(new JsonObject { ["id"] = 33 }) }));
    }

    [Fact]
    public void LzmaAloneHeadersAreChecked()
    {
        var codec = new LzmaCodec();
        var data = Bytes(5000);
        using var encoded = codec.Encode(data);
        var bigDictionary = encoded.Span.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bigDictionary.AsSpan(1), uint.MaxValue);
        using (var d = codec.Decode(bigDictionary, data.Length)) Assert.Equal(data, d.Span.ToArray());
        var unknownSize = encoded.Span.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(unknownSize.AsSpan(5), ulong.MaxValue);
        using (var d = codec.Decode(unknownSize, data.Length)) Assert.Equal(data, d.Span.ToArray());
        var lying = encoded.Span.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(lying.AsSpan(5), 1UL << 40);
        Assert.Throws<ZarrCodecException>(() => codec.Decode(lying, null).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded.Span[..10], null).Dispose());
        var badProperties = encoded.Span.ToArray();
        badProperties[0] = 250;
        Assert.Throws<ZarrCodecException>(() => codec.Decode(badProperties, data.Length).Dispose());
    }

    [Fact]
    public void ShuffleGroupsBytesByPosition()
    {
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8];
        using var two = new ShuffleCodec(2).Encode(data);
        Assert.Equal(new byte[] { 1, 3, 5, 7, 2, 4, 6, 8 }, two.Span.ToArray());
        using var one = new ShuffleCodec(1).Encode(data);
        Assert.Equal(data, one.Span.ToArray());
        Assert.Throws<ZarrCodecException>(() => new ShuffleCodec(3).Encode(data).Dispose());
        Assert.Throws<ZarrCodecException>(() => new ShuffleCodec(3).Decode(data, null).Dispose());
    }

    private static ChunkSpec Spec(ZarrDataType t, params int[] shape) => new(shape, t, FillValue.Default(t));

    private static ChunkData Chunk<T>(params T[] values) where T : unmanaged => ChunkData.FromBytes(PooledBuffer.CopyOf(MemoryMarshal.AsBytes(values.AsSpan())));

    private static T[] Values<T>(ChunkData c) where T : unmanaged => MemoryMarshal.Cast<byte, T>(c.Bytes!.Span).ToArray();

    [Fact]
    public void FloatToIntegerCastsGiveWhatNumpyGivesOnX86()
    {
        // numpy 1.24: np.array([...], 'f8').astype(t) for values in and out of range, NaN and infinities.
        double[] v = [300.7, -300.7, 70000.5, -1.5, 3e9, -3e9, 1e19, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 5e9];
        var spec = Spec(ZarrDataType.Float64, v.Length);
        T[] Cast<T>(ZarrDataType t) where T : unmanaged
        {
            using var c = Chunk(v);
            using var e = new AsTypeCodec(t, ZarrDataType.Float64).Encode(c, spec);
            return Values<T>(e);
        }
        Assert.Equal(new sbyte[] { 44, -44, 112, -1, 0, 0, 0, 0, 0, 0, 0 }, Cast<sbyte>(ZarrDataType.Int8));
        Assert.Equal(new byte[] { 44, 212, 112, 255, 0, 0, 0, 0, 0, 0, 0 }, Cast<byte>(ZarrDataType.UInt8));
        Assert.Equal(new short[] { 300, -300, 4464, -1, 0, 0, 0, 0, 0, 0, 0 }, Cast<short>(ZarrDataType.Int16));
        Assert.Equal(new ushort[] { 300, 65236, 4464, 65535, 0, 0, 0, 0, 0, 0, 0 }, Cast<ushort>(ZarrDataType.UInt16));
        Assert.Equal(new[] { 300, -300, 70000, -1, int.MinValue, int.MinValue, int.MinValue, int.MinValue, int.MinValue, int.MinValue, int.MinValue }, Cast<int>(ZarrDataType.Int32));
        Assert.Equal(new uint[] { 300, 4294966996, 70000, 4294967295, 3000000000, 2147483648, 0, 2147483648, 0, 2147483648, 0 }, Cast<uint>(ZarrDataType.UInt32));
        Assert.Equal(new[] { 300, -300, 70000, -1, 3000000000, -3000000000, long.MinValue, long.MinValue, long.MinValue, long.MinValue, 5000000000 }, Cast<long>(ZarrDataType.Int64));
        Assert.Equal(new ulong[] { 300, 18446744073709551316, 70000, 18446744073709551615, 3000000000, 18446744070709551616, 10000000000000000000, 9223372036854775808, 0, 9223372036854775808, 5000000000 }, Cast<ulong>(ZarrDataType.UInt64));
        Assert.Equal(new byte[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, Cast<byte>(ZarrDataType.Bool));
    }

    [Fact]
    public void PromotionFollowsNumpyValueBasedCasting()
    {
        // numpy 1.24: (np.array([1], dt) - scalar).dtype
        var cases = new (ZarrDataType Array, object Scalar, ZarrDataType Result)[]
        {
            (ZarrDataType.Int8, 10L, ZarrDataType.Int8), (ZarrDataType.Int8, 1000L, ZarrDataType.Int16), (ZarrDataType.UInt8, -1L, ZarrDataType.Int16),
            (ZarrDataType.UInt16, -1L, ZarrDataType.Int32), (ZarrDataType.Int8, 100000L, ZarrDataType.Int32), (ZarrDataType.UInt64, -1L, ZarrDataType.Float64),
            (ZarrDataType.Int16, 0.5, ZarrDataType.Float64), (ZarrDataType.Float16, 1000L, ZarrDataType.Float32), (ZarrDataType.Float16, 0.5, ZarrDataType.Float16),
            (ZarrDataType.Float16, 1e10, ZarrDataType.Float32), (ZarrDataType.Float32, 100000L, ZarrDataType.Float64), (ZarrDataType.Float32, 1e10, ZarrDataType.Float32),
            (ZarrDataType.Float32, 1e300, ZarrDataType.Float64), (ZarrDataType.UInt32, 1L << 40, ZarrDataType.UInt64), (ZarrDataType.Int64, 0.1, ZarrDataType.Float64),
        };
        foreach (var (array, scalar, result) in cases)
        {
            var s = scalar is long l ? PyScalar.FromInteger(l) : PyScalar.FromFloat((double)scalar);
            Assert.True(result.Equals(NumpyTypes.ResultType(array, s)), $"{array} op {scalar}: {NumpyTypes.ResultType(array, s)}, NumPy gives {result}");
        }
        Assert.Equal(ZarrDataType.Float64, NumpyTypes.TrueDivideType(ZarrDataType.Int16, PyScalar.FromInteger(10)));
        Assert.Equal(ZarrDataType.Float32, NumpyTypes.TrueDivideType(ZarrDataType.Float32, PyScalar.FromInteger(10)));
    }

    [Fact]
    public void QuantizeScalesAsNumcodecsDoes()
    {
        // Python: math.ceil(math.log(10. ** -exp, 2)) for digits -2..15 (numcodecs' quantize.py steps).
        int[] expected = [-6, -3, 0, 4, 7, 10, 14, 17, 20, 24, 27, 30, 34, 37, 40, 44, 47, 50];
        Assert.Equal(expected, Enumerable.Range(-2, 18).Select(QuantizeCodec.BitsFor).ToArray());
        // numcodecs' docstring example: linspace(0, 1, 10) with 1 digit.
        var x = Enumerable.Range(0, 10).Select(i => i / 9.0).ToArray();
        using var c = Chunk(x);
        using var e = new QuantizeCodec(1, ZarrDataType.Float64).Encode(c, Spec(ZarrDataType.Float64, 10));
        Assert.Equal(new[] { 0, 0.125, 0.25, 0.3125, 0.4375, 0.5625, 0.6875, 0.75, 0.875, 1 }, Values<double>(e));
        Assert.Throws<FormatException>(() => new QuantizeCodec(2, ZarrDataType.Int32));
    }

    [Fact]
    public void FiltersMatchNumcodecsDocstringExamples()
    {
        // Delta(dtype='i2', astype='i1') on arange(100, 120, 2)
        var delta = new DeltaCodec(ZarrDataType.Int16, ZarrDataType.Int8);
        var spec = Spec(ZarrDataType.Int16, 10);
        using (var c = Chunk(Enumerable.Range(0, 10).Select(i => (short)(100 + 2 * i)).ToArray()))
        using (var e = delta.Encode(c, spec))
        {
            Assert.Equal(new sbyte[] { 100, 2, 2, 2, 2, 2, 2, 2, 2, 2 }, Values<sbyte>(e));
            using var d = delta.Decode(e, spec);
            Assert.Equal(Values<short>(c), Values<short>(d));
        }
        Assert.Equal(ZarrDataType.Int8, delta.GetEncodedSpec(spec).DataType);

        // FixedScaleOffset(offset=1000, scale=10, dtype='f8', astype='u1') on linspace(1000, 1001, 10)
        var fso = new FixedScaleOffsetCodec(1000, 10, ZarrDataType.Float64, ZarrDataType.UInt8);
        var fspec = Spec(ZarrDataType.Float64, 10);
        using (var c = Chunk(Enumerable.Range(0, 10).Select(i => 1000 + i / 9.0).ToArray()))
        using (var e = fso.Encode(c, fspec))
        {
            Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 6, 7, 8, 9, 10 }, Values<byte>(e));
            using var d = fso.Decode(e, fspec);
            Assert.Equal(1000.6, Values<double>(d)[5]);
        }
        Assert.Equal(1000, fso.ToV2Json()["offset"]!.GetValue<long>()); // whole numbers stay Python ints

        // PackBits on [True, False, False, True]: [4, 144]
        var pack = new PackBitsCodec();
        var bspec = Spec(ZarrDataType.Bool, 2, 2);
        using (var c = Chunk<byte>(1, 0, 0, 1))
        using (var e = pack.Encode(c, bspec))
        {
            Assert.Equal(new byte[] { 4, 144 }, Values<byte>(e));
            Assert.Equal([2], pack.GetEncodedSpec(bspec).Shape);
            using var d = pack.Decode(e, bspec);
            Assert.Equal(new byte[] { 1, 0, 0, 1 }, Values<byte>(d));
            using var badHeader = Chunk<byte>(3, 144);
            Assert.Throws<ZarrCodecException>(() => pack.Decode(badHeader, bspec));
            using var tooLong = Chunk<byte>(4, 144, 0);
            Assert.Throws<ZarrCodecException>(() => pack.Decode(tooLong, bspec));
        }

        // Categorize(labels=['female', 'male'], dtype=object) on ['male', 'female', 'female', 'male', 'unexpected']
        var cat = new CategorizeCodec(["female", "male"], ZarrDataType.String);
        var sspec = Spec(ZarrDataType.String, 5);
        using (var e = cat.Encode(ChunkData.FromStrings(["male", "female", "female", "male", "unexpected"]), sspec))
        {
            Assert.Equal(new byte[] { 2, 1, 1, 2, 0 }, Values<byte>(e));
            using var d = cat.Decode(e, sspec);
            Assert.Equal(new[] { "male", "female", "female", "male", "" }, d.Strings);
        }

        // AsType(encode_dtype='i1', decode_dtype='i2')
        var astype = new AsTypeCodec(ZarrDataType.Int8, ZarrDataType.Int16);
        using (var c = Chunk<short>(100, 102, -7))
        using (var e = astype.Encode(c, Spec(ZarrDataType.Int16, 3)))
            Assert.Equal(new sbyte[] { 100, 102, -7 }, Values<sbyte>(e));
    }

    [Fact]
    public void BitRoundRoundsTheMantissaHalfToEven()
    {
        var codec = new BitRoundCodec(1);
        var spec = Spec(ZarrDataType.Float32, 4);
        // 1.25 = 1.01b: one bit kept, half way, to even (1.0); 1.75 = 1.11b → 2.0; 1.375 → 1.5; NaN stays NaN.
        using var c = Chunk(1.25f, 1.75f, 1.375f, float.NaN);
        using var e = codec.Encode(c, spec);
        var r = Values<float>(e);
        Assert.Equal(new[] { 1.0f, 2.0f, 1.5f }, r[..3]);
        Assert.True(float.IsNaN(r[3]));
        Assert.Throws<ZarrCodecException>(() => new BitRoundCodec(24).Encode(c, spec));
        Assert.Throws<ZarrCodecException>(() => codec.Encode(c, Spec(ZarrDataType.Int32, 4)));
        using var d = new BitRoundCodec(24).Decode(c, spec); // decoding is a copy, whatever keepbits says
        Assert.Equal(Values<float>(c)[..3], Values<float>(d)[..3]);
    }

    [Fact]
    public async Task V3ArraysUseTheNumcodecsNamesZarrPython3Writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new MemoryStore();
        var data = Enumerable.Range(0, 60).Select(i => i * 3 - 50).ToArray();
        var array = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition
        {
            Shape = [6, 10], ChunkShape = [4, 4], DataType = ZarrDataType.Int32,
            Codecs = [new DeltaCodec(ZarrDataType.Int32), new BytesCodec(false), new ShuffleCodec(4), new Lz4Codec(), new Crc32Codec()],
        }, cancellationToken: ct);
        await array.WriteAsync(new NDArray<int>(data, [6, 10]), ct);
        var meta = JsonNode.Parse(Encoding.UTF8.GetString((await store.GetAsync("a/zarr.json", cancellationToken: ct))!.Span))!;
        var names = meta["codecs"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "numcodecs.delta", "bytes", "numcodecs.shuffle", "numcodecs.lz4", "numcodecs.crc32" }, names);
        Assert.Equal("<i4", meta["codecs"]![0]!["configuration"]!["dtype"]!.GetValue<string>());
        var back = await ZarrArray.OpenAsync(store, "a", cancellationToken: ct);
        Assert.Equal(data, (await back.ReadAsync<int>(Selection.All, ct)).Data.ToArray());

        // Inside shards: the inner chunks go through the numcodecs filters and compressor.
        var sharded = await ZarrArray.CreateAsync(store, "s", new ZarrArrayDefinition
        {
            Shape = [6, 10], ChunkShape = [2, 5], ShardShape = [6, 10], DataType = ZarrDataType.Int32,
            Filters = [new DeltaCodec(ZarrDataType.Int32), new ShuffleCodec(4)], Compressor = new Bz2Codec(),
        }, cancellationToken: ct);
        await sharded.WriteAsync(new NDArray<int>(data, [6, 10]), ct);
        var again = await ZarrArray.OpenAsync(store, "s", cancellationToken: ct);
        Assert.Equal(data, (await again.ReadAsync<int>(Selection.All, ct)).Data.ToArray());
        Assert.Equal(data.Skip(12).Take(3), (await again.ReadAsync<int>(new Selection(1, new Slice(2, 5)), ct)).Data);
    }

    [Fact]
    public async Task V2FiltersThatDoNotFitAreRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new MemoryStore();
        await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition
        {
            Shape = [10], DataType = ZarrDataType.Int16, ZarrFormat = 2, Filters = [new DeltaCodec(ZarrDataType.Int32)],
        }, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => ZarrArray.CreateAsync(store, "b", new ZarrArrayDefinition
        {
            Shape = [10], DataType = ZarrDataType.Int32, ZarrFormat = 2, Filters = [new ShuffleCodec(4), new DeltaCodec(ZarrDataType.Int32)],
        }, cancellationToken: ct));

        // A v2 filter that reads the chunk in the other byte order than it has.
        var zarray = new JsonObject
        {
            ["zarr_format"] = 2, ["shape"] = new JsonArray(4), ["chunks"] = new JsonArray(4), ["dtype"] = ">i2", ["fill_value"] = 0, ["order"] = "C",
            ["compressor"] = null, ["filters"] = new JsonArray(new JsonObject { ["id"] = "delta", ["dtype"] = "<i2" }),
        };
        await store.SetJsonAsync("c/.zarray", zarray, ct);
        var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, "c", cancellationToken: ct));
        Assert.Contains("endian", e.Message);
        zarray["dtype"] = "<i4";
        await store.SetJsonAsync("d/.zarray", zarray, ct);
        e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, "d", cancellationToken: ct));
        Assert.Contains("delta", e.Message);
    }

    [Fact]
    public async Task V2ChecksumAndShuffleFiltersGoBeforeTheCompressor()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new MemoryStore();
        var data = Enumerable.Range(0, 40).Select(i => (short)(i * 9)).ToArray();
        var array = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition
        {
            Shape = [40], ChunkShape = [16], DataType = ZarrDataType.Int16, ZarrFormat = 2, BigEndian = true,
            Filters = [new DeltaCodec(ZarrDataType.Int16), new ShuffleCodec(2), new Crc32Codec()], Compressor = new Bz2Codec(),
        }, cancellationToken: ct);
        await array.WriteAsync(new NDArray<short>(data, [40]), ct);
        var zarray = JsonNode.Parse(Encoding.UTF8.GetString((await store.GetAsync("a/.zarray", cancellationToken: ct))!.Span))!;
        Assert.Equal(new[] { "delta", "shuffle", "crc32" }, zarray["filters"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ToArray());
        Assert.Equal(">i2", zarray["filters"]![0]!["dtype"]!.GetValue<string>());
        Assert.Equal("bz2", zarray["compressor"]!["id"]!.GetValue<string>());
        var back = await ZarrArray.OpenAsync(store, "a", cancellationToken: ct);
        Assert.Equal(data, (await back.ReadAsync<short>(Selection.All, ct)).Data.ToArray());
    }
}
