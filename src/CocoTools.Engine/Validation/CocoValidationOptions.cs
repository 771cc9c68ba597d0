using System.Collections.Generic;

namespace CocoTools.Engine.Validation
{
    /// <summary>What kind of COCO file is expected; it decides which fields are required.</summary>
    public enum CocoFileKind
    {
        /// <summary>Decided from the content, per annotation.</summary>
        Auto,
        /// <summary>Object detection and instance segmentation.</summary>
        Detection,
        /// <summary>Keypoint detection.</summary>
        Keypoints,
        /// <summary>Stuff segmentation (RLE per category and image).</summary>
        Stuff,
        /// <summary>Panoptic segmentation (segments_info and PNGs).</summary>
        Panoptic,
        /// <summary>Image captions.</summary>
        Captions,
        /// <summary>A results file: an array of detections.</summary>
        Results,
    }

    /// <summary>How <see cref="CocoValidator"/> validates.</summary>
    public sealed class CocoValidationOptions
    {
        /// <summary>The kind of file expected.</summary>
        public CocoFileKind Kind { get; set; } = CocoFileKind.Auto;

        /// <summary>Where the image files are (checks that they exist and their real sizes), or null.</summary>
        public string? ImageRoot { get; set; }

        /// <summary>Where the panoptic PNGs are (checks them against segments_info), or null.</summary>
        public string? PanopticRoot { get; set; }

        /// <summary>For a results file: the ground truth its ids must name, or null.</summary>
        public string? GroundTruth { get; set; }

        /// <summary>Only these rules (ids or names), or null for all.</summary>
        public IReadOnlyCollection<string>? Rules { get; set; }

        /// <summary>Rules (ids or names) not to check.</summary>
        public IReadOnlyCollection<string>? ExcludeRules { get; set; }

        /// <summary>Findings below this severity are not reported.</summary>
        public FindingSeverity MinimumSeverity { get; set; } = FindingSeverity.Info;

        /// <summary>Told (bytes read, file length) as a file is read, about once a megabyte: for progress bars.</summary>
        public System.Action<long, long>? Progress { get; set; }

        /// <summary>At most this many findings per rule and file are listed; the rest are counted in one summary finding.</summary>
        public int MaxFindingsPerRule { get; set; } = 20;
    }
}
