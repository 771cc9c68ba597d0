using System.IO;
using System.Collections.Generic;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    /// <summary>How annotation rows become annotations.</summary>
    public sealed class AnnotationImportOptions
    {
        /// <summary>Pixel order of Kaggle EncodedPixels values.</summary>
        public PixelOrder PixelOrder { get; set; } = PixelOrder.ColumnMajor;

        /// <summary>Class values (as text, e.g. "1") to category names, for numeric classes such as RSNA's Target.</summary>
        public IDictionary<string, string>? CategoryMap { get; set; }

        /// <summary>The category of rows without a category column (lists of one kind of finding).</summary>
        public string? DefaultCategory { get; set; }

        /// <summary>Categories must already exist; an unknown one is an error instead of being created.</summary>
        public bool StrictCategory { get; set; }

        /// <summary>Create an image for a row whose image is not in the dataset (its size read from the file when found under <see cref="ImageRoot"/>).</summary>
        public bool AddMissingImage { get; set; }

        /// <summary>Where the files of missing images are looked for, and what their file_name is relative to.</summary>
        public string ImageRoot { get; set; } = Directory.GetCurrentDirectory();

        /// <summary>Keypoint names for categories this import creates (and existing ones without any).</summary>
        public IReadOnlyList<string>? Keypoints { get; set; }

        /// <summary>Skeleton edges (1-based keypoint index pairs) that go with <see cref="Keypoints"/>.</summary>
        public IReadOnlyList<int[]>? Skeleton { get; set; }
    }

    /// <summary>What one row gave.</summary>
    public enum AnnotationRowOutcome
    {
        /// <summary>An annotation was added.</summary>
        Added,
        /// <summary>The row names an image but no geometry, keypoints or caption: a "no finding" row, counted, not added.</summary>
        NoFinding,
    }
}
