namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// A COCO <c>annotations</c> record of any of the object-level kinds: detection (bbox, polygons or RLE),
    /// keypoints, stuff segmentation, captions and detection results (with <see cref="Score"/>).
    /// </summary>
    public sealed class CocoAnnotation : CocoEntity
    {
        private long _imageId;
        private long? _categoryId;

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
            get => _categoryId;
            set
            {
                _categoryId = value;
                Owner?.OnIndexedFieldChanged();
            }
        }

        /// <summary>Polygons or RLE; null for box-only, keypoint-only and caption annotations.</summary>
        public CocoSegmentation? Segmentation { get; set; }

        /// <summary>The <c>area</c> member.</summary>
        public double? Area { get; set; }

        /// <summary>The <c>bbox</c> member.</summary>
        public CocoBox? Bbox { get; set; }

        /// <summary>The <c>iscrowd</c> member (0 or 1 in valid files).</summary>
        public int? IsCrowd { get; set; }

        /// <summary>Keypoint triples <c>x, y, v</c>.</summary>
        public double[]? Keypoints { get; set; }

        /// <summary>The <c>num_keypoints</c> member.</summary>
        public int? NumKeypoints { get; set; }

        /// <summary>The caption text of a caption annotation.</summary>
        public string? Caption { get; set; }

        /// <summary>The detection score of a results-file entry.</summary>
        public double? Score { get; set; }

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

        /// <summary>A detached copy with the same id and members.</summary>
        public CocoAnnotation Clone()
        {
            var copy = (CocoAnnotation)MemberwiseClone();
            copy.Owner = null;
            copy.CopyExtraFrom(this);
            return copy;
        }

        internal void SetReferencesUnchecked(long imageId, long? categoryId)
        {
            _imageId = imageId;
            _categoryId = categoryId;
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
