using System;
using System.Linq;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Masks;
using Xunit;

namespace CocoTools.Engine.Tests.DicomObjects
{
    public class RegionShapesTests
    {
        [Fact]
        public void Ellipses_of_every_size_and_angle_keep_area_within_half_a_percent_and_the_exact_box()
        {
            var random = new Random(1500);
            for (int trial = 0; trial < 2000; trial++)
            {
                double a = Math.Exp((random.NextDouble() * 9) - 1.5); // 0.2 .. 1800 px
                double b = a * (0.05 + (random.NextDouble() * 0.95));
                double angle = random.NextDouble() * 2 * Math.PI;
                double cx = random.NextDouble() * 1000, cy = random.NextDouble() * 1000;
                double ux = Math.Cos(angle), uy = Math.Sin(angle);
                var polygon = RegionShapes.EllipseFromAxes(cx - (a * ux), cy - (a * uy), cx + (a * ux), cy + (a * uy), cx + (b * uy), cy - (b * ux), cx - (b * uy), cy + (b * ux))!;
                AssertShape(polygon, Math.PI * a * b, cx, cy, Math.Sqrt((a * a * ux * ux) + (b * b * uy * uy)), Math.Sqrt((a * a * uy * uy) + (b * b * ux * ux)));
            }
        }

        [Fact]
        public void Conjugate_semi_diameters_give_the_same_ellipse_as_its_axes()
        {
            // An anisotropic pixel grid maps a circle in mm to an ellipse whose images of two radii are not perpendicular.
            double px = 20, py = 5, qx = -3, qy = 12;
            var polygon = RegionShapes.Ellipse(100, 80, px, py, qx, qy)!;
            AssertShape(polygon, Math.PI * Math.Abs((px * qy) - (py * qx)), 100, 80, Math.Sqrt((px * px) + (qx * qx)), Math.Sqrt((py * py) + (qy * qy)));
        }

        [Fact]
        public void The_highdicom_circle_is_a_polygon_of_radius_eleven()
        {
            // highdicom_sr_document.dcm: CIRCLE 58\52\58\41 (centre, perimeter point).
            var polygon = RegionShapes.Circle(58, 52, 58, 41)!;
            AssertShape(polygon, Math.PI * 121, 58, 52, 11, 11);
            Assert.True(polygon.Length / 2 >= 64);
        }

        [Fact]
        public void Degenerate_shapes_give_null()
        {
            Assert.Null(RegionShapes.Circle(5, 5, 5, 5));
            Assert.Null(RegionShapes.EllipseFromAxes(0, 0, 10, 0, 5, 0, 5, 0)); // minor axis of zero length
            Assert.Null(RegionShapes.EllipseFromAxes(0, 0, 10, 0, 20, -2, 20, 2)); // axes that do not share a centre
            Assert.Null(RegionShapes.Ellipse(0, 0, 1, 1, 2, 2)); // parallel semi-diameters
        }

        private static void AssertShape(double[] polygon, double exactArea, double cx, double cy, double halfWidth, double halfHeight)
        {
            double area = AnnotationGeometry.PolygonArea(new[] { polygon });
            Assert.InRange(Math.Abs(area - exactArea) / exactArea, 0, 0.005);
            var xs = polygon.Where((_, i) => i % 2 == 0).ToArray();
            var ys = polygon.Where((_, i) => i % 2 == 1).ToArray();
            Assert.InRange(Math.Abs(xs.Min() - (cx - halfWidth)), 0, 0.01);
            Assert.InRange(Math.Abs(xs.Max() - (cx + halfWidth)), 0, 0.01);
            Assert.InRange(Math.Abs(ys.Min() - (cy - halfHeight)), 0, 0.01);
            Assert.InRange(Math.Abs(ys.Max() - (cy + halfHeight)), 0, 0.01);
        }
    }
}
