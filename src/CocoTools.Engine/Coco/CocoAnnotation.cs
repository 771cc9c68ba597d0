using System;
using System.Runtime.CompilerServices;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// A COCO <c>annotations</c> record of any of the object-level kinds: detection (bbox, polygons or RLE),
    /// keypoints, stuff segmentation, captions and detection results (with <see cref="Score"/>).
    /// </summary>
    public sealed class CocoAnnotation : CocoEntity
    {
        // Optional numbers are stored with a sentinel instead of Nullable<T>, which pads each one: a large
        // dataset holds hundreds of thousands of annotations. The double sentinel is a NaN with a payload of
        // its own, so a NaN a user sets stays a NaN (and is refused on export) rather than becoming "absent".
        private static readonly double Absent = BitConverter.Int64BitsToDouble(0x7FF8_C0C0_0000_0001);
        private long _imageId;
        private long _categoryId = long.MinValue;
        private double _area = Absent;
        private double _score = Absent;
        private double _boxX = Absent, _boxY, _boxWidth, _boxHeight;
        private int _isCrowd = int.MinValue;
        private int _numKeypoints = int.MinValue;

        /// <summary>The image the annotation belongs to.</summary>
        public long ImageId
        {
            get => _imageId;
            set
            {
                _imageId = value;
                Owner?.OnIndexedFieldChanged();
            }
        }

        /// <summary>The category; null for captions, which have none.</summary>
        public long? CategoryId
        {
            get => _categoryId == long.MinValue ? null : _categoryId;
            set
            {
                _categoryId = value ?? long.MinValue;
                Owner?.OnIndexedFieldChanged();
            }
        }

        /// <summary>The name of the category in the annotation's dataset; null without a category, or outside a dataset, or when the dataset has no such category.</summary>
        public string? Category => CategoryId is long id ? (Owner as CocoAnnotationCollection)?.Categories?.Find(id)?.Name : null;

        /// <summary>Polygons or RLE; null for box-only, keypoint-only and caption annotations.</summary>
        public CocoSegmentation? Segmentation { get; set; }

        /// <summary>The <c>area</c> member.</summary>
        public double? Area
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => IsAbsent(_area) ? null : _area;
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _area = value ?? Absent;
        }

        /// <summary>The <c>bbox</c> member.</summary>
        public CocoBox? Bbox
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => IsAbsent(_boxX) ? null : new CocoBox(_boxX, _boxY, _boxWidth, _boxHeight);
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set
            {
                var box = value ?? new CocoBox(Absent, 0, 0, 0);
                (_boxX, _boxY, _boxWidth, _boxHeight) = (box.X, box.Y, box.Width, box.Height);
            }
        }

        /// <summary>The <c>iscrowd</c> member (0 or 1 in valid files).</summary>
        public int? IsCrowd
        {
            get => _isCrowd == int.MinValue ? null : _isCrowd;
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _isCrowd = value ?? int.MinValue;
        }

        /// <summary>Keypoint triples <c>x, y, v</c>.</summary>
        public double[]? Keypoints { get; set; }

        /// <summary>The <c>num_keypoints</c> member.</summary>
        public int? NumKeypoints
        {
            get => _numKeypoints == int.MinValue ? null : _numKeypoints;
            set => _numKeypoints = value ?? int.MinValue;
        }

        /// <summary>The caption text of a caption annotation.</summary>
        public string? Caption { get; set; }

        /// <summary>The detection score of a results-file entry.</summary>
        public double? Score
        {
            get => IsAbsent(_score) ? null : _score;
            set => _score = value ?? Absent;
        }

        /// <summary>The annotation's kind, from the members present.</summary>
        public CocoAnnotationKind Kind
        {
            get
            {
                if (Caption != null && Segmentation == null && Bbox == null)
                {
                    return CocoAnnotationKind.Caption;
                }

                return Keypoints != null ? CocoAnnotationKind.Keypoints : CocoAnnotationKind.Detection;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsAbsent(double value) => BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(Absent);

        /// <summary>A detached copy with the same id and members.</summary>
        public CocoAnnotation Clone()
        {
            var copy = (CocoAnnotation)MemberwiseClone();
            copy.Owner = null;
            copy.CopyExtraFrom(this);
            return copy;
        }

        /// <inheritdoc />
        public override string ToString() => $"{Id}: image {ImageId}, category {CategoryId}";
    }

    /// <summary>The COCO annotation kinds.</summary>
    [System.Flags]
    public enum CocoAnnotationKind
    {
        /// <summary>No annotations.</summary>
        None = 0,
        /// <summary>Object detection: boxes, polygons or RLE masks.</summary>
        Detection = 1,
        /// <summary>Keypoint detection.</summary>
        Keypoints = 2,
        /// <summary>Stuff segmentation (annotations of categories with isthing 0).</summary>
        Stuff = 4,
        /// <summary>Panoptic segmentation (per-image PNG plus segments_info).</summary>
        Panoptic = 8,
        /// <summary>Image captions.</summary>
        Caption = 16,
    }
}
