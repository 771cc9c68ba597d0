using System;
using System.Collections.Generic;
using System.Globalization;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Imaging;

namespace CocoTools.Engine.Operations
{
    /// <summary>
    /// What makes two COCO images the same image, the one rule Add-CocoImage and Merge-CocoDataset share: the SOP
    /// Instance UID with the frame when the image has one (a DICOM instance is the same wherever its file lies),
    /// else the file_name with the frame.
    /// </summary>
    public readonly struct ImageIdentity : IEquatable<ImageIdentity>
    {
        private readonly string _key;

        internal ImageIdentity(string fileName, string? sopInstanceUid, int? frame)
        {
            FileName = fileName;
            SopInstanceUid = sopInstanceUid;
            Frame = frame;
            string suffix = frame is int f ? "#" + f.ToString(CultureInfo.InvariantCulture) : string.Empty;
            _key = sopInstanceUid != null ? "sop:" + sopInstanceUid + suffix : "file:" + fileName + suffix;
        }

        /// <summary>The image's file_name.</summary>
        public string FileName { get; }

        /// <summary>The SOP Instance UID, for DICOM images.</summary>
        public string? SopInstanceUid { get; }

        /// <summary>The frame, for a frame of a multi-frame object.</summary>
        public int? Frame { get; }

        /// <summary>The identity of an image in a dataset, from its file_name and dicom object.</summary>
        public static ImageIdentity Of(CocoImage image)
        {
            var dicom = CocoImageDicom.Of(image);
            return new ImageIdentity(image.FileName ?? string.Empty, dicom?.SopInstanceUid, dicom?.Frame);
        }

        /// <inheritdoc />
        public bool Equals(ImageIdentity other) => string.Equals(_key, other._key, StringComparison.Ordinal);

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is ImageIdentity other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => _key == null ? 0 : StringComparer.Ordinal.GetHashCode(_key);

        /// <inheritdoc />
        public override string ToString() => _key ?? string.Empty;
    }

    /// <summary>What happened to one scanned file added to a dataset.</summary>
    public sealed class ImageImportResult
    {
        internal ImageImportResult(ScannedFile file, IReadOnlyList<CocoImage> added, IReadOnlyList<int> duplicateFrames, ImageIdentity? duplicateFile)
        {
            File = file;
            Added = added;
            DuplicateFrames = duplicateFrames;
            DuplicateFile = duplicateFile;
        }

        /// <summary>The file.</summary>
        public ScannedFile File { get; }

        /// <summary>The images added, in frame order.</summary>
        public IReadOnlyList<CocoImage> Added { get; }

        /// <summary>Frames (1-based) not added because they are already in the dataset, when others were added.</summary>
        public IReadOnlyList<int> DuplicateFrames { get; }

        /// <summary>Set when every image of the file is already in the dataset (nothing added): the first one's identity.</summary>
        public ImageIdentity? DuplicateFile { get; }
    }

    /// <summary>Turns scanned files into the images of a dataset, each image once (see <see cref="ImageIdentity"/>).</summary>
    public sealed class ImageImporter
    {
        private readonly CocoDataset _dataset;
        private readonly HashSet<ImageIdentity> _seen = new HashSet<ImageIdentity>();

        /// <summary>Adds to <paramref name="dataset"/>, which may already hold images.</summary>
        public ImageImporter(CocoDataset dataset, ImageScanOptions options)
        {
            _dataset = dataset;
            Options = options;
            foreach (var image in dataset.Images)
            {
                _seen.Add(ImageIdentity.Of(image));
            }
        }

        /// <summary>How files become images.</summary>
        public ImageScanOptions Options { get; }

        /// <summary>Scan options that hash patients with this dataset's secret (see <see cref="CocoDataset.UsePatientSalt"/>).</summary>
        public static ImageScanOptions ScanOptions(CocoDataset dataset, string? salt = null)
        {
            dataset.UsePatientSalt(salt);
            return new ImageScanOptions { PatientSalt = dataset.PatientHashKey };
        }

        /// <summary>Adds the file's images (one per frame, or the first) that are not in the dataset yet.</summary>
        public ImageImportResult Add(ScannedFile file) => Add(file, null);

        /// <summary>
        /// Adds the file's images that are not in the dataset yet, made beforehand by <see cref="ToImages"/> with these
        /// <see cref="Options"/> (on a worker thread, so that the caller's thread only numbers them); null: made here.
        /// </summary>
        public ImageImportResult Add(ScannedFile file, IReadOnlyList<CocoImage>? prepared)
        {
            var identities = IdentitiesOf(file, Options);
            bool all = true;
            foreach (var identity in identities)
            {
                all &= _seen.Contains(identity);
            }

            if (all)
            {
                return new ImageImportResult(file, Array.Empty<CocoImage>(), Array.Empty<int>(), identities[0]);
            }

            var images = prepared ?? ToImages(file, Options);
            var added = new List<CocoImage>(images.Count);
            var duplicates = new List<int>();
            for (int i = 0; i < images.Count; i++)
            {
                if (!_seen.Add(identities[i]))
                {
                    duplicates.Add(i + 1);
                    continue;
                }

                _dataset.Images.AddNew(images[i]);
                added.Add(images[i]);
            }

            return new ImageImportResult(file, added, duplicates, null);
        }

        /// <summary>The identities of the images <see cref="ToImages"/> makes of a file, in the same order, from its header alone.</summary>
        internal static ImageIdentity[] IdentitiesOf(ScannedFile file, ImageScanOptions options)
        {
            string fileName = file.FileName ?? ImageScanner.RelativePath(options.BasePath, file.Path);
            if (file.Dicom == null)
            {
                return new[] { new ImageIdentity(fileName, null, null) };
            }

            int total = file.Dicom.Frames;
            var identities = new ImageIdentity[options.Frames == FrameSelection.First ? 1 : total];
            for (int frame = 1; frame <= identities.Length; frame++)
            {
                identities[frame - 1] = new ImageIdentity(fileName, file.Dicom.SopInstanceUid, total > 1 ? frame : (int?)null);
            }

            return identities;
        }

        /// <summary>The COCO images of a scanned file: one per frame (or the first only), ids unassigned.</summary>
        public static IReadOnlyList<CocoImage> ToImages(ScannedFile file, ImageScanOptions options)
        {
            string fileName = file.FileName ?? ImageScanner.RelativePath(options.BasePath, file.Path);
            string? cocoUrl = file.CocoUrl ?? (options.DicomWebRoot == null ? null : options.DicomWebRoot.TrimEnd('/') + "/" + fileName);
            if (file.Dicom == null)
            {
                return new[] { new CocoImage { Width = file.Width, Height = file.Height, FileName = fileName, CocoUrl = cocoUrl } };
            }

            var header = file.Dicom;
            int frames = options.Frames == FrameSelection.First ? 1 : header.Frames;
            var images = new List<CocoImage>(frames);
            for (int frame = 1; frame <= frames; frame++)
            {
                var image = new CocoImage
                {
                    Width = file.Width,
                    Height = file.Height,
                    FileName = fileName,
                    CocoUrl = cocoUrl,
                    DateCaptured = header.DateCaptured,
                };
                image.Extra.SetRaw("dicom", DicomObject(header, header.Frames > 1 ? frame : (int?)null, options, file.TransferSyntaxUnknown));
                images.Add(image);
            }

            return images;
        }

        /// <summary>
        /// The image's <c>dicom</c> object: identifiers of study, series and instance, and the attributes that
        /// describe the pixels. Nothing that identifies the patient unless asked for by <see cref="ImageScanOptions.IncludeTags"/>.
        /// </summary>
        private static byte[] DicomObject(DicomHeader header, int? frame, ImageScanOptions options, bool transferSyntaxUnknown)
        {
            var d = new System.Collections.Specialized.OrderedDictionary();
            void Put(string key, object? value)
            {
                if (value != null)
                {
                    d[key] = value;
                }
            }

            object? Numbers(double[]? values) => values == null ? null : values.Length == 1 ? values[0] : (object)values;

            Put("StudyInstanceUID", header.StudyInstanceUid);
            Put("SeriesInstanceUID", header.SeriesInstanceUid);
            Put("SOPInstanceUID", header.SopInstanceUid);
            Put("SOPClassUID", header.SopClassUid);
            Put("Modality", header.Modality);
            Put("frame", frame);
            if (header.Frames > 1)
            {
                Put("NumberOfFrames", header.Frames);
            }

            // Where the frame lies, so that annotation objects (SEG, RTSTRUCT, SR) can be placed on it later, even
            // from a dataset saved to JSON without the image files.
            var geometry = DicomFrameGeometry.Of(header.Dataset, frame ?? 1);
            Put("FrameOfReferenceUID", geometry.FrameOfReferenceUid);
            Put("ImagePositionPatient", geometry.ImagePositionPatient);
            Put("ImageOrientationPatient", geometry.ImageOrientationPatient);
            Put("PixelSpacing", geometry.PixelSpacing ?? header.PixelSpacing);
            Put("SliceThickness", geometry.SliceThickness);
            Put("SpacingBetweenSlices", geometry.SpacingBetweenSlices);
            Put("BitsStored", header.BitsStored);
            Put("PhotometricInterpretation", header.PhotometricInterpretation);
            Put("WindowCenter", Numbers(header.WindowCenter));
            Put("WindowWidth", Numbers(header.WindowWidth));
            Put("TransferSyntaxUID", transferSyntaxUnknown ? null : header.TransferSyntax.Uid);
            if (options.PatientSalt != null && header.Dataset.GetString(Tags.PatientId) is string patientId && patientId.Length > 0)
            {
                Put("PatientHash", ImageScanner.PatientHash(options.PatientSalt, patientId, header.Dataset.GetString(Tags.IssuerOfPatientId)));
            }

            foreach (var tag in options.IncludeTags)
            {
                if (header.Dataset[tag] != null)
                {
                    d[tag.Keyword ?? tag.ToString()] = header.Dataset.GetValue(tag);
                }
                else if (header.FileMeta?[tag] != null)
                {
                    d[tag.Keyword ?? tag.ToString()] = header.FileMeta.GetValue(tag);
                }
            }

            return JsonValueConversion.ToJson(d);
        }
    }
}
