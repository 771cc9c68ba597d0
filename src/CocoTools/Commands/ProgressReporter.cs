using System.Diagnostics;
using System.Management.Automation;

namespace CocoTools.Commands
{
    /// <summary>Write-Progress for long work, throttled to about five updates a second, always closed with a Completed record.</summary>
    internal sealed class ProgressReporter
    {
        private const long IntervalMs = 200;
        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastUpdate; // the first bar appears after one interval, so quick commands show none
        private bool _shown;

        public ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
        {
            _cmdlet = cmdlet;
            _record = new ProgressRecord(activityId, activity, "Starting");
        }

        /// <summary>True when an update would be shown now (so callers can skip building its text).</summary>
        public bool IsDue => _clock.ElapsedMilliseconds - _lastUpdate >= IntervalMs;

        /// <summary>Reports position <paramref name="done"/> of <paramref name="total"/> (total 0 when unknown) and the current item.</summary>
        public void Update(long done, long total, string currentItem) =>
            Show(total > 0 ? $"{done} of {total}" : $"{done} done", Percent(done, total), currentItem);

        /// <summary>Reports a position in a file, in megabytes.</summary>
        public void UpdateBytes(long done, long total, string currentItem) =>
            Show(total > 0 ? $"{done / 1048576.0:F1} of {total / 1048576.0:F1} MB" : $"{done / 1048576.0:F1} MB", Percent(done, total), currentItem);

        /// <summary>Reports <paramref name="done"/> items read from a source that is <paramref name="fraction"/> (0 to 1) read.</summary>
        public void UpdateRead(long done, string unit, double fraction, string currentItem) =>
            Show($"{done} {unit}", (int)System.Math.Max(0, System.Math.Min(100, fraction * 100)), currentItem);

        private static int Percent(long done, long total) => total > 0 ? (int)System.Math.Min(100, done * 100 / total) : -1;

        private void Show(string status, int percent, string currentItem)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now - _lastUpdate < IntervalMs)
            {
                return;
            }

            _lastUpdate = now;
            _record.StatusDescription = status;
            _record.CurrentOperation = currentItem;
            _record.PercentComplete = percent;
            _record.RecordType = ProgressRecordType.Processing;
            _cmdlet.WriteProgress(_record);
            _shown = true;
        }

        /// <summary>Closes the progress bar if one was shown.</summary>
        public void Complete()
        {
            if (!_shown)
            {
                return;
            }

            _record.RecordType = ProgressRecordType.Completed;
            _record.PercentComplete = 100;
            _cmdlet.WriteProgress(_record);
            _shown = false;
        }
    }
}
