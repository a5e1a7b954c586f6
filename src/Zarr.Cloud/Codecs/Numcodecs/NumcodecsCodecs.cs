namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// Registers numcodecs' compressors, filters and checksums by their v2 ids, which also makes them known under the
/// "numcodecs.&lt;id&gt;" names zarr-python 3 writes into v3 metadata.
/// </summary>
public static class NumcodecsCodecs
{
    /// <summary>Registers lz4, bz2, lzma, delta, fixedscaleoffset, quantize, bitround, packbits, categorize, astype, shuffle, crc32, adler32 and fletcher32.</summary>
    /// <param name="registry">The registry.</param>
    public static void RegisterAll(CodecRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.RegisterV2("lz4", (c, _) => new Lz4Codec(CodecRegistry.Int(c, "acceleration", 1)));
        registry.RegisterV2("bz2", (c, _) => new Bz2Codec(CodecRegistry.Int(c, "level", 1)));
        registry.RegisterV2("lzma", (c, _) => LzmaCodec.FromConfiguration(c));
        registry.RegisterV2("delta", DeltaCodec.FromConfiguration);
        registry.RegisterV2("fixedscaleoffset", FixedScaleOffsetCodec.FromConfiguration);
        registry.RegisterV2("quantize", QuantizeCodec.FromConfiguration);
        registry.RegisterV2("bitround", (c, _) => BitRoundCodec.FromConfiguration(c));
        registry.RegisterV2("packbits", (_, s) => PackBitsCodec.Create(s));
        registry.RegisterV2("categorize", CategorizeCodec.FromConfiguration);
        registry.RegisterV2("astype", AsTypeCodec.FromConfiguration);
        registry.RegisterV2("shuffle", (c, _) => new ShuffleCodec(CodecRegistry.Int(c, "elementsize", 4)));
        registry.RegisterV2("crc32", (c, _) => Crc32Codec.FromConfiguration(c));
        registry.RegisterV2("adler32", (c, _) => Adler32Codec.FromConfiguration(c));
        registry.RegisterV2("fletcher32", (c, _) => Fletcher32Codec.FromConfiguration(c));
    }
}
