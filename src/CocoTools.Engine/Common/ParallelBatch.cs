using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace CocoTools.Engine
{
    /// <summary>
    /// The batch loop of the cmdlets that read or write many files: items are collected, a batch is worked on in
    /// parallel (at most <c>throttle</c> at once), then each result (or the <see cref="CocoToolsException"/> its work
    /// threw) is handed to <c>done</c> in input order on the caller's thread, where the cmdlet may write output.
    /// </summary>
    public sealed class ParallelBatch<TIn, TOut>
    {
        private readonly List<TIn> _pending = new List<TIn>();
        private readonly int _batchSize;
        private readonly int _throttle;
        private readonly Func<TIn, TOut> _work;
        private readonly Action<TIn, TOut?, CocoToolsException?> _done;

        /// <summary>Works on batches of <paramref name="batchSize"/> items, <paramref name="throttle"/> at once.</summary>
        public ParallelBatch(int batchSize, int throttle, Func<TIn, TOut> work, Action<TIn, TOut?, CocoToolsException?> done)
        {
            _batchSize = Math.Max(1, batchSize);
            _throttle = Math.Max(1, throttle);
            _work = work;
            _done = done;
        }

        /// <summary>Queues an item; a full batch is worked on and reported before this returns.</summary>
        public void Add(TIn item)
        {
            _pending.Add(item);
            if (_pending.Count >= _batchSize)
            {
                Flush();
            }
        }

        /// <summary>Works on and reports what is queued.</summary>
        public void Flush()
        {
            if (_pending.Count == 0)
            {
                return;
            }

            var items = _pending.ToArray();
            _pending.Clear();
            var results = new TOut?[items.Length];
            var errors = new CocoToolsException?[items.Length];
            Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = _throttle }, i =>
            {
                try
                {
                    results[i] = _work(items[i]);
                }
                catch (CocoToolsException e)
                {
                    errors[i] = e;
                }
            });

            for (int i = 0; i < items.Length; i++)
            {
                _done(items[i], results[i], errors[i]);
            }
        }
    }
}
