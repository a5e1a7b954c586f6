using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>The element types the service serves (numbers, booleans, datetimes as int64) and the dispatch onto them.</summary>
public static class ElementTypes
{
    /// <summary>True for the types the service serves.</summary>
    public static bool IsServed(ZarrDataType type) => type.Kind is DataTypeKind.Bool or DataTypeKind.Int or DataTypeKind.UInt or DataTypeKind.Float
        or DataTypeKind.DateTime64 or DataTypeKind.TimeDelta64;

    /// <summary>Runs <paramref name="action"/> with the .NET type of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">A type the service does not serve.</exception>
    public static TResult Dispatch<TResult>(ZarrDataType type, IElementTypeAction<TResult> action)
    {
        if (!IsServed(type)) throw new NotSupportedException($"Data type {type} is not served (numbers, booleans and datetimes are).");
        var clr = type.ClrType;
        if (clr == typeof(bool)) return action.Run<bool>();
        if (clr == typeof(sbyte)) return action.Run<sbyte>();
        if (clr == typeof(byte)) return action.Run<byte>();
        if (clr == typeof(short)) return action.Run<short>();
        if (clr == typeof(ushort)) return action.Run<ushort>();
        if (clr == typeof(int)) return action.Run<int>();
        if (clr == typeof(uint)) return action.Run<uint>();
        if (clr == typeof(long)) return action.Run<long>();
        if (clr == typeof(ulong)) return action.Run<ulong>();
        if (clr == typeof(Half)) return action.Run<Half>();
        if (clr == typeof(float)) return action.Run<float>();
        return action.Run<double>();
    }

    /// <summary>One element as a double (booleans as 0 and 1).</summary>
    public static double ToDouble<T>(T value) where T : unmanaged => value switch
    {
        bool b => b ? 1 : 0,
        sbyte v => v, byte v => v, short v => v, ushort v => v, int v => v, uint v => v, long v => v, ulong v => v,
        Half v => (double)v, float v => v, double v => v,
        _ => throw new NotSupportedException(typeof(T).Name),
    };
}
