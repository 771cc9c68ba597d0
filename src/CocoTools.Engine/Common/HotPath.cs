using System.Runtime.CompilerServices;

namespace CocoTools.Engine
{
    /// <summary>
    /// <c>MethodImplOptions.AggressiveOptimization</c>, which netstandard2.0 does not name: the .NET (Core) JIT then
    /// compiles a method fully optimized at once instead of starting it in tier 0. For the few tight loops that
    /// bulk work spends its time in, that removes the warm-up; .NET Framework ignores the flag.
    /// </summary>
    internal static class HotPath
    {
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}
