using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace CocoTools.Engine.Tests.Common
{
    public class ParallelBatchTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void ReportsInInputOrderWithEachItemsErrorAndGoesOnAfterABadItem(int throttle)
        {
            var reported = new List<(int Item, int? Result, string? ErrorId)>();
            var batch = new ParallelBatch<int, int>(throttle, i => i % 7 == 3 ? throw new CocoToolsException("Bad" + i, FailureKind.InvalidData, $"item {i}") : i * i, (i, result, error) => reported.Add((i, error == null ? result : (int?)null, error?.ErrorId)));
            for (int i = 0; i < 100; i++)
            {
                batch.Add(i);
            }

            batch.Flush();
            Assert.Equal(Enumerable.Range(0, 100), reported.Select(r => r.Item));
            foreach (var (item, result, errorId) in reported)
            {
                Assert.Equal(item % 7 == 3 ? null : item * item, result);
                Assert.Equal(item % 7 == 3 ? "Bad" + item : null, errorId);
            }
        }

        [Fact]
        public void AnItemThatFinishesFirstWaitsForTheItemsBeforeIt()
        {
            // Item 0 cannot finish before items 1-3 have: with 4 workers they finish first, yet are reported after it.
            using var later = new CountdownEvent(3);
            var order = new List<int>();
            bool waited = false;
            var batch = new ParallelBatch<int, int>(4, i =>
            {
                if (i == 0)
                {
                    waited = later.Wait(TimeSpan.FromSeconds(60));
                }
                else if (i <= 3)
                {
                    later.Signal();
                }

                return i;
            }, (i, _, _) => order.Add(i));
            for (int i = 0; i < 4; i++)
            {
                batch.Add(i);
            }

            batch.Flush();
            Assert.True(waited, "items 1-3 did not run while item 0 was still working");
            Assert.Equal(new[] { 0, 1, 2, 3 }, order);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void NeverRunsMoreThanTheThrottleAtOnce(int throttle)
        {
            int running = 0, most = 0;
            var batch = new ParallelBatch<int, int>(throttle, i =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                Thread.SpinWait(20000);
                Interlocked.Decrement(ref running);
                return i;
            }, (_, _, _) => { });
            for (int i = 0; i < 200; i++)
            {
                batch.Add(i);
            }

            batch.Flush();
            Assert.InRange(most, 1, throttle);
        }

        [Fact]
        public void ThrottleOneWorksOnTheCallersThread()
        {
            var threads = new HashSet<int>();
            var batch = new ParallelBatch<int, int>(1, i => { threads.Add(Environment.CurrentManagedThreadId); return i; }, (_, _, _) => { });
            for (int i = 0; i < 10; i++)
            {
                batch.Add(i);
            }

            Assert.Equal(new[] { Environment.CurrentManagedThreadId }, threads);
        }

        [Fact]
        public void AnExceptionThatIsNotACocoToolsExceptionReachesTheCallerAsItIs()
        {
            var reported = new List<int>();
            var batch = new ParallelBatch<int, int>(4, i => i == 5 ? throw new InvalidOperationException("a bug") : i, (i, _, _) => reported.Add(i));
            var thrown = Assert.Throws<InvalidOperationException>(() =>
            {
                for (int i = 0; i < 10; i++)
                {
                    batch.Add(i);
                }

                batch.Flush();
            });
            Assert.Equal("a bug", thrown.Message);
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, reported);
        }

        [Fact]
        public void TheDefaultThrottleIsTheProcessorCount()
        {
            Assert.Equal(Environment.ProcessorCount, Parallelism.DefaultThrottle);
            Assert.True(Parallelism.WindowFor(64) >= 64, "the window must hold at least one item per worker");
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
