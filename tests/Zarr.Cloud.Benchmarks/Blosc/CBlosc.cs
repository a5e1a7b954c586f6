using System.Runtime.InteropServices;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>
/// The C library python-blosc and numcodecs use (Debian's libblosc1, c-blosc 1.21), called in this process so
/// both sides run in the same benchmark, on the same buffers, under the same conditions. Benchmarks only: the SDK
/// has no native dependency.
/// </summary>
internal static unsafe partial class CBlosc
{
    private const string Library = "libblosc.so.1";

    [LibraryImport(Library, EntryPoint = "blosc_init")]
    public static partial void Init();

    [LibraryImport(Library, EntryPoint = "blosc_set_nthreads")]
    public static partial int SetThreads(int threads);

    [LibraryImport(Library, EntryPoint = "blosc_decompress")]
    public static partial int Decompress(byte* src, byte* dest, nuint destSize);

    [LibraryImport(Library, EntryPoint = "blosc_decompress_ctx")]
    public static partial int DecompressContext(byte* src, byte* dest, nuint destSize, int threads);

    [LibraryImport(Library, EntryPoint = "blosc_get_version_string")]
    private static partial nint VersionPointer();

    public static string Version => Marshal.PtrToStringUTF8(VersionPointer()) ?? "?";
}
