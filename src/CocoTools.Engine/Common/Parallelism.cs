using System;

namespace CocoTools.Engine
{
    /// <summary>The defaults of the cmdlets' -ThrottleLimit and of <see cref="ParallelBatch{TIn, TOut}"/>.</summary>
    public static class Parallelism
    {
        /// <summary>The default -ThrottleLimit: one worker per processor the process may use.</summary>
        public static int DefaultThrottle => Environment.ProcessorCount;

        /// <summary>How many items may be in flight for a throttle: enough that one slow item does not idle the other workers.</summary>
        public static int WindowFor(int throttle) => Math.Max(16, Math.Max(1, throttle) * 8);
    }
}
