using System;
using System.Globalization;
using System.Text;
using CocoTools.Engine.Imaging;

namespace CocoTools.Engine.Operations
{
    /// <summary>Where a shard came from.</summary>
    public enum ShardSource
    {
        /// <summary>The -Shard parameter.</summary>
        Parameter,

        /// <summary>A Slurm job array (SLURM_ARRAY_TASK_ID, _MIN, _STEP, _COUNT).</summary>
        Slurm,

        /// <summary>A Kubernetes Indexed Job (JOB_COMPLETION_INDEX with COCOTOOLS_SHARD_COUNT).</summary>
        Kubernetes,
    }

    /// <summary>Why a shard could not be taken.</summary>
    public enum ShardError
    {
        /// <summary>A shard was taken, or none was asked for.</summary>
        None,

        /// <summary>The text is not <c>i/n</c> with 0 &lt;= i &lt; n.</summary>
        InvalidShard,

        /// <summary>The Slurm array variables do not name one position in a contiguous range (a list such as --array=1,5,9).</summary>
        InvalidSlurmArray,

        /// <summary>JOB_COMPLETION_INDEX is set but COCOTOOLS_SHARD_COUNT is missing or not a count above the index.</summary>
        InvalidKubernetesShard,
    }

    /// <summary>
    /// One shard of <c>n</c>: the files whose study (StudyInstanceUID, else the folder relative to the base path) hashes
    /// to <c>Index</c> by FNV-1a 64 over the UTF-8 bytes, modulo <c>Count</c>. A study never spans shards, and the n
    /// shards together are exactly the unsharded input, on any machine and in any process (no randomised hash).
    /// </summary>
    public sealed class ShardSpec
    {
        /// <summary>The variable that gives a Kubernetes Indexed Job its shard count (the Job's completions).</summary>
        public const string CountVariable = "COCOTOOLS_SHARD_COUNT";

        private ShardSpec(int index, int count, ShardSource source, string origin)
        {
            Index = index;
            Count = count;
            Source = source;
            Origin = origin;
        }

        /// <summary>This shard, from 0.</summary>
        public int Index { get; }

        /// <summary>How many shards there are.</summary>
        public int Count { get; }

        /// <summary>Where the shard came from.</summary>
        public ShardSource Source { get; }

        /// <summary>The parameter or variables it was read from, for a verbose line (no other environment content).</summary>
        public string Origin { get; }

        /// <inheritdoc />
        public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The shard to take: <paramref name="parameter"/> (<c>i/n</c>) when given, else a Slurm job array, else a
        /// Kubernetes Indexed Job, else none (null with <see cref="ShardError.None"/>).
        /// </summary>
        public static (ShardSpec? Shard, ShardError Error, string? Message) Resolve(string? parameter, Func<string, string?> environment)
        {
            if (parameter != null)
            {
                return TryParse(parameter, out var shard)
                    ? (shard, ShardError.None, null)
                    : (null, ShardError.InvalidShard, $"'{parameter}' is not a shard: write i/n with 0 <= i < n, such as 0/50.");
            }

            string? slurmId = environment("SLURM_ARRAY_TASK_ID");
            if (!string.IsNullOrEmpty(slurmId))
            {
                return FromSlurm(slurmId!, environment);
            }

            string? jobIndex = environment("JOB_COMPLETION_INDEX");
            if (!string.IsNullOrEmpty(jobIndex))
            {
                string? count = environment(CountVariable);
                string origin = $"JOB_COMPLETION_INDEX={jobIndex}, {CountVariable}={count}";
                return Number(jobIndex) is int i && Number(count) is int n && i < n
                    ? (new ShardSpec(i, n, ShardSource.Kubernetes, origin), ShardError.None, null)
                    : (null, ShardError.InvalidKubernetesShard, $"This is a Kubernetes Indexed Job ({origin}): set {CountVariable} to the Job's completions (more than the index), or give -Shard.");
            }

            return (null, ShardError.None, null);
        }

        /// <summary>Parses <c>i/n</c> (invariant digits, 0 &lt;= i &lt; n).</summary>
        public static bool TryParse(string text, out ShardSpec? shard)
        {
            shard = null;
            var parts = (text ?? string.Empty).Split('/');
            if (parts.Length == 2 && Number(parts[0]) is int i && Number(parts[1]) is int n && i < n)
            {
                shard = new ShardSpec(i, n, ShardSource.Parameter, "-Shard " + text);
            }

            return shard != null;
        }

        /// <summary>True when the file belongs to this shard (see <see cref="GroupKey"/>).</summary>
        public bool Keeps(string path, string? studyInstanceUid, string basePath) => ShardOf(GroupKey(path, studyInstanceUid, basePath), Count) == Index;

        /// <summary>True when a study belongs to this shard: the rule of <see cref="Keeps"/> for anything with this StudyInstanceUID (a search result).</summary>
        public bool KeepsStudy(string studyInstanceUid) => ShardOf(studyInstanceUid.Trim(), Count) == Index;

        /// <summary>What keeps files together: the StudyInstanceUID, else the file's folder relative to the base path ('/'-separated, "" for the base itself).</summary>
        public static string GroupKey(string path, string? studyInstanceUid, string basePath)
        {
            if (!string.IsNullOrWhiteSpace(studyInstanceUid))
            {
                return studyInstanceUid!.Trim();
            }

            string relative = ImageScanner.RelativePath(basePath, path);
            int slash = relative.LastIndexOf('/');
            return slash < 0 ? string.Empty : relative.Substring(0, slash);
        }

        /// <summary>The shard of a key: FNV-1a 64 of its UTF-8 bytes, modulo the count.</summary>
        public static int ShardOf(string key, int count) => (int)(Fnv1a64(key) % (ulong)count);

        /// <summary>FNV-1a, 64 bits (offset basis 14695981039346656037, prime 1099511628211), over the UTF-8 bytes.</summary>
        public static ulong Fnv1a64(string text)
        {
            ulong hash = 14695981039346656037UL;
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }

            return hash;
        }

        private static (ShardSpec?, ShardError, string?) FromSlurm(string taskId, Func<string, string?> environment)
        {
            string? min = environment("SLURM_ARRAY_TASK_MIN");
            string? max = environment("SLURM_ARRAY_TASK_MAX");
            string? step = environment("SLURM_ARRAY_TASK_STEP");
            string? count = environment("SLURM_ARRAY_TASK_COUNT");
            string origin = $"SLURM_ARRAY_TASK_ID={taskId}, SLURM_ARRAY_TASK_MIN={min}, SLURM_ARRAY_TASK_MAX={max}, SLURM_ARRAY_TASK_STEP={step}, SLURM_ARRAY_TASK_COUNT={count}";
            int? id = Number(taskId);
            int first = string.IsNullOrEmpty(min) ? 0 : Number(min) ?? -1;
            int stride = string.IsNullOrEmpty(step) ? 1 : Number(step) ?? 0;
            int? total = string.IsNullOrEmpty(count) ? (Number(max) is int last && stride > 0 ? ((last - first) / stride) + 1 : null) : Number(count);

            // A range with a step (0-98:2) maps to 0..n-1; a list (1,5,9) cannot be mapped, and says so rather than guess.
            bool range = string.IsNullOrEmpty(max) || (Number(max) is int top && stride > 0 && total == ((top - first) / stride) + 1 && (top - first) % stride == 0);
            if (id is int task && first >= 0 && stride > 0 && total is int n && n > 0 && range && task >= first && (task - first) % stride == 0 && (task - first) / stride < n)
            {
                return (new ShardSpec((task - first) / stride, n, ShardSource.Slurm, origin), ShardError.None, null);
            }

            return (null, ShardError.InvalidSlurmArray, $"This Slurm array task ({origin}) is not one position of a range such as --array=0-49 or 1-100:2; use a range, or give -Shard.");
        }

        private static int? Number(string? text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;
    }
}
