using System;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Pixels
{
    /// <summary>How a DICOM image's samples are stored (Image Pixel module, PS3.3 C.7.6.3), checked once.</summary>
    public sealed class PixelLayout
    {
        private PixelLayout()
        {
        }

        /// <summary>Rows.</summary>
        public int Rows { get; private set; }

        /// <summary>Columns.</summary>
        public int Columns { get; private set; }

        /// <summary>Samples per pixel: 1 (grey, palette) or 3 (colour).</summary>
        public int SamplesPerPixel { get; private set; }

        /// <summary>Bits allocated per sample: 8, 16 or 32.</summary>
        public int BitsAllocated { get; private set; }

        /// <summary>Bits stored per sample.</summary>
        public int BitsStored { get; private set; }

        /// <summary>The most significant stored bit.</summary>
        public int HighBit { get; private set; }

        /// <summary>True for two's complement samples.</summary>
        public bool Signed { get; private set; }

        /// <summary>True when colour samples are stored plane by plane (RRR...GGG...BBB) rather than pixel by pixel.</summary>
        public bool Planar { get; private set; }

        /// <summary>MONOCHROME1, MONOCHROME2, RGB, YBR_FULL, YBR_FULL_422, PALETTE COLOR ...</summary>
        public string Photometric { get; private set; } = string.Empty;

        /// <summary>Frames.</summary>
        public int Frames { get; private set; }

        /// <summary>Samples in one frame.</summary>
        public int SamplesPerFrame => Rows * Columns * SamplesPerPixel;

        /// <summary>Bytes of one native frame (for 1-bit data, the bytes its bits span when it starts on a byte).</summary>
        public long FrameBytes => BitsAllocated == 1 ? (SamplesPerFrame + 7L) / 8 : (long)SamplesPerFrame * (BitsAllocated / 8);

        /// <summary>
        /// Bits of one native frame. With Bits Allocated 1 frames follow each other bit for bit (PS3.5 8.1.1): frame k
        /// starts at bit k x this, not on a byte boundary unless Rows x Columns is a multiple of 8.
        /// </summary>
        public long FrameBits => (long)SamplesPerFrame * BitsAllocated;

        /// <summary>The layout of a header's image; a DicomException naming what is missing or not supported.</summary>
        public static PixelLayout Of(DicomHeader header)
        {
            string? path = header.SourcePath;
            int Required(int? value, string name) => value is int v && v > 0 ? v : throw new DicomException("DicomPixelUnsupported", $"{name} is {(value == null ? "missing" : value.ToString())}; the pixels cannot be read without it.", path, 0);
            var layout = new PixelLayout
            {
                Rows = Required(header.Rows, "Rows"),
                Columns = Required(header.Columns, "Columns"),
                SamplesPerPixel = header.SamplesPerPixel ?? 1,
                BitsAllocated = Required(header.BitsAllocated, "Bits Allocated"),
                Photometric = (header.PhotometricInterpretation ?? "MONOCHROME2").Trim().ToUpperInvariant(),
                Signed = header.PixelRepresentation == 1,
                Planar = header.PlanarConfiguration == 1,
                Frames = header.Frames,
            };
            layout.BitsStored = header.BitsStored is int stored && stored > 0 && stored <= layout.BitsAllocated ? stored : layout.BitsAllocated;
            layout.HighBit = header.HighBit is int high && high >= layout.BitsStored - 1 && high < layout.BitsAllocated ? high : layout.BitsStored - 1;
            if (layout.BitsAllocated == 1 ? layout.SamplesPerPixel != 1 : layout.BitsAllocated != 8 && layout.BitsAllocated != 16 && layout.BitsAllocated != 32)
            {
                throw new DicomException("DicomPixelUnsupported", $"Bits Allocated {layout.BitsAllocated} is not supported (1 for single-sample images such as SEG, 8, 16 and 32 are).", path, 0);
            }

            if (layout.SamplesPerPixel != 1 && layout.SamplesPerPixel != 3)
            {
                throw new DicomException("DicomPixelUnsupported", $"Samples per Pixel {layout.SamplesPerPixel} is not supported (1 and 3 are).", path, 0);
            }

            try
            {
                InputLimits.CheckPixels(layout.Columns, layout.Rows, Math.Min(InputLimits.MaxImagePixels, (1L << 30) / layout.SamplesPerPixel), path ?? "<stream>", "raise the limit with COCOTOOLS_MAX_IMAGE_PIXELS if the image is real");
            }
            catch (CocoToolsException e)
            {
                throw new CocoToolsException(e.ErrorId, e.Kind, e.Message) { SourcePath = path, Target = path };
            }

            return layout;
        }

        /// <summary>
        /// A stored sample as its value: the stored bits (BitsStored ending at HighBit), sign-extended when signed.
        /// </summary>
        public int Value(uint raw)
        {
            int shift = HighBit + 1 - BitsStored;
            uint bits = (raw >> shift) & (BitsStored == 32 ? uint.MaxValue : (1u << BitsStored) - 1);
            if (Signed && BitsStored < 32 && (bits & (1u << (BitsStored - 1))) != 0)
            {
                return (int)(bits | ~((1u << BitsStored) - 1));
            }

            return unchecked((int)bits);
        }
    }
}
