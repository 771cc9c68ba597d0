using System.Runtime;
using Xunit;

namespace CocoTools.Engine.Tests.Common
{
    /// <summary>The pause is process-wide: these tests run alone, so other tests' allocations do not end it early.</summary>
    [CollectionDefinition(nameof(BulkLoadGcPauseTests), DisableParallelization = true)]
    public class BulkLoadGcPauseCollection
    {
    }

    [Collection(nameof(BulkLoadGcPauseTests))]
    public class BulkLoadGcPauseTests
    {
        [Fact]
        public void A_pause_ends_with_dispose_and_a_second_one_inside_it_is_declined()
        {
            using (var pause = BulkLoadGcPause.Begin(32L << 20))
            {
                Assert.True(pause.IsActive, "the runtime declined a 32 MiB pause");
                using (var inner = BulkLoadGcPause.Begin(32L << 20))
                {
                    Assert.False(inner.IsActive);
                }

                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

                // Allocating well past the announced amount ends the pause without an error at Dispose.
                for (int i = 0; i < 64; i++)
                {
                    _ = new byte[1 << 20];
                }
            }

            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
    }
}
