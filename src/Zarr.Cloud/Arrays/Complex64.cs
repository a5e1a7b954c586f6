using System.Runtime.InteropServices;

namespace Zarr.Cloud.Arrays;

/// <summary>A complex number of two <see cref="float"/>s: NumPy's complex64 (complex128 is <see cref="System.Numerics.Complex"/>).</summary>
/// <param name="Real">The real part.</param>
/// <param name="Imaginary">The imaginary part.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Complex64(float Real, float Imaginary)
{
    /// <inheritdoc />
    public override string ToString() => $"({Real}{(Imaginary < 0 || float.IsNegative(Imaginary) ? "" : "+")}{Imaginary}j)";
}
