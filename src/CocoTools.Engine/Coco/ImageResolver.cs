using System;
using System.Collections.Generic;
using System.Globalization;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// Finds the image an annotation list means, by the first rule that matches: integer id (from id columns only,
    /// so a numeric file stem such as 000045 is not taken for image 45); exact file_name;
    /// file_name ending with the value as a path (a source path under the base folder); file name stem (the name
    /// without folders and extension, as "Image Index" and patientId columns give it); SOP Instance UID; DICOMweb URL
    /// (coco_url or the kept dicomweb_url). A frame number narrows a multi-frame source. Two different images
    /// under one rule make the value ambiguous.
    /// </summary>
    public sealed class ImageResolver
    {
        private readonly CocoDataset _dataset;
        private readonly Dictionary<string, List<CocoImage>> _byFileName = new Dictionary<string, List<CocoImage>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CocoImage>> _byStem = new Dictionary<string, List<CocoImage>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<CocoImage>> _bySopInstance = new Dictionary<string, List<CocoImage>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CocoImage>> _byUrl = new Dictionary<string, List<CocoImage>>(StringComparer.Ordinal);
        private readonly Dictionary<long, int?> _frames = new Dictionary<long, int?>();
        private readonly Dictionary<string, CocoImage> _resolved = new Dictionary<string, CocoImage>(StringComparer.Ordinal);

        /// <summary>Indexes the dataset's images (images added later are indexed with <see cref="Index"/>).</summary>
        public ImageResolver(CocoDataset dataset)
        {
            _dataset = dataset;
            foreach (var image in dataset.Images)
            {
                Index(image);
            }
        }

        /// <summary>Adds an image to the indexes.</summary>
        public void Index(CocoImage image)
        {
            // A new image can make a value that named one image ambiguous.
            _resolved.Clear();
            var dicom = CocoImageDicom.Of(image);
            _frames[image.Id] = dicom?.Frame;
            if (image.FileName is string fileName && fileName.Length > 0)
            {
                Add(_byFileName, fileName.Replace('\\', '/'), image);
                Add(_byStem, Stem(fileName), image);
            }

            if (dicom?.SopInstanceUid is string uid)
            {
                Add(_bySopInstance, uid, image);
            }

            if (!string.IsNullOrEmpty(image.CocoUrl))
            {
                Add(_byUrl, image.CocoUrl!, image);
            }

            if (image.ExtraOrNull is JsonMemberBag extra && extra.TryGetString("dicomweb_url", out string url))
            {
                Add(_byUrl, url, image);
            }
        }

        /// <summary>The image a value names, or why there is none (<see cref="ImageMatch.Problem"/>).</summary>
        public ImageMatch Resolve(string value, int? frame, bool valueMayBeId)
        {
            string v = value.Trim();
            if (v.Length == 0)
            {
                return ImageMatch.Fail(ImageMatchProblem.Empty, value, frame);
            }

            if (valueMayBeId && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id) && _dataset.Images.Find(id) is CocoImage byId)
            {
                return new ImageMatch(byId);
            }

            // Lists name the same images over and over: a value resolved once is one lookup after that.
            if (frame == null && _resolved.TryGetValue(v, out var known))
            {
                return new ImageMatch(known);
            }

            string path = v.Replace('\\', '/');
            var found = Lookup(_byFileName, path, "file_name") ?? Lookup(_byStem, Name(path), "file name stem") ?? Lookup(_byStem, Stem(path), "file name stem")
                ?? Lookup(_bySopInstance, v, "SOP Instance UID") ?? Lookup(_byUrl, v, "DICOMweb URL");
            if (found is (List<CocoImage> candidates, string rule))
            {
                return Remember(v, frame, Pick(candidates, frame, value, rule));
            }

            // A source path: a full or longer path whose tail (after some '/') is an image's file_name.
            var matches = new List<CocoImage>();
            for (int slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
            {
                if (_byFileName.TryGetValue(path.Substring(slash + 1), out var tail))
                {
                    matches.AddRange(tail);
                }
            }

            if (matches.Count > 0)
            {
                return Remember(v, frame, Pick(matches, frame, value, "source path"));
            }

            return ImageMatch.Fail(ImageMatchProblem.NoMatch, value, frame);
        }

        private ImageMatch Remember(string value, int? frame, ImageMatch match)
        {
            if (match.Image != null && frame == null)
            {
                _resolved[value] = match.Image;
            }

            return match;
        }

        private static (List<CocoImage>, string)? Lookup(Dictionary<string, List<CocoImage>> index, string key, string rule) =>
            index.TryGetValue(key, out var found) ? (found, rule) : null;

        private ImageMatch Pick(List<CocoImage> candidates, int? frame, string value, string rule)
        {
            if (frame is int f)
            {
                var framed = candidates.FindAll(c => (_frames[c.Id] ?? 1) == f);
                if (framed.Count == 1)
                {
                    return new ImageMatch(framed[0]);
                }

                return framed.Count == 0
                    ? ImageMatch.Fail(ImageMatchProblem.NoSuchFrame, value, frame)
                    : ImageMatch.Fail(ImageMatchProblem.AmbiguousFrame, value, frame, rule, framed);
            }

            if (candidates.Count == 1)
            {
                return new ImageMatch(candidates[0]);
            }

            bool frames = candidates.TrueForAll(c => _frames[c.Id] != null && c.FileName == candidates[0].FileName);
            return ImageMatch.Fail(frames ? ImageMatchProblem.MultiFrameSource : ImageMatchProblem.Ambiguous, value, frame, rule, candidates);
        }

        /// <summary>The file name without folders (a value such as a SOP Instance UID has dots that are not an extension).</summary>
        private static string Name(string path) => path.Substring(path.LastIndexOf('/') + 1);

        /// <summary>The file name without folders and extension.</summary>
        public static string Stem(string fileName)
        {
            int slash = Math.Max(fileName.LastIndexOf('/'), fileName.LastIndexOf('\\'));
            string last = fileName.Substring(slash + 1);
            int dot = last.LastIndexOf('.');
            return dot > 0 ? last.Substring(0, dot) : last;
        }

        private static void Add(Dictionary<string, List<CocoImage>> index, string key, CocoImage image)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = new List<CocoImage>(1);
                index.Add(key, list);
            }

            list.Add(image);
        }
    }

    /// <summary>Why a value names no single image.</summary>
    public enum ImageMatchProblem
    {
        /// <summary>It names exactly one.</summary>
        None,
        /// <summary>The value is empty.</summary>
        Empty,
        /// <summary>It matches no image by any rule.</summary>
        NoMatch,
        /// <summary>It matches images, none of them with the frame asked for.</summary>
        NoSuchFrame,
        /// <summary>Several images share what it matches.</summary>
        Ambiguous,
        /// <summary>Several images share what it matches, with the frame asked for.</summary>
        AmbiguousFrame,
        /// <summary>It names a multi-frame source without saying which frame.</summary>
        MultiFrameSource,
    }

    /// <summary>What <see cref="ImageResolver.Resolve"/> found: the image, or the kind of problem and its facts.</summary>
    public readonly struct ImageMatch
    {
        internal ImageMatch(CocoImage image)
        {
            Image = image;
            Problem = ImageMatchProblem.None;
            Value = string.Empty;
            Frame = null;
            Rule = null;
            CandidateIds = null;
        }

        private ImageMatch(ImageMatchProblem problem, string value, int? frame, string? rule, IReadOnlyList<long>? candidateIds)
        {
            Image = null;
            Problem = problem;
            Value = value;
            Frame = frame;
            Rule = rule;
            CandidateIds = candidateIds;
        }

        /// <summary>The image, when exactly one matched.</summary>
        public CocoImage? Image { get; }

        /// <summary>Why none did.</summary>
        public ImageMatchProblem Problem { get; }

        /// <summary>The value looked up.</summary>
        public string Value { get; }

        /// <summary>The frame asked for.</summary>
        public int? Frame { get; }

        /// <summary>The rule several images matched by (file_name, file name stem, SOP Instance UID ...).</summary>
        public string? Rule { get; }

        /// <summary>The ids of the images that matched, when several did.</summary>
        public IReadOnlyList<long>? CandidateIds { get; }

        /// <summary>True when the value names several images (an id or frame would say which).</summary>
        public bool IsAmbiguous => Problem == ImageMatchProblem.Ambiguous || Problem == ImageMatchProblem.AmbiguousFrame || Problem == ImageMatchProblem.MultiFrameSource;

        /// <summary>The problem in words, starting with the value.</summary>
        public string Describe() => Problem switch
        {
            ImageMatchProblem.None => string.Empty,
            ImageMatchProblem.Empty => "the image is empty",
            ImageMatchProblem.NoMatch => $"'{Value}' matches no image (by id, file_name, file name stem, SOP Instance UID or DICOMweb URL)",
            ImageMatchProblem.NoSuchFrame => $"'{Value}' has no frame {Frame}",
            ImageMatchProblem.AmbiguousFrame => $"'{Value}' frame {Frame} is ambiguous: {CandidateIds!.Count} images share its {Rule}",
            ImageMatchProblem.MultiFrameSource => $"'{Value}' is a multi-frame source ({CandidateIds!.Count} frames); add a frame column to say which",
            _ => $"'{Value}' is ambiguous: {CandidateIds!.Count} images share its {Rule} (ids {string.Join(", ", CandidateIds)}); name the image by id or full file_name",
        };

        internal static ImageMatch Fail(ImageMatchProblem problem, string value, int? frame, string? rule = null, List<CocoImage>? candidates = null) =>
            new ImageMatch(problem, value, frame, rule, candidates?.ConvertAll(c => c.Id));
    }
}
