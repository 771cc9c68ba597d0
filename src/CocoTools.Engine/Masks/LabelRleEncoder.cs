using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// Encodes every label of a row-major label image (0 = background) as pycocotools' column-major RLE in one pass.
    /// In COCO's order (x outer, y inner) a run of a label starts or ends where a pixel differs from the one above it
    /// (or, at the top of a column, from the bottom of the column before), so the image is read row after row, four
    /// pixels at a time against the row above, and only the pixels that differ are looked at; each label's
    /// transitions are then sorted into column-major order.
    /// </summary>
    public sealed class LabelRleEncoder
    {
        private List<int>?[] _transitions = new List<int>?[2];
        private readonly List<int> _present = new List<int>();

        /// <summary>
        /// The RLE of each label present in <paramref name="rowMajorLabels"/> (index y*w + x), by label, in increasing
        /// order. Equal to pycocotools' <c>mask.encode</c> of <c>labels == L</c> for each L.
        /// </summary>
        [MethodImpl(HotPath.Optimize)] // no unoptimized first tier for a quarter million pixels
        public SortedDictionary<int, Rle> Encode(ReadOnlySpan<ushort> rowMajorLabels, int height, int width)
        {
            int a = checked(height * width);
            if (rowMajorLabels.Length < a)
            {
                throw new ArgumentException("The label image is smaller than height*width.", nameof(rowMajorLabels));
            }

            foreach (int label in _present)
            {
                _transitions[label]!.Clear();
            }

            _present.Clear();

            // The top of each column follows the bottom of the column before (the first follows background).
            for (int x = 0; x < width; x++)
            {
                Transition(x == 0 ? 0 : rowMajorLabels[((height - 1) * width) + x - 1], rowMajorLabels[x], x * height);
            }

            for (int y = 1; y < height; y++)
            {
                var above = rowMajorLabels.Slice((y - 1) * width, width);
                var row = rowMajorLabels.Slice(y * width, width);
                var above4 = MemoryMarshal.Cast<ushort, ulong>(above);
                var row4 = MemoryMarshal.Cast<ushort, ulong>(row);
                int x = 0;
                for (int q = 0; q < row4.Length; q++, x += 4)
                {
                    if (row4[q] != above4[q])
                    {
                        for (int k = x; k < x + 4; k++)
                        {
                            if (row[k] != above[k])
                            {
                                Transition(above[k], row[k], (k * height) + y);
                            }
                        }
                    }
                }

                for (; x < width; x++)
                {
                    if (row[x] != above[x])
                    {
                        Transition(above[x], row[x], (x * height) + y);
                    }
                }
            }

            var result = new SortedDictionary<int, Rle>();
            foreach (int label in _present)
            {
                var t = _transitions[label]!;
                t.Sort();
                var counts = new uint[t.Count + 1];
                int last = 0;
                for (int k = 0; k < t.Count; k++)
                {
                    counts[k] = (uint)(t[k] - last);
                    last = t[k];
                }

                counts[t.Count] = (uint)(a - last);
                result.Add(label, new Rle(height, width, counts));
            }

            return result;
        }

        /// <summary>At column-major index <paramref name="j"/> the label changes from <paramref name="from"/> to <paramref name="to"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Transition(int from, int to, int j)
        {
            if (from == to)
            {
                return;
            }

            if (from != 0)
            {
                Transitions(from).Add(j);
            }

            if (to != 0)
            {
                Transitions(to).Add(j);
            }
        }

        private List<int> Transitions(int label)
        {
            if (label >= _transitions.Length)
            {
                Array.Resize(ref _transitions, Math.Max(label + 1, _transitions.Length * 2));
            }

            var list = _transitions[label];
            if (list == null)
            {
                list = new List<int>();
                _transitions[label] = list;
            }

            if (list.Count == 0)
            {
                _present.Add(label);
            }

            return list;
        }
    }
}
