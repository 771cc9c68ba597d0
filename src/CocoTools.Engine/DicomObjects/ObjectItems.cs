using System;
using System.Collections.Generic;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>The tags the annotation object readers use, and strict accessors that name the item when a value is broken.</summary>
    internal static class ObjectItems
    {
        public static readonly DicomTag SopClassUid = new DicomTag(0x0008, 0x0016);
        public static readonly DicomTag SopInstanceUid = new DicomTag(0x0008, 0x0018);
        public static readonly DicomTag CodeValue = new DicomTag(0x0008, 0x0100);
        public static readonly DicomTag CodingSchemeDesignator = new DicomTag(0x0008, 0x0102);
        public static readonly DicomTag CodeMeaning = new DicomTag(0x0008, 0x0104);
        public static readonly DicomTag LongCodeValue = new DicomTag(0x0008, 0x0119);
        public static readonly DicomTag UrnCodeValue = new DicomTag(0x0008, 0x0120);
        public static readonly DicomTag ReferencedSopInstanceUid = new DicomTag(0x0008, 0x1155);
        public static readonly DicomTag ReferencedFrameNumber = new DicomTag(0x0008, 0x1160);
        public static readonly DicomTag ReferencedSopSequence = new DicomTag(0x0008, 0x1199);
        public static readonly DicomTag FrameOfReferenceUid = new DicomTag(0x0020, 0x0052);

        /// <summary>The error that refuses a broken object whole, naming the file and the item.</summary>
        public static DicomObjectException Broken(string? sourcePath, string item, string message) =>
            new DicomObjectException(DicomObjectProblem.Broken, sourcePath ?? "<data set>", item, message);

        /// <summary>The items of a sequence; empty when absent or empty.</summary>
        public static IReadOnlyList<DicomDataset> Items(DicomDataset item, DicomTag sequence) =>
            item[sequence]?.Items ?? (IReadOnlyList<DicomDataset>)Array.Empty<DicomDataset>();

        /// <summary>The text of a value, trimmed; null when absent or empty.</summary>
        public static string? Text(DicomDataset item, DicomTag tag)
        {
            string? s = item.GetString(tag);
            return string.IsNullOrWhiteSpace(s) ? null : s!.Trim();
        }

        /// <summary>
        /// All numbers of a value; null when absent or empty. A value too long to have been kept, or one that is not a
        /// number, is an error naming the item.
        /// </summary>
        public static double[]? Numbers(DicomDataset item, DicomTag tag, string? sourcePath, string location, string name)
        {
            var e = item[tag];
            if (e == null || e.ValueLength == 0)
            {
                return null;
            }

            if (e.Value == null)
            {
                throw Broken(sourcePath, location, $"{name} is {e.ValueLength} bytes long, more than the header reader keeps of one value (1 MiB by default).");
            }

            var values = item.GetDoubles(tag);
            if (values == null)
            {
                return null;
            }

            foreach (var v in values)
            {
                if (double.IsNaN(v) || double.IsInfinity(v))
                {
                    throw Broken(sourcePath, location, $"{name} holds a value that is not a finite number.");
                }
            }

            return values;
        }

        /// <summary>The first value as an integer; null when absent; an error naming the item when not an integer.</summary>
        public static int? Integer(DicomDataset item, DicomTag tag, string? sourcePath, string location, string name)
        {
            var values = Numbers(item, tag, sourcePath, location, name);
            if (values == null || values.Length == 0)
            {
                return null;
            }

            double v = values[0];
            if (Math.Floor(v) != v || v < int.MinValue || v > int.MaxValue)
            {
                throw Broken(sourcePath, location, $"{name} is not an integer.");
            }

            return (int)v;
        }

        /// <summary>The first item of a code sequence as a concept; null when absent or without a meaning and value.</summary>
        public static CodedConcept? Code(DicomDataset item, DicomTag sequence)
        {
            var items = Items(item, sequence);
            if (items.Count == 0)
            {
                return null;
            }

            var code = items[0];
            string? value = Text(code, CodeValue) ?? Text(code, LongCodeValue) ?? Text(code, UrnCodeValue);
            string? meaning = Text(code, CodeMeaning);
            return value == null && meaning == null ? null : new CodedConcept(Text(code, CodingSchemeDesignator), value, meaning ?? value!);
        }

        /// <summary>The image a Referenced SOP / Contour Image item names; null when it names none.</summary>
        public static ReferencedImage? Image(DicomDataset reference, string? sourcePath, string location)
        {
            string? uid = Text(reference, ReferencedSopInstanceUid);
            if (uid == null)
            {
                return null;
            }

            var frames = Numbers(reference, ReferencedFrameNumber, sourcePath, location, "Referenced Frame Number");
            int? frame = null;
            if (frames != null && frames.Length > 1)
            {
                // A contour or a region lies in one plane: several frames would be a guess.
                throw Broken(sourcePath, location, $"the reference to {uid} names {frames.Length} frames; a contour or region lies on one.");
            }

            if (frames != null && frames.Length == 1)
            {
                double f = frames[0];
                if (f < 1 || Math.Floor(f) != f || f > int.MaxValue)
                {
                    throw Broken(sourcePath, location, "Referenced Frame Number is not a positive integer.");
                }

                frame = (int)f;
            }

            return new ReferencedImage(uid, frame);
        }
    }
}
