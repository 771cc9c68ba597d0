using System.Runtime.CompilerServices;

namespace CocoTools.Engine
{
    /// <summary>
    /// <c>MethodImplOptions.AggressiveOptimization</c>, which netstandard2.0 does not name: the .NET (Core) JIT then
    /// compiles a method fully optimized at once instead of starting it in tier 0. For the few tight loops that
    /// bulk work spends its time in, that removes the warm-up; .NET Framework ignores the flag. The net8.0 build is
    /// compiled ReadyToRun instead, which precompiles these methods optimized (see below).
    /// </summary>
    internal static class HotPath
    {
#if NET
        // The net8.0 build is compiled ReadyToRun, and crossgen2 leaves AggressiveOptimization methods out (they are
        // always JIT-compiled): without the flag, these loops start in precompiled optimized code, then tier up.
        public const MethodImplOptions Optimize = 0;
#else
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
#endif
    }
}
