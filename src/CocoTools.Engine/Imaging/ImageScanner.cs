using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Imaging
{
    /// <summary>Which frames of a multi-frame object become COCO images.</summary>
    public enum FrameSelection
    {
        /// <summary>One COCO image per frame.</summary>
        All,
        /// <summary>Only the first frame.</summary>
        First,
    }

    /// <summary>How scanned files become COCO images.</summary>
    public sealed class ImageScanOptions
    {
        /// <summary>All frames (default) or the first only.</summary>
        public FrameSelection Frames { get; set; } = FrameSelection.All;

        /// <summary>file_name is the path relative to this folder (with forward slashes).</summary>
        public string BasePath { get; set; } = Directory.GetCurrentDirectory();

        /// <summary>When set, coco_url is this root plus the file_name: the viewer's <c>dicomweb://host/...</c> form.</summary>
        public string? DicomWebRoot { get; set; }

        /// <summary>Further DICOM attributes to copy into the image's <c>dicom</c> object (patient data only when named here).</summary>
        public IReadOnlyList<DicomTag> IncludeTags { get; set; } = Array.Empty<DicomTag>();

        /// <summary>Secret for <c>PatientHash</c>, the keyed hash of Patient ID that groups images by patient without exporting it (see Operations.ImageImporter.ScanOptions).</summary>
        internal byte[]? PatientSalt { get; set; }
    }

    /// <summary>What a file turned out to be: a DICOM header, or a raster image's format and size.</summary>
    public sealed class ScannedFile
    {
        internal ScannedFile(string path, DicomHeader? dicom, string? rasterFormat, int width, int height)
        {
            Path = path;
            Dicom = dicom;
            RasterFormat = rasterFormat;
            Width = width;
            Height = height;
        }

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>The DICOM header, for DICOM files.</summary>
        public DicomHeader? Dicom { get; }

        /// <summary>The raster format (PNG, JPEG ...), for raster images.</summary>
        public string? RasterFormat { get; }

        /// <summary>Width in pixels.</summary>
        public int Width { get; }

        /// <summary>Height in pixels.</summary>
        public int Height { get; }

        /// <summary>Problems worked around while reading.</summary>
        public IReadOnlyList<string> Warnings => Dicom?.Warnings ?? (IReadOnlyList<string>)Array.Empty<string>();

        /// <summary>Set when the file is readable but holds no image (a DICOMDIR, report or plan): why it is skipped.</summary>
        public string? SkipReason { get; internal set; }

        /// <summary>The file_name its images get, when not the path relative to the base folder (an instance read over DICOMweb).</summary>
        public string? FileName { get; set; }

        /// <summary>The coco_url its images get, when not made from <see cref="ImageScanOptions.DicomWebRoot"/>.</summary>
        public string? CocoUrl { get; set; }

        /// <summary>True when the header came without a transfer syntax (WADO-RS metadata): none is written.</summary>
        public bool TransferSyntaxUnknown { get; set; }
    }

    /// <summary>
    /// Reads what files are (DICOM detected by content, not extension; PNG, JPEG, BMP, TIFF, GIF, WebP identified by
    /// their signature and header (<see cref="RasterHeader"/>), never decoded) and makes COCO image records from them.
    /// </summary>
    public static class ImageScanner
    {
        private static readonly HashSet<string> NonImageSopClasses = new HashSet<string>(StringComparer.Ordinal)
        {
            "1.2.840.10008.1.3.10", // Media Storage Directory (DICOMDIR)
        };

        /// <summary>Reads one file's header (one open of the file). Throws <see cref="CocoToolsException"/> (NotDicom, DicomTruncated, UnsupportedImage ...) for what cannot be used.</summary>
        public static ScannedFile Scan(string path)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: {e.Message}", e) { SourcePath = path, Target = path };
            }

            using (stream)
            {
                var head = new byte[132];
                int n = 0, read;
                while (n < head.Length && (read = stream.Read(head, n, head.Length - n)) > 0)
                {
                    n += read;
                }

                Array.Resize(ref head, n);
                stream.Position = 0;
                if (DicomReader.LooksLikeDicom(head))
                {
                    try
                    {
                        return FromDicom(path, DicomReader.ReadHeader(stream, path));
                    }
                    catch (DicomException e) when (e.ErrorId == "NotDicom" && !(head.Length >= 132 && DicomReader.IsDicm(head.AsSpan(128))))
                    {
                        // The first bytes only resembled a raw data set; see whether it is a raster image.
                        stream.Position = 0;
                    }
                }

                return FromRaster(path, stream);
            }
        }

        /// <summary>What a DICOM header read elsewhere (over HTTP) is; <paramref name="name"/> names it in messages.</summary>
        public static ScannedFile FromHeader(string name, DicomHeader header) => FromDicom(name, header);

        private static ScannedFile FromDicom(string path, DicomHeader header)
        {
            var file = new ScannedFile(path, header, null, header.Columns ?? 0, header.Rows ?? 0);
            if (header.SopClassUid is string sopClass && NonImageSopClasses.Contains(sopClass))
            {
                file.SkipReason = "a DICOMDIR (media directory), not an image";
            }
            else if (header.PixelData == null || header.Rows is not int rows || header.Columns is not int columns || rows <= 0 || columns <= 0)
            {
                file.SkipReason = $"a DICOM object without an image (no pixel data or no size; SOP Class {header.SopClassUid ?? "unknown"}, modality {header.Modality ?? "unknown"})";
            }

            return file;
        }

        private static ScannedFile FromRaster(string path, Stream stream)
        {
            // By signature and our own header reading: a file that only resembles an image never reaches ImageSharp.
            var info = RasterHeader.Identify(stream, path);
            return new ScannedFile(path, null, info.Format, info.Width, info.Height);
        }

        /// <summary>HMAC-SHA256 of Patient ID (and its issuer) under a secret that is never exported: groups by patient, reveals nothing.</summary>
        public static string PatientHash(byte[] salt, string patientId, string? issuer)
        {
            using var hmac = new HMACSHA256(salt);
            var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(patientId.Trim() + "\\" + (issuer ?? string.Empty).Trim()));
            return BitConverter.ToString(hash, 0, 16).Replace("-", string.Empty).ToLowerInvariant();
        }

        /// <summary>
        /// The path relative to a base folder, with forward slashes (<c>..</c> segments when it is not below it); the full
        /// path, with forward slashes, when the two share no root (another drive).
        /// </summary>
        public static string RelativePath(string basePath, string path)
        {
            var comparison = System.IO.Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            char[] separators = { System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar };
            var from = System.IO.Path.GetFullPath(basePath).Split(separators, StringSplitOptions.RemoveEmptyEntries);
            var to = System.IO.Path.GetFullPath(path).Split(separators, StringSplitOptions.RemoveEmptyEntries);
            int common = 0;
            while (common < from.Length && common < to.Length && string.Equals(from[common], to[common], comparison))
            {
                common++;
            }

            if (common == 0 && System.IO.Path.DirectorySeparatorChar == '\\')
            {
                return System.IO.Path.GetFullPath(path).Replace('\\', '/');
            }

            var parts = Enumerable.Repeat("..", from.Length - common).Concat(to.Skip(common));
            return string.Join("/", parts);
        }
    }
}
