using System;
using System.Collections.Generic;
using System.Globalization;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>Contour Geometric Type (3006,0042), PS3.3 C.8.8.6.1.</summary>
    public enum RtContourGeometricType
    {
        /// <summary>POINT: a single point.</summary>
        Point,
        /// <summary>OPEN_PLANAR: an open polyline in one plane.</summary>
        OpenPlanar,
        /// <summary>OPEN_NONPLANAR: an open polyline not in one plane.</summary>
        OpenNonplanar,
        /// <summary>CLOSED_PLANAR: a closed polygon (the last point joins the first).</summary>
        ClosedPlanar,
        /// <summary>CLOSEDPLANAR_XOR: a closed polygon the standard says to combine with the others by exclusive or.</summary>
        ClosedPlanarXor,
    }

    /// <summary>One contour of an ROI: its type, its points in patient coordinates (mm) and the images it names.</summary>
    public sealed class RtContour
    {
        internal RtContour(string location, RtContourGeometricType type, double[] points, IReadOnlyList<ReferencedImage> images)
        {
            Location = location;
            GeometricType = type;
            Points = points;
            Images = images;
        }

        /// <summary>Where the contour is in the object, e.g. "ROI Contour Sequence item 1, Contour Sequence item 3".</summary>
        public string Location { get; }

        /// <summary>The geometric type.</summary>
        public RtContourGeometricType GeometricType { get; }

        /// <summary>Contour Data: x1, y1, z1, x2, ... in patient coordinates (mm).</summary>
        public double[] Points { get; }

        /// <summary>The number of points.</summary>
        public int PointCount => Points.Length / 3;

        /// <summary>Contour Image Sequence: the image(s) the contour lies on; empty when the object names none.</summary>
        public IReadOnlyList<ReferencedImage> Images { get; }

        /// <summary>True for CLOSED_PLANAR and CLOSEDPLANAR_XOR.</summary>
        public bool IsClosed => GeometricType == RtContourGeometricType.ClosedPlanar || GeometricType == RtContourGeometricType.ClosedPlanarXor;
    }

    /// <summary>One ROI: Structure Set ROI Sequence, its RT ROI Observations and its ROI Contour.</summary>
    public sealed class RtRoi
    {
        internal RtRoi(int number, string name, string? frameOfReferenceUid, string? interpretedType, int[]? displayColor, IReadOnlyList<RtContour> contours)
        {
            Number = number;
            Name = name;
            FrameOfReferenceUid = frameOfReferenceUid;
            InterpretedType = interpretedType;
            DisplayColor = displayColor;
            Contours = contours;
        }

        /// <summary>ROI Number.</summary>
        public int Number { get; }

        /// <summary>ROI Name; "ROI n" when the object leaves it empty.</summary>
        public string Name { get; }

        /// <summary>Referenced Frame of Reference UID of the ROI.</summary>
        public string? FrameOfReferenceUid { get; }

        /// <summary>RT ROI Interpreted Type (ORGAN, PTV, MARKER, ...); null when empty.</summary>
        public string? InterpretedType { get; }

        /// <summary>ROI Display Color as [r, g, b] (0-255); null when absent.</summary>
        public int[]? DisplayColor { get; }

        /// <summary>The contours in file order.</summary>
        public IReadOnlyList<RtContour> Contours { get; }
    }

    /// <summary>
    /// An RT Structure Set (1.2.840.10008.5.1.4.1.1.481.3) as read from its data set: the ROIs with name, Frame of
    /// Reference, interpreted type, display colour and contours. The read checks everything it returns (every number
    /// finite, point counts as declared, every ROI Contour naming an ROI of the set) and refuses a broken object whole
    /// with a <see cref="DicomObjectException"/> naming the item. Patient attributes are never read.
    /// </summary>
    public sealed class RtStructureSet
    {
        /// <summary>The RT Structure Set Storage SOP Class UID.</summary>
        public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.481.3";

        private static readonly DicomTag ReferencedFrameOfReferenceSequence = new DicomTag(0x3006, 0x0010);
        private static readonly DicomTag ContourImageSequence = new DicomTag(0x3006, 0x0016);
        private static readonly DicomTag StructureSetRoiSequence = new DicomTag(0x3006, 0x0020);
        private static readonly DicomTag RoiNumber = new DicomTag(0x3006, 0x0022);
        private static readonly DicomTag ReferencedFrameOfReferenceUid = new DicomTag(0x3006, 0x0024);
        private static readonly DicomTag RoiName = new DicomTag(0x3006, 0x0026);
        private static readonly DicomTag RoiDisplayColor = new DicomTag(0x3006, 0x002A);
        private static readonly DicomTag RoiContourSequence = new DicomTag(0x3006, 0x0039);
        private static readonly DicomTag ContourSequence = new DicomTag(0x3006, 0x0040);
        private static readonly DicomTag ContourGeometricType = new DicomTag(0x3006, 0x0042);
        private static readonly DicomTag NumberOfContourPoints = new DicomTag(0x3006, 0x0046);
        private static readonly DicomTag ContourData = new DicomTag(0x3006, 0x0050);
        private static readonly DicomTag RtRoiObservationsSequence = new DicomTag(0x3006, 0x0080);
        private static readonly DicomTag ReferencedRoiNumber = new DicomTag(0x3006, 0x0084);
        private static readonly DicomTag RtRoiInterpretedType = new DicomTag(0x3006, 0x00A4);

        private RtStructureSet(string? sopInstanceUid, IReadOnlyList<string> frameOfReferenceUids, IReadOnlyList<RtRoi> rois)
        {
            SopInstanceUid = sopInstanceUid;
            FrameOfReferenceUids = frameOfReferenceUids;
            Rois = rois;
        }

        /// <summary>The structure set's SOP Instance UID.</summary>
        public string? SopInstanceUid { get; }

        /// <summary>The Frame of Reference UIDs of Referenced Frame of Reference Sequence, in file order.</summary>
        public IReadOnlyList<string> FrameOfReferenceUids { get; }

        /// <summary>The ROIs in Structure Set ROI Sequence order (ROIs without contours included, with none).</summary>
        public IReadOnlyList<RtRoi> Rois { get; }

        /// <summary>True when the data set's SOP Class is RT Structure Set Storage.</summary>
        public static bool Is(DicomDataset dataset) => ObjectItems.Text(dataset, ObjectItems.SopClassUid) == SopClassUid;

        /// <summary>Reads a structure set; <paramref name="sourcePath"/> names the file in errors.</summary>
        public static RtStructureSet Read(DicomDataset dataset, string? sourcePath)
        {
            var frames = new List<string>();
            foreach (var item in ObjectItems.Items(dataset, ReferencedFrameOfReferenceSequence))
            {
                if (ObjectItems.Text(item, ObjectItems.FrameOfReferenceUid) is string uid)
                {
                    frames.Add(uid);
                }
            }

            // Observations: ROI number -> interpreted type (the first observation of an ROI that has one).
            var interpreted = new Dictionary<int, string>();
            var observations = ObjectItems.Items(dataset, RtRoiObservationsSequence);
            for (int k = 0; k < observations.Count; k++)
            {
                string location = $"RT ROI Observations Sequence item {k + 1}";
                if (ObjectItems.Integer(observations[k], ReferencedRoiNumber, sourcePath, location, "Referenced ROI Number") is int roi
                    && ObjectItems.Text(observations[k], RtRoiInterpretedType) is string type && !interpreted.ContainsKey(roi))
                {
                    interpreted.Add(roi, type);
                }
            }

            var definitions = ObjectItems.Items(dataset, StructureSetRoiSequence);
            var order = new List<int>();
            var names = new Dictionary<int, (string Name, string? FrameOfReference)>();
            for (int k = 0; k < definitions.Count; k++)
            {
                string location = $"Structure Set ROI Sequence item {k + 1}";
                int number = ObjectItems.Integer(definitions[k], RoiNumber, sourcePath, location, "ROI Number")
                    ?? throw ObjectItems.Broken(sourcePath, location, "ROI Number is missing.");
                if (names.ContainsKey(number))
                {
                    throw ObjectItems.Broken(sourcePath, location, $"ROI Number {number} is used by an earlier item too.");
                }

                string name = ObjectItems.Text(definitions[k], RoiName) ?? "ROI " + number.ToString(CultureInfo.InvariantCulture);
                names.Add(number, (name, ObjectItems.Text(definitions[k], ReferencedFrameOfReferenceUid)));
                order.Add(number);
            }

            var contours = new Dictionary<int, (int[]? Color, List<RtContour> Contours)>();
            var roiContours = ObjectItems.Items(dataset, RoiContourSequence);
            for (int k = 0; k < roiContours.Count; k++)
            {
                string location = $"ROI Contour Sequence item {k + 1}";
                var roiContour = roiContours[k];
                int number = ObjectItems.Integer(roiContour, ReferencedRoiNumber, sourcePath, location, "Referenced ROI Number")
                    ?? throw ObjectItems.Broken(sourcePath, location, "Referenced ROI Number is missing.");
                if (!names.ContainsKey(number))
                {
                    throw ObjectItems.Broken(sourcePath, location, $"Referenced ROI Number {number} names no item of Structure Set ROI Sequence.");
                }

                if (contours.ContainsKey(number))
                {
                    throw ObjectItems.Broken(sourcePath, location, $"ROI {number} has a second ROI Contour item.");
                }

                var color = ReadColor(roiContour, sourcePath, location);
                var list = new List<RtContour>();
                var items = ObjectItems.Items(roiContour, ContourSequence);
                for (int c = 0; c < items.Count; c++)
                {
                    list.Add(ReadContour(items[c], sourcePath, $"{location}, Contour Sequence item {c + 1}"));
                }

                contours.Add(number, (color, list));
            }

            var rois = new List<RtRoi>(order.Count);
            foreach (int number in order)
            {
                var (name, frameOfReference) = names[number];
                contours.TryGetValue(number, out var drawn);
                rois.Add(new RtRoi(
                    number,
                    name,
                    frameOfReference,
                    interpreted.TryGetValue(number, out var type) ? type : null,
                    drawn.Color,
                    drawn.Contours ?? (IReadOnlyList<RtContour>)Array.Empty<RtContour>()));
            }

            return new RtStructureSet(ObjectItems.Text(dataset, ObjectItems.SopInstanceUid), frames, rois);
        }

        private static int[]? ReadColor(DicomDataset roiContour, string? sourcePath, string location)
        {
            var values = ObjectItems.Numbers(roiContour, RoiDisplayColor, sourcePath, location, "ROI Display Color");
            if (values == null)
            {
                return null;
            }

            if (values.Length != 3 || Array.Exists(values, v => v < 0 || v > 255 || Math.Floor(v) != v))
            {
                throw ObjectItems.Broken(sourcePath, location, "ROI Display Color is not three integers 0-255.");
            }

            return new[] { (int)values[0], (int)values[1], (int)values[2] };
        }

        private static RtContour ReadContour(DicomDataset contour, string? sourcePath, string location)
        {
            string? typeText = ObjectItems.Text(contour, ContourGeometricType);
            RtContourGeometricType type = typeText switch
            {
                "POINT" => RtContourGeometricType.Point,
                "OPEN_PLANAR" => RtContourGeometricType.OpenPlanar,
                "OPEN_NONPLANAR" => RtContourGeometricType.OpenNonplanar,
                "CLOSED_PLANAR" => RtContourGeometricType.ClosedPlanar,
                "CLOSEDPLANAR_XOR" => RtContourGeometricType.ClosedPlanarXor,
                null => throw ObjectItems.Broken(sourcePath, location, "Contour Geometric Type is missing."),
                _ => throw ObjectItems.Broken(sourcePath, location, $"Contour Geometric Type '{typeText}' is not one the standard defines."),
            };

            var points = ObjectItems.Numbers(contour, ContourData, sourcePath, location, "Contour Data")
                ?? throw ObjectItems.Broken(sourcePath, location, "Contour Data is missing or empty.");
            if (points.Length % 3 != 0)
            {
                throw ObjectItems.Broken(sourcePath, location, $"Contour Data holds {points.Length} numbers, not a whole number of (x, y, z) points.");
            }

            int count = points.Length / 3;
            if (ObjectItems.Integer(contour, NumberOfContourPoints, sourcePath, location, "Number of Contour Points") is int declared && declared != count)
            {
                throw ObjectItems.Broken(sourcePath, location, $"Number of Contour Points says {declared} but Contour Data holds {count} points.");
            }

            int needed = type == RtContourGeometricType.Point ? 1 : type == RtContourGeometricType.OpenPlanar || type == RtContourGeometricType.OpenNonplanar ? 2 : 3;
            if (type == RtContourGeometricType.Point ? count != 1 : count < needed)
            {
                throw ObjectItems.Broken(sourcePath, location, type == RtContourGeometricType.Point
                    ? $"a POINT contour holds {count} points, not 1."
                    : $"a {typeText} contour holds {count} point(s), fewer than {needed}.");
            }

            var images = new List<ReferencedImage>();
            var references = ObjectItems.Items(contour, ContourImageSequence);
            for (int r = 0; r < references.Count; r++)
            {
                if (ObjectItems.Image(references[r], sourcePath, $"{location}, Contour Image Sequence item {r + 1}") is ReferencedImage image)
                {
                    images.Add(image);
                }
            }

            return new RtContour(location, type, points, images);
        }
    }
}
