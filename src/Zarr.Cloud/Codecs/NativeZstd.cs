using System.Runtime.InteropServices;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// Decoding through the system's libzstd (Debian's libzstd1, a dependency of dpkg itself), when it can be
/// loaded: the C decoder is about 1.3 to 1.5 times faster per core than ZstdSharp on float data, and decoding
/// zstd chunks is most of the time of a local read. Encoding always uses ZstdSharp. When no libzstd is found,
/// or <c>ZARR_CLOUD_NATIVE_ZSTD=0</c> is set, everything decodes with ZstdSharp (managed), with the same results.
/// </summary>
internal static unsafe class NativeZstd
{
    private static readonly delegate* unmanaged<nint> s_create;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> s_decompress;
    private static readonly delegate* unmanaged<nuint, uint> s_isError;
    private static readonly delegate* unmanaged<nuint, byte*> s_errorName;
    private static readonly delegate* unmanaged<nint, nuint> s_free;

    [ThreadStatic] private static Context? t_context;

    static NativeZstd()
    {
        if (Environment.GetEnvironmentVariable("ZARR_CLOUD_NATIVE_ZSTD") == "0") return;
        foreach (var name in new[] { "libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd" })
        {
            if (!NativeLibrary.TryLoad(name, typeof(NativeZstd).Assembly, null, out var lib)) continue;
            if (NativeLibrary.TryGetExport(lib, "ZSTD_createDCtx", out var c)
                && NativeLibrary.TryGetExport(lib, "ZSTD_decompressDCtx", out var d)
                && NativeLibrary.TryGetExport(lib, "ZSTD_isError", out var e)
                && NativeLibrary.TryGetExport(lib, "ZSTD_getErrorName", out var n)
                && NativeLibrary.TryGetExport(lib, "ZSTD_freeDCtx", out var f))
            {
                s_create = (delegate* unmanaged<nint>)c;
                s_decompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)d;
                s_isError = (delegate* unmanaged<nuint, uint>)e;
                s_errorName = (delegate* unmanaged<nuint, byte*>)n;
                s_free = (delegate* unmanaged<nint, nuint>)f;
                Library = name;
                return;
            }
        }
    }

    /// <summary>The library loaded, or null when decoding is managed.</summary>
    public static string? Library { get; }

    /// <summary>True when libzstd decodes (tests turn it off to compare both decoders).</summary>
    public static bool Enabled { get; set; } = true;

    public static bool Available => Enabled && Library is not null;

    /// <summary>Decodes every frame of <paramref name="source"/> into <paramref name="destination"/>; returns the bytes written or throws with libzstd's reason.</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var context = t_context ??= new Context(s_create());
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            nuint r = s_decompress(context.Handle, dst, (nuint)destination.Length, src, (nuint)source.Length);
            if (s_isError(r) != 0)
                throw new ZarrCodecException(null, "zstd", $"corrupt or truncated data, or decoded size larger than the expected {destination.Length} bytes: {Marshal.PtrToStringAnsi((nint)s_errorName(r))}");
            return (int)r;
        }
    }

    /// <summary>A decoding context per thread, freed when the thread's context is collected.</summary>
    private sealed class Context(nint handle)
    {
        public nint Handle { get; } = handle != 0 ? handle : throw new OutOfMemoryException("ZSTD_createDCtx failed");

        ~Context() => s_free(Handle);
    }
}
