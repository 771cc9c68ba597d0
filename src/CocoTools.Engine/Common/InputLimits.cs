using System;
using System.Globalization;

namespace CocoTools.Engine
{
    /// <summary>
    /// The safety limits every reader and writer applies to untrusted input, in one place. Each has a default that
    /// no real dataset reaches and can be raised (or lowered) for a whole session by an environment variable read
    /// when the module loads, named here; some cmdlets also take a parameter for one call (Export-CocoMask -MaxPixels).
    /// Going past a limit is a <see cref="CocoToolsException"/> of kind <see cref="FailureKind.LimitsExceeded"/> that
    /// names the file and the limit. about_CocoTools ("Limits and hostile input") lists them.
    /// </summary>
    public static class InputLimits
    {
        /// <summary>Pixels of one image or mask that is decoded or painted (width x height): 2^28 (16384 x 16384). <c>COCOTOOLS_MAX_IMAGE_PIXELS</c>.</summary>
        public static long MaxImagePixels { get; set; } = FromEnvironment("COCOTOOLS_MAX_IMAGE_PIXELS", 1L << 28, MaxArrayElements);

        /// <summary>Bytes a deflated DICOM data set may inflate to: 1 GiB. <c>COCOTOOLS_MAX_INFLATED_BYTES</c>.</summary>
        public static long MaxInflatedBytes { get; set; } = FromEnvironment("COCOTOOLS_MAX_INFLATED_BYTES", 1L << 30, long.MaxValue);

        /// <summary>Bytes of one JSON value (a string, or an object or array read whole): 1 GiB (fixed: a .NET array's limit is near).</summary>
        public static int MaxJsonValueBytes => 1 << 30;

        /// <summary>Nesting depth of JSON: 64 (fixed; COCO needs 4).</summary>
        public static int MaxJsonDepth => 64;

        /// <summary>Characters of one CSV field: 16 Mi. <c>COCOTOOLS_MAX_CSV_FIELD_CHARS</c>.</summary>
        public static int MaxCsvFieldChars { get; set; } = (int)FromEnvironment("COCOTOOLS_MAX_CSV_FIELD_CHARS", 1 << 24, int.MaxValue / 2);

        /// <summary>The most elements a .NET array may have (Array.MaxLength): the ceiling of any pixel limit.</summary>
        public const long MaxArrayElements = 0x7FFFFFC7;

        /// <summary>Throws LimitsExceeded when <paramref name="width"/> x <paramref name="height"/> is more than <paramref name="maxPixels"/>.</summary>
        public static void CheckPixels(long width, long height, long maxPixels, string what, string howToRaise)
        {
            long pixels = width * height;
            if (width > 0 && height > 0 && (pixels / width != height || pixels > maxPixels || pixels > MaxArrayElements))
            {
                throw new CocoToolsException("ImageTooLarge", FailureKind.LimitsExceeded, $"{what}: {width}x{height} is {width * (double)height:0} pixels, more than the limit of {Math.Min(maxPixels, MaxArrayElements)}; {howToRaise}.");
            }
        }

        private static long FromEnvironment(string name, long fallback, long ceiling)
        {
            string? text = Environment.GetEnvironmentVariable(name);
            return text != null && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 ? Math.Min(value, ceiling) : fallback;
        }
    }
}
