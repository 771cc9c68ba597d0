using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CocoTools.Engine
{
    /// <summary>
    /// The one parallel loop of the cmdlets that read or write many items: each item added is worked on at once by
    /// at most <c>throttle</c> workers, and each result (or the <see cref="CocoToolsException"/> its work threw) is
    /// handed to <c>done</c> in input order on the caller's thread, where the cmdlet may write output. It streams:
    /// while the caller handles item n, the workers are already on the items after it (up to <c>window</c> items in
    /// flight), so neither a slow item nor the caller's own work stalls the others, and memory is bounded by the
    /// window. With a throttle of 1 everything runs on the caller's thread, one item after the other. Output order,
    /// and so every byte written, is the same for any throttle. Any other exception than a CocoToolsException stops
    /// the loop and is rethrown, as it is, on the caller's thread when that item's turn comes.
    /// </summary>
    public sealed class ParallelBatch<TIn, TOut>
    {
        private readonly Queue<(TIn Item, Task<Outcome> Work)> _inFlight = new Queue<(TIn, Task<Outcome>)>();
        private readonly int _window;
        private readonly int _throttle;
        private readonly Func<TIn, TOut> _work;
        private readonly Action<TIn, TOut?, CocoToolsException?> _done;
        private readonly TaskScheduler? _scheduler;

        /// <summary>Works on items <paramref name="throttle"/> at once, at most <see cref="Parallelism.WindowFor"/> of them in flight.</summary>
        public ParallelBatch(int throttle, Func<TIn, TOut> work, Action<TIn, TOut?, CocoToolsException?> done)
        {
            _throttle = Math.Max(1, throttle);
            _window = Parallelism.WindowFor(_throttle);
            _work = work;
            _done = done;
            if (_throttle > 1)
            {
                // Workers come from the thread pool, never more than the throttle at once.
                _scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, _throttle).ConcurrentScheduler;
            }
        }

        /// <summary>
        /// Called on the caller's thread about every 100 ms while it waits for an item (the one named), so that the
        /// caller can show progress the workers have recorded; null: the caller just waits.
        /// </summary>
        public Action<TIn>? Waiting { get; set; }

        /// <summary>
        /// Starts work on an item; reports, in order, the items before it that are finished (and, with the window full,
        /// waits for the oldest).
        /// </summary>
        public void Add(TIn item)
        {
            if (_scheduler == null)
            {
                var outcome = Run(item);
                _done(item, outcome.Result, outcome.Error);
                return;
            }

            _inFlight.Enqueue((item, Task.Factory.StartNew(() => Run(item), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler)));
            while (_inFlight.Count > 0 && (_inFlight.Count >= _window || _inFlight.Peek().Work.IsCompleted))
            {
                ReportOldest();
            }
        }

        /// <summary>Waits for and reports, in order, every item still in flight.</summary>
        public void Flush()
        {
            while (_inFlight.Count > 0)
            {
                ReportOldest();
            }
        }

        private void ReportOldest()
        {
            var (item, work) = _inFlight.Dequeue();
            while (Waiting != null && !work.IsCompleted)
            {
                ((IAsyncResult)work).AsyncWaitHandle.WaitOne(100);
                Waiting(item);
            }

            var outcome = work.GetAwaiter().GetResult();
            _done(item, outcome.Result, outcome.Error);
        }

        private Outcome Run(TIn item)
        {
            try
            {
                return new Outcome(_work(item), null);
            }
            catch (CocoToolsException e)
            {
                return new Outcome(default, e);
            }
        }

        private readonly struct Outcome
        {
            public Outcome(TOut? result, CocoToolsException? error)
            {
                Result = result;
                Error = error;
            }

            public TOut? Result { get; }

            public CocoToolsException? Error { get; }
        }
    }
}
