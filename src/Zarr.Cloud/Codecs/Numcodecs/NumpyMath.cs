using System.Numerics;
using System.Runtime.InteropServices;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// Element-wise NumPy arithmetic over little-endian buffers of bool, integer and float elements, as numcodecs'
/// filters run it: casts (<c>astype</c>), an array with a Python scalar, rounding half to even, differences and
/// running sums. Integers wrap, floats round as IEEE 754 does in the element type (float16 through float32, as
/// NumPy computes it). Float to integer casts of values out of range, NaN and infinities, which C leaves undefined,
/// give what NumPy gives on x86-64.
/// </summary>
internal static class NumpyMath
{
    /// <summary>An arithmetic operation with a scalar.</summary>
    public enum Op
    {
        /// <summary>x - s.</summary>
        Subtract,

        /// <summary>x + s.</summary>
        Add,

        /// <summary>x * s.</summary>
        Multiply,

        /// <summary>x / s.</summary>
        Divide,
    }

    private interface IAction
    {
        void Run<T>() where T : unmanaged, INumber<T>;
    }

    private static void Dispatch<TAction>(ZarrDataType type, ref TAction action) where TAction : IAction, allows ref struct
    {
        switch (type.Kind, type.ItemSize)
        {
            case (DataTypeKind.Bool, 1) or (DataTypeKind.UInt, 1): action.Run<byte>(); break;
            case (DataTypeKind.Int, 1): action.Run<sbyte>(); break;
            case (DataTypeKind.Int, 2): action.Run<short>(); break;
            case (DataTypeKind.Int, 4): action.Run<int>(); break;
            case (DataTypeKind.Int, 8): action.Run<long>(); break;
            case (DataTypeKind.UInt, 2): action.Run<ushort>(); break;
            case (DataTypeKind.UInt, 4): action.Run<uint>(); break;
            case (DataTypeKind.UInt, 8): action.Run<ulong>(); break;
            case (DataTypeKind.Float, 2): action.Run<Half>(); break;
            case (DataTypeKind.Float, 4): action.Run<float>(); break;
            case (DataTypeKind.Float, 8): action.Run<double>(); break;
            default: throw new NotSupportedException($"NumPy arithmetic on {type} is not supported.");
        }
    }

    /// <summary>A new buffer of <paramref name="count"/> elements of <paramref name="to"/> cast from <paramref name="source"/>.</summary>
    /// <param name="source">Elements of <paramref name="from"/>.</param>
    /// <param name="from">The source type.</param>
    /// <param name="to">The result type.</param>
    /// <param name="count">The number of elements.</param>
    public static PooledBuffer Convert(ReadOnlySpan<byte> source, ZarrDataType from, ZarrDataType to, int count)
    {
        var result = new PooledBuffer(checked(count * to.ItemSize));
        try
        {
            Cast(source[..(count * from.ItemSize)], from, result.Span, to);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="data"/> cast to <paramref name="to"/>: itself when the types have the same bits, else a new
    /// buffer (and <paramref name="data"/> is disposed).
    /// </summary>
    /// <param name="data">Elements of <paramref name="from"/>; owned by this call.</param>
    /// <param name="from">The source type.</param>
    /// <param name="to">The result type.</param>
    /// <param name="count">The number of elements.</param>
    public static PooledBuffer CastOwned(PooledBuffer data, ZarrDataType from, ZarrDataType to, int count)
    {
        if (SameBits(from, to)) return data;
        var converted = Convert(data.Span, from, to, count);
        data.Dispose();
        return converted;
    }

    /// <summary>Casts elements as <c>ndarray.astype</c> does.</summary>
    /// <param name="source">Elements of <paramref name="from"/>.</param>
    /// <param name="from">The source type.</param>
    /// <param name="destination">Room for as many elements of <paramref name="to"/>.</param>
    /// <param name="to">The result type.</param>
    public static void Cast(ReadOnlySpan<byte> source, ZarrDataType from, Span<byte> destination, ZarrDataType to)
    {
        if (SameBits(from, to))
        {
            source.CopyTo(destination);
            return;
        }
        if (to.Kind == DataTypeKind.Bool)
        {
            var b = new ToBool(source, destination);
            Dispatch(from, ref b);
            return;
        }
        var c = new CastFrom(source, destination, to);
        Dispatch(from, ref c);
    }

    private static bool SameBits(ZarrDataType a, ZarrDataType b) => a.Kind == b.Kind && a.ItemSize == b.ItemSize;

    /// <summary>
    /// <c>x OP scalar</c> as NumPy 1.x computes it for an array of <paramref name="type"/>: the elements are cast to
    /// the result type first. Returns the result (which may be <paramref name="data"/> itself, changed in place;
    /// otherwise <paramref name="data"/> is disposed) and sets <paramref name="type"/> to its type.
    /// </summary>
    /// <param name="data">The elements; owned by this call.</param>
    /// <param name="type">The elements' type; on return, the result's.</param>
    /// <param name="count">The number of elements.</param>
    /// <param name="op">The operation.</param>
    /// <param name="scalar">The Python scalar.</param>
    public static PooledBuffer Apply(PooledBuffer data, ref ZarrDataType type, int count, Op op, PyScalar scalar)
    {
        var resultType = op == Op.Divide ? NumpyTypes.TrueDivideType(type, scalar) : NumpyTypes.ResultType(type, scalar);
        data = CastOwned(data, type, resultType, count);
        type = resultType;
        var a = new ScalarOp(data.Span[..(count * type.ItemSize)], op, scalar);
        Dispatch(type, ref a);
        return data;
    }

    /// <summary><c>np.around</c> with no decimals: floats round half to even; integers stay.</summary>
    /// <param name="data">The elements, changed in place.</param>
    /// <param name="type">Their type.</param>
    public static void RoundHalfEven(Span<byte> data, ZarrDataType type)
    {
        if (type.Kind != DataTypeKind.Float) return;
        switch (type.ItemSize)
        {
            case 8:
                foreach (ref var d in MemoryMarshal.Cast<byte, double>(data)) d = Math.Round(d);
                break;
            case 4:
                foreach (ref var f in MemoryMarshal.Cast<byte, float>(data)) f = MathF.Round(f);
                break;
            default:
                foreach (ref var h in MemoryMarshal.Cast<byte, Half>(data)) h = (Half)MathF.Round((float)h);
                break;
        }
    }

    /// <summary>x[i] = x[i] - x[i-1] for i ≥ 1, in the element type (<c>np.diff</c> behind the first element).</summary>
    /// <param name="data">The elements, changed in place.</param>
    /// <param name="type">Their type.</param>
    public static void Difference(Span<byte> data, ZarrDataType type)
    {
        var a = new Running(data, difference: true);
        Dispatch(type, ref a);
    }

    /// <summary>x[i] = x[0] + ... + x[i], in the element type (<c>np.cumsum</c>).</summary>
    /// <param name="data">The elements, changed in place.</param>
    /// <param name="type">Their type.</param>
    public static void RunningSum(Span<byte> data, ZarrDataType type)
    {
        var a = new Running(data, difference: false);
        Dispatch(type, ref a);
    }

    private static bool IsFloat<T>() => typeof(T) == typeof(Half) || typeof(T) == typeof(float) || typeof(T) == typeof(double);

    private static int Truncate32(double d) => double.IsNaN(d) || d >= 2147483648.0 || d <= -2147483649.0 ? int.MinValue : (int)d;

    private static long Truncate64(double d) => double.IsNaN(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0 ? long.MinValue : (long)d;

    // What NumPy's float → integer casts give on x86-64 (cvttsd2si semantics, unsigned types through the signed
    // type of twice the width or by offsetting), so values out of range match it too.
    private static TTo FloatToInteger<TTo>(double d) where TTo : INumber<TTo>
    {
        if (typeof(TTo) == typeof(long)) return TTo.CreateTruncating(Truncate64(d));
        if (typeof(TTo) == typeof(ulong))
            return TTo.CreateTruncating(d >= 9223372036854775808.0 ? unchecked((ulong)(Truncate64(d - 9223372036854775808.0) ^ long.MinValue)) : unchecked((ulong)Truncate64(d)));
        if (typeof(TTo) == typeof(uint))
            return TTo.CreateTruncating(d >= 2147483648.0 ? unchecked((uint)(Truncate32(d - 2147483648.0) ^ int.MinValue)) : unchecked((uint)Truncate32(d)));
        return TTo.CreateTruncating(Truncate32(d));
    }

    private ref struct ToBool : IAction
    {
        private readonly ReadOnlySpan<byte> _source;
        private readonly Span<byte> _destination;

        public ToBool(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            _source = source;
            _destination = destination;
        }

        public readonly void Run<T>() where T : unmanaged, INumber<T>
        {
            var s = MemoryMarshal.Cast<byte, T>(_source);
            var d = _destination[..s.Length];
            for (int i = 0; i < s.Length; i++) d[i] = s[i] != T.Zero ? (byte)1 : (byte)0;
        }
    }

    private ref struct CastFrom : IAction
    {
        private readonly ReadOnlySpan<byte> _source;
        private readonly Span<byte> _destination;
        private readonly ZarrDataType _to;

        public CastFrom(ReadOnlySpan<byte> source, Span<byte> destination, ZarrDataType to)
        {
            _source = source;
            _destination = destination;
            _to = to;
        }

        public readonly void Run<TFrom>() where TFrom : unmanaged, INumber<TFrom>
        {
            var inner = new CastTo<TFrom>(MemoryMarshal.Cast<byte, TFrom>(_source), _destination);
            Dispatch(_to, ref inner);
        }
    }

    private ref struct CastTo<TFrom> : IAction where TFrom : unmanaged, INumber<TFrom>
    {
        private readonly ReadOnlySpan<TFrom> _source;
        private readonly Span<byte> _destination;

        public CastTo(ReadOnlySpan<TFrom> source, Span<byte> destination)
        {
            _source = source;
            _destination = destination;
        }

        public readonly void Run<TTo>() where TTo : unmanaged, INumber<TTo>
        {
            var s = _source;
            var d = MemoryMarshal.Cast<byte, TTo>(_destination)[..s.Length];
            if (IsFloat<TFrom>() && !IsFloat<TTo>())
            {
                for (int i = 0; i < s.Length; i++) d[i] = FloatToInteger<TTo>(double.CreateTruncating(s[i]));
                return;
            }
            for (int i = 0; i < s.Length; i++) d[i] = TTo.CreateTruncating(s[i]);
        }
    }

    private ref struct ScalarOp : IAction
    {
        private readonly Span<byte> _data;
        private readonly Op _op;
        private readonly PyScalar _scalar;

        public ScalarOp(Span<byte> data, Op op, PyScalar scalar)
        {
            _data = data;
            _op = op;
            _scalar = scalar;
        }

        public readonly void Run<T>() where T : unmanaged, INumber<T>
        {
            var x = MemoryMarshal.Cast<byte, T>(_data);
            T s = _scalar.IsInteger ? T.CreateTruncating(_scalar.Integer) : T.CreateTruncating(_scalar.Float);
            switch (_op)
            {
                case Op.Subtract: for (int i = 0; i < x.Length; i++) x[i] = unchecked(x[i] - s); break;
                case Op.Add: for (int i = 0; i < x.Length; i++) x[i] = unchecked(x[i] + s); break;
                case Op.Multiply: for (int i = 0; i < x.Length; i++) x[i] = unchecked(x[i] * s); break;
                default: for (int i = 0; i < x.Length; i++) x[i] /= s; break;
            }
        }
    }

    private ref struct Running : IAction
    {
        private readonly Span<byte> _data;
        private readonly bool _difference;

        public Running(Span<byte> data, bool difference)
        {
            _data = data;
            _difference = difference;
        }

        public readonly void Run<T>() where T : unmanaged, INumber<T>
        {
            var x = MemoryMarshal.Cast<byte, T>(_data);
            if (_difference)
                for (int i = x.Length - 1; i >= 1; i--) x[i] = unchecked(x[i] - x[i - 1]);
            else
                for (int i = 1; i < x.Length; i++) x[i] = unchecked(x[i] + x[i - 1]);
        }
    }
}
