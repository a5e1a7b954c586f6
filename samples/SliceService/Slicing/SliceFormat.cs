namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>How a slice is written to the response.</summary>
public enum SliceFormat
{
    /// <summary>Nested JSON arrays in C order (NaN and infinities as null), shape and dtype alongside.</summary>
    Json,

    /// <summary>One line per run of the last axis, values comma-separated, no header.</summary>
    Csv,

    /// <summary>NumPy's .npy, version 1.0, little-endian.</summary>
    Npy,

    /// <summary>The raw little-endian elements in C order; shape and dtype in the X-Zarr-Shape and X-Zarr-Dtype headers.</summary>
    Bin,
}
