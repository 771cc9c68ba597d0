using System;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>
    /// The plane of one image (or frame) in patient coordinates (mm), and the patient-to-pixel transform that
    /// RTSTRUCT contours and SCOORD3D points need (PS3.3 C.7.6.2.1.1). Image Position (Patient) is the centre of the
    /// first pixel; Image Orientation (Patient) gives the row direction (along increasing column index) and the
    /// column direction (along increasing row index); Pixel Spacing is (row spacing, column spacing). So for a point
    /// P: column i = (P - IPP) . rowdir / column spacing, row j = (P - IPP) . coldir / row spacing, and its COCO
    /// point (pixel corners at integers) is (i + 0.5, j + 0.5). Oblique planes work the same.
    /// </summary>
    public sealed class ImagePlane
    {
        private ImagePlane(double[] position, double[] rowDirection, double[] columnDirection, double rowSpacing, double columnSpacing, int rows, int columns, double? sliceSpacing)
        {
            Position = position;
            RowDirection = rowDirection;
            ColumnDirection = columnDirection;
            Normal = new[]
            {
                (rowDirection[1] * columnDirection[2]) - (rowDirection[2] * columnDirection[1]),
                (rowDirection[2] * columnDirection[0]) - (rowDirection[0] * columnDirection[2]),
                (rowDirection[0] * columnDirection[1]) - (rowDirection[1] * columnDirection[0]),
            };
            RowSpacing = rowSpacing;
            ColumnSpacing = columnSpacing;
            Rows = rows;
            Columns = columns;
            SliceSpacing = sliceSpacing;
        }

        /// <summary>Image Position (Patient): x, y, z of the centre of the first pixel, mm.</summary>
        public double[] Position { get; }

        /// <summary>Unit direction of a row (increasing column index).</summary>
        public double[] RowDirection { get; }

        /// <summary>Unit direction of a column (increasing row index).</summary>
        public double[] ColumnDirection { get; }

        /// <summary>Unit normal, row direction x column direction.</summary>
        public double[] Normal { get; }

        /// <summary>Distance between the centres of adjacent rows, mm (first value of Pixel Spacing).</summary>
        public double RowSpacing { get; }

        /// <summary>Distance between the centres of adjacent columns, mm (second value of Pixel Spacing).</summary>
        public double ColumnSpacing { get; }

        /// <summary>Rows (image height).</summary>
        public int Rows { get; }

        /// <summary>Columns (image width).</summary>
        public int Columns { get; }

        /// <summary>Spacing Between Slices, else Slice Thickness, when known (mm).</summary>
        public double? SliceSpacing { get; }

        /// <summary>
        /// The plane from DICOM values: IPP (3), IOP (6, normalised here), Pixel Spacing (2), size. Null when a value is
        /// missing or degenerate (zero direction, parallel directions, spacing not positive).
        /// </summary>
        public static ImagePlane? Create(double[]? position, double[]? orientation, double[]? pixelSpacing, int rows, int columns, double? sliceSpacing)
        {
            if (position == null || position.Length != 3 || orientation == null || orientation.Length != 6 || pixelSpacing == null || pixelSpacing.Length != 2
                || !(pixelSpacing[0] > 0) || !(pixelSpacing[1] > 0) || rows <= 0 || columns <= 0)
            {
                return null;
            }

            var row = Unit(orientation[0], orientation[1], orientation[2]);
            var column = Unit(orientation[3], orientation[4], orientation[5]);
            if (row == null || column == null || Math.Abs(Dot(row, column)) > 1e-3)
            {
                return null;
            }

            return new ImagePlane((double[])position.Clone(), row, column, pixelSpacing[0], pixelSpacing[1], rows, columns, sliceSpacing is double s && s > 0 ? s : null);
        }

        /// <summary>The continuous pixel index (column i, row j) of a patient point: the centre of pixel (0,0) is (0,0).</summary>
        public (double I, double J) ToPixelIndex(double x, double y, double z)
        {
            double dx = x - Position[0], dy = y - Position[1], dz = z - Position[2];
            return (((dx * RowDirection[0]) + (dy * RowDirection[1]) + (dz * RowDirection[2])) / ColumnSpacing,
                    ((dx * ColumnDirection[0]) + (dy * ColumnDirection[1]) + (dz * ColumnDirection[2])) / RowSpacing);
        }

        /// <summary>The COCO point of a patient point: pixel corners at integers, so (i + 0.5, j + 0.5).</summary>
        public (double X, double Y) ToCocoPoint(double x, double y, double z)
        {
            var (i, j) = ToPixelIndex(x, y, z);
            return (i + 0.5, j + 0.5);
        }

        /// <summary>The signed distance of a patient point from the plane along its normal, mm.</summary>
        public double DistanceFromPlane(double x, double y, double z) =>
            ((x - Position[0]) * Normal[0]) + ((y - Position[1]) * Normal[1]) + ((z - Position[2]) * Normal[2]);

        /// <summary>The patient point of a continuous pixel index (column i, row j).</summary>
        public (double X, double Y, double Z) ToPatient(double i, double j) =>
            (Position[0] + (i * ColumnSpacing * RowDirection[0]) + (j * RowSpacing * ColumnDirection[0]),
             Position[1] + (i * ColumnSpacing * RowDirection[1]) + (j * RowSpacing * ColumnDirection[1]),
             Position[2] + (i * ColumnSpacing * RowDirection[2]) + (j * RowSpacing * ColumnDirection[2]));

        /// <summary>True when another plane has the same orientation (normals parallel within about 0.06 degrees).</summary>
        public bool IsParallelTo(ImagePlane other) => Math.Abs(Math.Abs(Dot(Normal, other.Normal)) - 1) < 1e-6;

        private static double Dot(double[] a, double[] b) => (a[0] * b[0]) + (a[1] * b[1]) + (a[2] * b[2]);

        private static double[]? Unit(double x, double y, double z)
        {
            double length = Math.Sqrt((x * x) + (y * y) + (z * z));
            return length > 1e-6 && !double.IsNaN(length) && !double.IsInfinity(length) ? new[] { x / length, y / length, z / length } : null;
        }
    }
}
