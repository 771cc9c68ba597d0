using System;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>DICOM's CIELab colours (Recommended Display CIELab Value, PS3.3 C.10.7.1.1) as sRGB.</summary>
    public static class CieLab
    {
        // D65: the white point dcmqi, highdicom and 3D Slicer convert display colours with, so the colours they wrote
        // into Recommended Display CIELab Value come back as the RGB they started from.
        private const double Xn = 0.950456, Yn = 1.0, Zn = 1.088754;

        /// <summary>
        /// The sRGB [r, g, b] (0-255) of a DICOM CIELab triple: L* = v0 x 100 / 65535, a* = v1 x 255 / 65535 - 128,
        /// b* = v2 x 255 / 65535 - 128; out-of-gamut values are clipped.
        /// </summary>
        public static int[] ToSrgb(int l, int a, int b)
        {
            double lStar = l * 100.0 / 65535, aStar = (a * 255.0 / 65535) - 128, bStar = (b * 255.0 / 65535) - 128;
            double fy = (lStar + 16) / 116, fx = fy + (aStar / 500), fz = fy - (bStar / 200);
            double x = Xn * Inverse(fx), y = Yn * Inverse(fy), z = Zn * Inverse(fz);
            double r = (3.2404542 * x) - (1.5371385 * y) - (0.4985314 * z);
            double g = (-0.9692660 * x) + (1.8760108 * y) + (0.0415560 * z);
            double bl = (0.0556434 * x) - (0.2040259 * y) + (1.0572252 * z);
            return new[] { Channel(r), Channel(g), Channel(bl) };
        }

        private static double Inverse(double t) => t > 6.0 / 29 ? t * t * t : 3 * (6.0 / 29) * (6.0 / 29) * (t - (4.0 / 29));

        private static int Channel(double linear)
        {
            linear = Math.Max(0, Math.Min(1, linear));
            double encoded = linear <= 0.0031308 ? 12.92 * linear : (1.055 * Math.Pow(linear, 1 / 2.4)) - 0.055;
            return (int)Math.Round(encoded * 255, MidpointRounding.AwayFromZero);
        }
    }
}
