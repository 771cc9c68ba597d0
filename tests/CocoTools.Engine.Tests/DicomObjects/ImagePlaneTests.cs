using System;
using CocoTools.Engine.DicomObjects;
using Xunit;

namespace CocoTools.Engine.Tests.DicomObjects
{
    public class ImagePlaneTests
    {
        [Fact]
        public void A_point_maps_to_column_by_the_row_direction_and_column_spacing_and_to_row_by_the_column_direction_and_row_spacing()
        {
            // Rows run along +y, columns down -z; row spacing 2 mm, column spacing 0.5 mm (Pixel Spacing is row\column).
            var plane = ImagePlane.Create(new double[] { 10, 20, 30 }, new double[] { 0, 1, 0, 0, 0, -1 }, new double[] { 2, 0.5 }, 8, 6, 3)!;

            // 3 columns along the row (3 x 0.5 mm in y), 4 rows down the column (4 x 2 mm in -z).
            var (i, j) = plane.ToPixelIndex(10, 21.5, 22);
            var (x, y) = plane.ToCocoPoint(10, 21.5, 22);

            Assert.Equal(3, i, 12);
            Assert.Equal(4, j, 12);
            Assert.Equal((3.5, 4.5), (Math.Round(x, 12), Math.Round(y, 12)));
            Assert.Equal(0, plane.DistanceFromPlane(10, 21.5, 22), 12);
            Assert.Equal(1.25, plane.DistanceFromPlane(8.75, 21.5, 22), 12); // normal = row x column = (-1, 0, 0), so -x is the positive side
        }

        [Fact]
        public void The_centre_of_the_first_pixel_is_the_image_position_and_COCO_puts_it_at_half_a_pixel()
        {
            var plane = ImagePlane.Create(new double[] { -158.1, -179.0, -75.7 }, new double[] { 1, 0, 0, 0, 1, 0 }, new double[] { 0.66, 0.66 }, 128, 128, 5)!;

            Assert.Equal((0.5, 0.5), plane.ToCocoPoint(-158.1, -179.0, -75.7));
        }

        [Theory]
        [InlineData(30.0)]
        [InlineData(-47.5)]
        [InlineData(89.0)]
        public void Oblique_planes_map_patient_points_back_to_the_pixel_they_came_from(double degrees)
        {
            double a = degrees * Math.PI / 180, b = 0.3;
            // An orthonormal pair turned about z by a, then tilted about x by b.
            var row = new[] { Math.Cos(a), Math.Sin(a) * Math.Cos(b), Math.Sin(a) * Math.Sin(b) };
            var col = new[] { -Math.Sin(a), Math.Cos(a) * Math.Cos(b), Math.Cos(a) * Math.Sin(b) };
            var plane = ImagePlane.Create(new double[] { 5, -7, 11 }, new[] { row[0], row[1], row[2], col[0], col[1], col[2] }, new double[] { 0.7, 1.3 }, 64, 32, null)!;

            foreach (var (ci, rj) in new[] { (0.0, 0.0), (12.25, 3.5), (31.0, 63.0), (-2.0, 7.75) })
            {
                var (x, y, z) = plane.ToPatient(ci, rj);
                var (i, j) = plane.ToPixelIndex(x, y, z);
                Assert.Equal(ci, i, 9);
                Assert.Equal(rj, j, 9);
                Assert.Equal(0, plane.DistanceFromPlane(x, y, z), 9);
            }
        }

        [Fact]
        public void Missing_or_degenerate_geometry_makes_no_plane()
        {
            var ipp = new double[] { 0, 0, 0 };
            Assert.Null(ImagePlane.Create(null, new double[] { 1, 0, 0, 0, 1, 0 }, new double[] { 1, 1 }, 2, 2, null));
            Assert.Null(ImagePlane.Create(ipp, new double[] { 1, 0, 0, 1, 0, 0 }, new double[] { 1, 1 }, 2, 2, null)); // parallel directions
            Assert.Null(ImagePlane.Create(ipp, new double[] { 0, 0, 0, 0, 1, 0 }, new double[] { 1, 1 }, 2, 2, null)); // zero direction
            Assert.Null(ImagePlane.Create(ipp, new double[] { 1, 0, 0, 0, 1, 0 }, new double[] { 0, 1 }, 2, 2, null)); // zero spacing
            Assert.NotNull(ImagePlane.Create(ipp, new double[] { 2, 0, 0, 0, 3, 0 }, new double[] { 1, 1 }, 2, 2, null)); // normalised
        }
    }
}
