using System;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>
    /// The plane of one image (or frame) in patient coordinates and the patient -> pixel transform of PS3.3 C.7.6.2.1.1:
    /// Image Position (Patient) is the centre of the first pixel, Image Orientation (Patient) gives the row direction
    /// (along increasing column index) then the column direction, Pixel Spacing is (row spacing, column spacing). A
    /// point P lies at column i = (P - IPP).rowdir / column spacing and row j = (P - IPP).coldir / row spacing; in COCO
    /// pixel coordinates (0,0 at the top-left corner of the top-left pixel) that is (i + 0.5, j + 0.5). Oblique planes
    /// follow the same rule.
    /// </summary>
    public sealed class ImagePlane
    {
        private readonly double _px, _py, _pz;
        private readonly double _rx, _ry, _rz;
        private readonly double _cx, _cy, _cz;
        private readonly double _nx, _ny, _nz;
        private readonly double _rowSpacing, _columnSpacing;

        private ImagePlane(double[] position, double[] row, double[] column, double rowSpacing, double columnSpacing)
        {
            (_px, _py, _pz) = (position[0], position[1], position[2]);
            (_rx, _ry, _rz) = (row[0], row[1], row[2]);
            (_cx, _cy, _cz) = (column[0], column[1], column[2]);
            (_nx, _ny, _nz) = (_ry * _cz - _rz * _cy, _rz * _cx - _rx * _cz, _rx * _cy - _ry * _cx);
            _rowSpacing = rowSpacing;
            _columnSpacing = columnSpacing;
        }

        /// <summary>
        /// The plane of an image from its Image Position (Patient) (3 values), Image Orientation (Patient) (6) and
        /// Pixel Spacing (2: row spacing, column spacing); null when a value is missing, not finite, the spacing is not
        /// positive or the direction cosines are not two orthogonal unit vectors (within 1e-3, as real scanners round).
        /// </summary>
        public static ImagePlane? Create(double[]? imagePositionPatient, double[]? imageOrientationPatient, double[]? pixelSpacing)
        {
            if (imagePositionPatient == null || imagePositionPatient.Length != 3 || imageOrientationPatient == null || imageOrientationPatient.Length != 6
                || pixelSpacing == null || pixelSpacing.Length != 2)
            {
                return null;
            }

            foreach (var v in imagePositionPatient)
            {
                if (!IsFinite(v))
                {
                    return null;
                }
            }

            foreach (var v in imageOrientationPatient)
            {
                if (!IsFinite(v))
                {
                    return null;
                }
            }

            if (!IsFinite(pixelSpacing[0]) || !IsFinite(pixelSpacing[1]) || pixelSpacing[0] <= 0 || pixelSpacing[1] <= 0)
            {
                return null;
            }

            var row = new[] { imageOrientationPatient[0], imageOrientationPatient[1], imageOrientationPatient[2] };
            var column = new[] { imageOrientationPatient[3], imageOrientationPatient[4], imageOrientationPatient[5] };
            double rowLength = Math.Sqrt(Dot(row, row)), columnLength = Math.Sqrt(Dot(column, column));
            if (Math.Abs(rowLength - 1) > 1e-3 || Math.Abs(columnLength - 1) > 1e-3 || Math.Abs(Dot(row, column)) > 1e-3)
            {
                return null;
            }

            // Normalised, so that distances are millimetres even where the file rounds its cosines.
            for (int k = 0; k < 3; k++)
            {
                row[k] /= rowLength;
                column[k] /= columnLength;
            }

            return new ImagePlane(imagePositionPatient, row, column, pixelSpacing[0], pixelSpacing[1]);
        }

        /// <summary>Spacing between rows (mm), the first value of Pixel Spacing.</summary>
        public double RowSpacing => _rowSpacing;

        /// <summary>Spacing between columns (mm), the second value of Pixel Spacing.</summary>
        public double ColumnSpacing => _columnSpacing;

        /// <summary>The COCO pixel coordinates (x, y) of a patient point projected onto the plane.</summary>
        public (double X, double Y) ToPixel(double x, double y, double z)
        {
            double dx = x - _px, dy = y - _py, dz = z - _pz;
            double i = (dx * _rx + dy * _ry + dz * _rz) / _columnSpacing;
            double j = (dx * _cx + dy * _cy + dz * _cz) / _rowSpacing;
            return (i + 0.5, j + 0.5);
        }

        /// <summary>The signed distance (mm) of a patient point from the plane along the normal (row x column direction).</summary>
        public double DistanceFromPlane(double x, double y, double z) => (x - _px) * _nx + (y - _py) * _ny + (z - _pz) * _nz;

        /// <summary>True when the planes are parallel (normals within 1e-3 of each other, either sense).</summary>
        public bool IsParallelTo(ImagePlane other) =>
            Math.Abs(Math.Abs(_nx * other._nx + _ny * other._ny + _nz * other._nz) - 1) <= 1e-3;

        /// <summary>
        /// The largest distance (mm) from the plane of the points <c>x1,y1,z1,x2,...</c> (a trailing partial point is
        /// ignored); 0 for no points.
        /// </summary>
        public double MaxDistanceFromPlane(ReadOnlySpan<double> xyz)
        {
            double max = 0;
            for (int k = 0; k + 2 < xyz.Length; k += 3)
            {
                max = Math.Max(max, Math.Abs(DistanceFromPlane(xyz[k], xyz[k + 1], xyz[k + 2])));
            }

            return max;
        }

        /// <summary>The points <c>x1,y1,z1,...</c> as COCO pixel coordinates <c>x1,y1,x2,y2,...</c>.</summary>
        public double[] ToPixels(ReadOnlySpan<double> xyz)
        {
            var result = new double[xyz.Length / 3 * 2];
            for (int k = 0, o = 0; o < result.Length; k += 3, o += 2)
            {
                (result[o], result[o + 1]) = ToPixel(xyz[k], xyz[k + 1], xyz[k + 2]);
            }

            return result;
        }

        private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

        private static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);
    }
}
