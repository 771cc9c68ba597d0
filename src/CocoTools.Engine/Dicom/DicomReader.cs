using System;
using System.IO;
using CocoTools.Engine.IO;

namespace CocoTools.Engine.Dicom
{
    /// <summary>
    /// Reads DICOM Part 10 files and raw data sets up to the pixel data, never reading pixel bytes. Follows what
    /// dcmtk's dcmdata survives: data sets without preamble or meta, meta without group length or transfer syntax,
    /// all native transfer syntaxes and deflate, defined and undefined length sequences, UN of undefined length,
    /// non-standard VR bytes (with a warning, as dcmtk), duplicate elements (the first kept). Everything malformed
    /// ends in a <see cref="DicomException"/>; reads are linear in the file size and nested at most 64 deep.
    /// </summary>
    public static class DicomReader
    {
        /// <summary>Reads a file's header.</summary>
        public static DicomHeader ReadHeader(string path, DicomReadOptions? options = null)
        {
            FileStream stream;
            try
            {
                // FileShare.ReadWrite: on Unix, .NET emulates FileShare.Read with an flock per open, which a scan of
                // thousands of files pays for and gains nothing from (the file is only read).
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            }
            catch (Exception e) when (FileFailure.Is(e))
            {
                throw FileFailure.Read(path, e);
            }

            using (stream)
            {
                return ReadHeader(stream, path, options);
            }
        }

        /// <summary>Reads a header from a stream; <paramref name="sourcePath"/> names it in errors.</summary>
        public static DicomHeader ReadHeader(Stream stream, string? sourcePath, DicomReadOptions? options = null)
        {
            using var parser = new DicomParser(stream, sourcePath, options ?? new DicomReadOptions());
            try
            {
                return parser.Parse();
            }
            catch (EndOfStreamException e)
            {
                throw new DicomException("DicomTruncated", $"the file ends at byte {parser.Position} in the middle of an element: it is truncated.", sourcePath, parser.Position, e);
            }
            catch (InvalidDataException e)
            {
                throw new DicomException("DicomCorrupt", $"the deflated data set cannot be inflated: {e.Message}", sourcePath, parser.Position, e);
            }
        }

        /// <summary>True when the first bytes of a file look like DICOM: "DICM" at 128 (or 0), or a plausible first data set element.</summary>
        public static bool LooksLikeDicom(ReadOnlySpan<byte> head)
        {
            if (head.Length >= 132 && IsDicm(head.Slice(128)))
            {
                return true;
            }

            return head.Length >= 8 && (IsDicm(head) || DicomParser.DetectRawEncoding(head) != null);
        }

        internal static bool IsDicm(ReadOnlySpan<byte> s) => s.Length >= 4 && s[0] == (byte)'D' && s[1] == (byte)'I' && s[2] == (byte)'C' && s[3] == (byte)'M';
    }
}
