using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// Union, intersection and overlap of RLE masks, as pycocotools' <c>rleMerge</c>, <c>rleIou</c> and <c>bbIou</c>;
    /// and the exclusive or, which combines nested contours even-odd (an inner contour cuts a hole).
    /// </summary>
    public static class RleSetOperations
    {
        private enum Combine
        {
            Union,
            Intersection,
            ExclusiveOr,
        }

        /// <summary>
        /// The union (or intersection) of the masks. One mask is returned as it is (non-canonical runs kept);
        /// masks of different sizes give an empty 0x0 RLE, both exactly as pycocotools.
        /// </summary>
        public static Rle Merge(IReadOnlyList<Rle> masks, bool intersect = false) =>
            Fold(masks, intersect ? Combine.Intersection : Combine.Union);

        /// <summary>
        /// The pixels covered by an odd number of the masks (even-odd), walked as <c>rleMerge</c> walks runs; the
        /// same size rules as <see cref="Merge"/>.
        /// </summary>
        public static Rle ExclusiveOr(IReadOnlyList<Rle> masks) => Fold(masks, Combine.ExclusiveOr);

        private static Rle Fold(IReadOnlyList<Rle> masks, Combine combine)
        {
            if (masks == null)
            {
                throw new ArgumentNullException(nameof(masks));
            }

            if (masks.Count == 0)
            {
                return new Rle(0, 0, Array.Empty<uint>());
            }

            var first = masks[0];
            if (masks.Count == 1)
            {
                return new Rle(first.Height, first.Width, first.Counts.ToArray());
            }

            int h = first.Height, w = first.Width;
            uint[] current = first.Counts.ToArray();
            int m = current.Length;
            uint[] output = new uint[Math.Max(16, m + 1)];
            for (int i = 1; i < masks.Count; i++)
            {
                var b = masks[i];
                if (b.Height != h || b.Width != w)
                {
                    h = w = m = 0;
                    break;
                }

                m = MergePair(current, m, b.CountsArray, combine, ref output);
                (current, output) = (output, current.Length >= output.Length ? current : new uint[output.Length]);
            }

            var result = new uint[m];
            Array.Copy(current, result, m);
            return new Rle(h, w, result);
        }

        /// <summary>One step of <c>rleMerge</c>: A (first <paramref name="am"/> runs) with B into <paramref name="output"/>; returns the run count.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static int MergePair(uint[] a, int am, uint[] b, Combine combine, ref uint[] output)
        {
            int bm = b.Length;
            uint ca = am > 0 ? a[0] : 0, cb = bm > 0 ? b[0] : 0;
            bool v = false, va = false, vb = false;
            int m = 0, ia = 1, ib = 1;
            uint cc = 0, ct = 1;
            while (ct > 0)
            {
                uint c = Math.Min(ca, cb);
                cc += c;
                ct = 0;
                ca -= c;
                if (ca == 0 && ia < am)
                {
                    ca = a[ia++];
                    va = !va;
                }

                ct += ca;
                cb -= c;
                if (cb == 0 && ib < bm)
                {
                    cb = b[ib++];
                    vb = !vb;
                }

                ct += cb;
                bool vp = v;
                v = combine == Combine.Union ? va || vb : combine == Combine.Intersection ? va && vb : va != vb;
                if (v != vp || ct == 0)
                {
                    if (m == output.Length)
                    {
                        Array.Resize(ref output, output.Length * 2);
                    }

                    output[m++] = cc;
                    cc = 0;
                }
            }

            return m;
        }

        /// <summary>
        /// Overlap of detections with ground truth, <c>o[g, d]</c>: intersection over union, or over the detection's
        /// area where the ground truth is a crowd region; -1 where sizes differ (pycocotools' <c>rleIou</c>).
        /// </summary>
        public static double[,] Iou(IReadOnlyList<Rle> detections, IReadOnlyList<Rle> groundTruth, IReadOnlyList<bool>? isCrowd)
        {
            var dtBoxes = new double[detections.Count][];
            var gtBoxes = new double[groundTruth.Count][];
            for (int d = 0; d < detections.Count; d++)
            {
                dtBoxes[d] = detections[d].ToBbox();
            }

            for (int g = 0; g < groundTruth.Count; g++)
            {
                gtBoxes[g] = groundTruth[g].ToBbox();
            }

            var o = BoxIou(dtBoxes, gtBoxes, isCrowd);
            for (int g = 0; g < groundTruth.Count; g++)
            {
                for (int d = 0; d < detections.Count; d++)
                {
                    if (o[g, d] > 0)
                    {
                        o[g, d] = PairIou(detections[d], groundTruth[g], isCrowd != null && isCrowd[g]);
                    }
                }
            }

            return o;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static double PairIou(Rle dt, Rle gt, bool crowd)
        {
            if (dt.Height != gt.Height || dt.Width != gt.Width)
            {
                return -1;
            }

            var a = dt.Counts;
            var b = gt.Counts;
            uint ca = a.Length > 0 ? a[0] : 0, cb = b.Length > 0 ? b[0] : 0, intersection = 0, union = 0, ct = 1;
            bool va = false, vb = false;
            int ia = 1, ib = 1;
            while (ct > 0)
            {
                uint c = Math.Min(ca, cb);
                if (va || vb)
                {
                    union += c;
                    if (va && vb)
                    {
                        intersection += c;
                    }
                }

                ct = 0;
                ca -= c;
                if (ca == 0 && ia < a.Length)
                {
                    ca = a[ia++];
                    va = !va;
                }

                ct += ca;
                cb -= c;
                if (cb == 0 && ib < b.Length)
                {
                    cb = b[ib++];
                    vb = !vb;
                }

                ct += cb;
            }

            if (intersection == 0)
            {
                union = 1;
            }
            else if (crowd)
            {
                union = dt.Area;
            }

            return (double)intersection / union;
        }

        /// <summary>
        /// Overlap of boxes <c>[x, y, w, h]</c>, <c>o[g, d]</c>, as pycocotools' <c>bbIou</c>: over the union, or over
        /// the detection's area where the ground truth is a crowd region.
        /// </summary>
        public static double[,] BoxIou(IReadOnlyList<double[]> detections, IReadOnlyList<double[]> groundTruth, IReadOnlyList<bool>? isCrowd)
        {
            var o = new double[groundTruth.Count, detections.Count];
            for (int g = 0; g < groundTruth.Count; g++)
            {
                var gb = groundTruth[g];
                double ga = gb[2] * gb[3];
                bool crowd = isCrowd != null && isCrowd[g];
                for (int d = 0; d < detections.Count; d++)
                {
                    var db = detections[d];
                    double da = db[2] * db[3];
                    double w = Math.Min(db[2] + db[0], gb[2] + gb[0]) - Math.Max(db[0], gb[0]);
                    if (w <= 0)
                    {
                        continue;
                    }

                    double h = Math.Min(db[3] + db[1], gb[3] + gb[1]) - Math.Max(db[1], gb[1]);
                    if (h <= 0)
                    {
                        continue;
                    }

                    double i = w * h;
                    o[g, d] = i / (crowd ? da : da + ga - i);
                }
            }

            return o;
        }
    }
}
