using System;
using System.Runtime;

namespace CocoTools.Engine
{
    /// <summary>
    /// Asks the garbage collector to stay out of a bulk load that allocates about a known amount of long-lived objects
    /// (a million annotations): every one of them survives, so collections during the load would only copy them from
    /// generation to generation. Used as <c>using (BulkLoadGcPause.Begin(bytes)) { ... }</c>. Best effort: when the
    /// runtime cannot set the memory aside, another pause is under way, or the load allocates more than announced,
    /// the collector simply works as usual. The objects are collected normally afterwards.
    /// </summary>
    public sealed class BulkLoadGcPause : IDisposable
    {
        private const long MinimumBytes = 16L << 20;
        private const long MaximumBytes = 1L << 30;
        private bool _active;

        private BulkLoadGcPause(bool active)
        {
            _active = active;
        }

        /// <summary>True while the collector stays out (false when the runtime declined).</summary>
        public bool IsActive => _active && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

        /// <summary>Starts a pause for about <paramref name="bytes"/> of allocations (clamped to 16 MiB ... 1 GiB).</summary>
        public static BulkLoadGcPause Begin(long bytes)
        {
            // Asking while a region is in effect would end that region (and throw), so a nested load goes without.
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                return new BulkLoadGcPause(false);
            }

            try
            {
                return new BulkLoadGcPause(GC.TryStartNoGCRegion(Math.Min(Math.Max(bytes, MinimumBytes), MaximumBytes), disallowFullBlockingGC: true));
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException || e is InvalidOperationException)
            {
                // More than this runtime allows in one region, or another thread started one just now: no pause.
                return new BulkLoadGcPause(false);
            }
        }

        /// <summary>Ends the pause, if it is still in effect.</summary>
        public void Dispose()
        {
            if (!_active)
            {
                return;
            }

            _active = false;
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // The load allocated more than announced and the collector has already taken over.
                }
            }
        }
    }
}
