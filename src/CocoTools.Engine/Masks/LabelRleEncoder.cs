using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// Encodes every label of a row-major label image (0 = background) as pycocotools' column-major RLE in one pass:
    /// the label of each pixel, taken in COCO's order (x outer, y inner), starts or ends a run of its label only.
    /// </summary>
    public sealed class LabelRleEncoder
    {
        private List<int>?[] _transitions = new List<int>?[2];
        private readonly List<int> _present = new List<int>();

        /// <summary>
        /// The RLE of each label present in <paramref name="rowMajorLabels"/> (index y*w + x), by label, in increasing
        /// order. Equal to pycocotools' <c>mask.encode</c> of <c>labels == L</c> for each L.
        /// </summary>
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
            int previous = 0, j = 0;
            for (int x = 0; x < width; x++)
            {
                for (int i = x; i < a; i += width, j++)
                {
                    int v = rowMajorLabels[i];
                    if (v != previous)
                    {
                        if (previous != 0)
                        {
                            _transitions[previous]!.Add(j);
                        }

                        if (v != 0)
                        {
                            Transitions(v).Add(j);
                        }

                        previous = v;
                    }
                }
            }

            var result = new SortedDictionary<int, Rle>();
            foreach (int label in _present)
            {
                var t = _transitions[label]!;
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
