using System;
using System.Collections.Generic;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>
    /// Circles and ellipses as polygons COCO can carry. Vertices are spaced evenly in the ellipse's parameter (so
    /// the polygon is the affine image of a regular polygon inscribed in a circle), enough of them that no edge strays
    /// more than 0.05 px from the curve and never fewer than 64 (area within 0.17% of the exact ellipse); the four
    /// points where x and y are extreme are added as vertices, so the polygon's box is the exact shape's box.
    /// </summary>
    public static class RegionShapes
    {
        private const int MinVertices = 64;
        private const int MaxVertices = 4096;
        private const double MaxSagitta = 0.05;

        /// <summary>
        /// The polygon of a circle given by its centre and a point on its perimeter (SR CIRCLE); null when the radius
        /// is zero.
        /// </summary>
        public static double[]? Circle(double centerX, double centerY, double perimeterX, double perimeterY)
        {
            double r = Math.Sqrt((perimeterX - centerX) * (perimeterX - centerX) + (perimeterY - centerY) * (perimeterY - centerY));
            return Ellipse(centerX, centerY, r, 0, 0, r);
        }

        /// <summary>
        /// The polygon of an ellipse given by the end points of its major axis (a1, a2) and of its minor axis (b1, b2)
        /// (SR ELLIPSE, in pixel coordinates); null when an axis has zero length or the axes do not share a centre
        /// (within 0.5 px plus 1% of the major axis).
        /// </summary>
        public static double[]? EllipseFromAxes(double a1X, double a1Y, double a2X, double a2Y, double b1X, double b1Y, double b2X, double b2Y)
        {
            double cx = (a1X + a2X) / 2, cy = (a1Y + a2Y) / 2;
            double mx = (b1X + b2X) / 2, my = (b1Y + b2Y) / 2;
            double major = Math.Sqrt((a2X - a1X) * (a2X - a1X) + (a2Y - a1Y) * (a2Y - a1Y));
            if (Math.Sqrt((mx - cx) * (mx - cx) + (my - cy) * (my - cy)) > 0.5 + 0.01 * major)
            {
                return null;
            }

            return Ellipse(cx, cy, (a2X - a1X) / 2, (a2Y - a1Y) / 2, (b2X - b1X) / 2, (b2Y - b1Y) / 2);
        }

        /// <summary>
        /// The polygon of the ellipse c + p cos t + q sin t (p, q conjugate semi-diameters: two semi-axes, or their image
        /// under an affine map such as patient -> pixel); null when p and q are parallel or zero.
        /// </summary>
        public static double[]? Ellipse(double centerX, double centerY, double px, double py, double qx, double qy)
        {
            double pp = px * px + py * py, qq = qx * qx + qy * qy, pq = px * qx + py * qy;
            double semiMajor = Math.Sqrt((pp + qq) / 2 + Math.Sqrt((pp - qq) * (pp - qq) / 4 + pq * pq));
            if (!(Math.Abs(px * qy - py * qx) > 1e-9 * Math.Max(1, semiMajor * semiMajor)))
            {
                return null;
            }

            // Between parameters t and t + dt the chord's midpoint lies (1 - cos(dt/2)) |p cos t' + q sin t'| from the
            // curve's point at the mid parameter t', at most (1 - cos(pi/n)) times the semi-major axis.
            int n = MinVertices;
            if (semiMajor > MaxSagitta)
            {
                double needed = Math.PI / Math.Acos(1 - MaxSagitta / semiMajor);
                n = (int)Math.Min(MaxVertices, Math.Max(MinVertices, Math.Ceiling(needed)));
            }

            var angles = new List<double>(n + 4);
            for (int k = 0; k < n; k++)
            {
                angles.Add(2 * Math.PI * k / n);
            }

            // x(t) = cx + px cos t + qx sin t is extreme where tan t = qx / px; likewise y.
            AddBoth(angles, Math.Atan2(qx, px));
            AddBoth(angles, Math.Atan2(qy, py));
            angles.Sort();

            var xy = new List<double>(2 * angles.Count);
            double last = double.NaN;
            foreach (double t in angles)
            {
                if (t - last < 1e-12)
                {
                    continue;
                }

                last = t;
                double c = Math.Cos(t), s = Math.Sin(t);
                xy.Add(centerX + px * c + qx * s);
                xy.Add(centerY + py * c + qy * s);
            }

            return xy.ToArray();
        }

        private static void AddBoth(List<double> angles, double t)
        {
            angles.Add(Normalize(t));
            angles.Add(Normalize(t + Math.PI));
        }

        private static double Normalize(double t)
        {
            double twoPi = 2 * Math.PI;
            t %= twoPi;
            return t < 0 ? t + twoPi : t >= twoPi ? t - twoPi : t;
        }
    }
}
