using System;
using CocoTools.Engine.DicomObjects;
using Xunit;

namespace CocoTools.Engine.Tests.DicomObjects
{
    public class ImagePlaneTests
    {
        [Fact]
        public void Image_position_is_the_centre_of_the_first_pixel()
        {
            // rt-utils' CT: IPP (-125, -125, 60), axial, 0.488281 mm pixels.
            var plane = ImagePlane.Create(new[] { -125.0, -125, 60 }, new[] { 1.0, 0, 0, 0, 1, 0 }, new[] { 0.488281, 0.488281 })!;
            Assert.Equal((0.5, 0.5), plane.ToPixel(-125, -125, 60));
            var (x, y) = plane.ToPixel(-51, -27, 60);
            Assert.Equal((74 / 0.488281) + 0.5, x, 12);
            Assert.Equal((98 / 0.488281) + 0.5, y, 12);
            Assert.Equal(5, plane.DistanceFromPlane(0, 0, 65), 12);
        }

        [Fact]
        public void Pixel_spacing_is_row_spacing_then_column_spacing()
        {
            // Rows 2 mm apart, columns 0.5 mm apart: 10 mm along the row direction is 20 columns, 10 mm down is 5 rows.
            var plane = ImagePlane.Create(new[] { 0.0, 0, 0 }, new[] { 1.0, 0, 0, 0, 1, 0 }, new[] { 2.0, 0.5 })!;
            Assert.Equal((20.5, 5.5), plane.ToPixel(10, 10, 0));
        }

        [Fact]
        public void Oblique_planes_map_every_point_back_to_its_pixel_and_distance()
        {
            var random = new Random(17);
            for (int trial = 0; trial < 500; trial++)
            {
                var (row, column) = RandomFrame(random);
                double[] normal = Cross(row, column);
                double[] ipp = { random.NextDouble() * 400 - 200, random.NextDouble() * 400 - 200, random.NextDouble() * 400 - 200 };
                double rowSpacing = 0.2 + random.NextDouble() * 3, columnSpacing = 0.2 + random.NextDouble() * 3;
                var plane = ImagePlane.Create(ipp, new[] { row[0], row[1], row[2], column[0], column[1], column[2] }, new[] { rowSpacing, columnSpacing })!;
                double i = random.NextDouble() * 512, j = random.NextDouble() * 512, d = random.NextDouble() * 10 - 5;
                double[] p = new double[3];
                for (int k = 0; k < 3; k++)
                {
                    p[k] = ipp[k] + (i * columnSpacing * row[k]) + (j * rowSpacing * column[k]) + (d * normal[k]);
                }

                var (x, y) = plane.ToPixel(p[0], p[1], p[2]);
                Assert.InRange(Math.Abs(x - (i + 0.5)), 0, 1e-8);
                Assert.InRange(Math.Abs(y - (j + 0.5)), 0, 1e-8);
                Assert.InRange(Math.Abs(d - plane.DistanceFromPlane(p[0], p[1], p[2])), 0, 1e-8);
            }
        }

        [Theory]
        [InlineData(new[] { 1.0, 0, 0, 0.5, 1, 0 }, new[] { 1.0, 1 })] // not orthogonal
        [InlineData(new[] { 2.0, 0, 0, 0, 1, 0 }, new[] { 1.0, 1 })] // not unit
        [InlineData(new[] { 1.0, 0, 0, 0, 1, 0 }, new[] { 0.0, 1 })] // zero spacing
        [InlineData(new[] { 1.0, 0, 0, 0, 1, double.NaN }, new[] { 1.0, 1 })]
        [InlineData(new[] { 1.0, 0, 0, 0, 1 }, new[] { 1.0, 1 })] // five cosines
        public void A_plane_that_is_not_one_is_refused(double[] orientation, double[] spacing) =>
            Assert.Null(ImagePlane.Create(new[] { 0.0, 0, 0 }, orientation, spacing));

        private static (double[] Row, double[] Column) RandomFrame(Random random)
        {
            double[] a = Normalize(new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5 });
            double[] b = new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5 };
            double dot = (a[0] * b[0]) + (a[1] * b[1]) + (a[2] * b[2]);
            for (int k = 0; k < 3; k++)
            {
                b[k] -= dot * a[k];
            }

            return (a, Normalize(b));
        }

        private static double[] Normalize(double[] v)
        {
            double n = Math.Sqrt((v[0] * v[0]) + (v[1] * v[1]) + (v[2] * v[2]));
            return new[] { v[0] / n, v[1] / n, v[2] / n };
        }

        private static double[] Cross(double[] a, double[] b) =>
            new[] { (a[1] * b[2]) - (a[2] * b[1]), (a[2] * b[0]) - (a[0] * b[2]), (a[0] * b[1]) - (a[1] * b[0]) };
    }
}
