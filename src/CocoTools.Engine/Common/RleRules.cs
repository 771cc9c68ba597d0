namespace CocoTools.Engine
{
    /// <summary>What is wrong with an RLE, if anything (one answer for the JSON reader, the validator and the row binder).</summary>
    public enum RleProblem
    {
        /// <summary>Well formed.</summary>
        None,
        /// <summary>The size is not [height, width] with two positive 32-bit integers.</summary>
        Size,
        /// <summary>A run length is not an integer from 0 to 2^32 - 1.</summary>
        RunLength,
        /// <summary>A compressed string pycocotools' encoder could not have written (<see cref="RleValidation.Detail"/> says why).</summary>
        CompressedString,
        /// <summary>The runs do not add up to height x width.</summary>
        RunsTotal,
    }

    /// <summary>The result of checking an RLE: its problem (or none), and its pixel totals when they could be counted.</summary>
    public readonly struct RleValidation
    {
        internal RleValidation(RleProblem problem, string? detail, long total, long area)
        {
            Problem = problem;
            Detail = detail;
            Total = total;
            Area = area;
        }

        /// <summary>What is wrong, or <see cref="RleProblem.None"/>.</summary>
        public RleProblem Problem { get; }

        /// <summary>Why a compressed string is malformed.</summary>
        public string? Detail { get; }

        /// <summary>The sum of all runs.</summary>
        public long Total { get; }

        /// <summary>The foreground pixels (odd runs).</summary>
        public long Area { get; }

        /// <summary>True when there is no problem.</summary>
        public bool IsValid => Problem == RleProblem.None;
    }

    /// <summary>
    /// The one set of RLE rules, for the JSON reader, the validator and the row binder: an RLE covers an image, so its
    /// size is two positive integers (a COCO image has a positive width and height); runs are integers from 0 to
    /// 2^32 - 1; and the runs add up to height x width. (A compressed string's own rules: Masks/RleReader.)
    /// </summary>
    public static class RleRules
    {
        /// <summary>True for a valid side of an RLE size: 1 to 2^31 - 1.</summary>
        public static bool IsSide(long value) => value > 0 && value <= int.MaxValue;

        /// <summary>True for a valid run length: 0 to 2^32 - 1.</summary>
        public static bool IsRun(long value) => value >= 0 && value <= uint.MaxValue;

        /// <summary>Checks runs already summed (by a reader that read them one at a time) against their size.</summary>
        public static RleValidation CheckTotal(int height, int width, long total, long area)
        {
            if (!IsSide(height) || !IsSide(width))
            {
                return new RleValidation(RleProblem.Size, null, total, area);
            }

            return new RleValidation(total == (long)height * width ? RleProblem.None : RleProblem.RunsTotal, null, total, area);
        }
    }
}
