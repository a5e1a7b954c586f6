using System.Reflection;

namespace Zarr.Cloud.Cli;

/// <summary>Calls a generic method with the element type an array reads as, known only at run time.</summary>
internal static class ElementTypeDispatch
{
    /// <summary>Invokes the private static generic method <paramref name="method"/> of <paramref name="owner"/> with <paramref name="elementType"/>.</summary>
    /// <param name="owner">The type declaring the method.</param>
    /// <param name="method">The method's name; it returns a <see cref="Task"/>.</param>
    /// <param name="elementType">The generic argument.</param>
    /// <param name="arguments">The arguments.</param>
    public static Task InvokeAsync(Type owner, string method, Type elementType, params object?[] arguments)
    {
        var m = owner.GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new MissingMethodException(owner.Name, method);
        try
        {
            return (Task)m.MakeGenericMethod(elementType).Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return Task.FromException(e.InnerException);
        }
    }
}
