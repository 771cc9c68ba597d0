using System;
using System.Buffers;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Pixels
{
    /// <summary>Which VOI window a grey-scale render uses.</summary>
    public enum WindowChoice
    {
        /// <summary>The file's window (the one at <see cref="RenderOptions.WindowIndex"/>), else the data's minimum to maximum.</summary>
        File,
        /// <summary>The window given in <see cref="RenderOptions.Center"/> and <see cref="RenderOptions.Width"/>.</summary>
        Explicit,
        /// <summary>The frame's minimum to maximum modality value.</summary>
        MinMax,
    }

    /// <summary>How a frame becomes displayable pixels.</summary>
    public sealed class RenderOptions
    {
        /// <summary>Which window.</summary>
        public WindowChoice Window { get; set; } = WindowChoice.File;

        /// <summary>0-based index of the file's window to use, when it has several.</summary>
        public int WindowIndex { get; set; }

        /// <summary>Window center, with <see cref="WindowChoice.Explicit"/>.</summary>
        public double Center { get; set; }

        /// <summary>Window width, with <see cref="WindowChoice.Explicit"/>.</summary>
        public double Width { get; set; }

        /// <summary>8 or 16 bits per grey sample in the output.</summary>
        public int BitDepth { get; set; } = 8;
    }

    /// <summary>A rendered frame: grey 8 or 16 bit, or RGB 8 bit, row by row.</summary>
    public sealed class RenderedFrame
    {
        internal RenderedFrame(int width, int height, bool color, int bitDepth, byte[]? bytes, ushort[]? words)
        {
            Width = width;
            Height = height;
            Color = color;
            BitDepth = bitDepth;
            Bytes = bytes;
            Words = words;
        }

        /// <summary>Columns.</summary>
        public int Width { get; }

        /// <summary>Rows.</summary>
        public int Height { get; }

        /// <summary>True for RGB.</summary>
        public bool Color { get; }

        /// <summary>8 or 16.</summary>
        public int BitDepth { get; }

        /// <summary>Grey 8-bit samples, or RGB triples.</summary>
        public byte[]? Bytes { get; }

        /// <summary>Grey 16-bit samples.</summary>
        public ushort[]? Words { get; }

        /// <summary>True when <see cref="Bytes"/> is rented (and may be longer than the frame).</summary>
        internal bool Pooled { get; set; }

        /// <summary>Gives rented bytes back; the frame must not be used after.</summary>
        internal void Release()
        {
            if (Pooled && Bytes != null)
            {
                Pooled = false;
                ArrayPool<byte>.Shared.Return(Bytes);
            }
        }
    }

    /// <summary>
    /// Turns stored samples into displayable pixels as DICOM PS3.3 defines: the Modality LUT (Rescale Slope and
    /// Intercept), then the VOI LUT function of the window (LINEAR by C.11.2.1.2.1, LINEAR_EXACT, SIGMOID), inverted
    /// for MONOCHROME1; colour (RGB, YBR_FULL, YBR_FULL_422, PALETTE COLOR) to RGB.
    /// </summary>
    public static class FrameRenderer
    {
        /// <summary>Renders one frame's samples (from <see cref="FrameDecoder"/>).</summary>
        public static RenderedFrame Render(DicomHeader header, PixelLayout layout, string photometric, uint[] samples, RenderOptions options) =>
            Render(header, layout, photometric, samples, options, pooled: false);

        /// <summary>As <see cref="Render(DicomHeader, PixelLayout, string, uint[], RenderOptions)"/>; with <paramref name="pooled"/> an 8-bit grey frame's bytes are rented (see <see cref="RenderedFrame.Release"/>).</summary>
        internal static RenderedFrame Render(DicomHeader header, PixelLayout layout, string photometric, uint[] samples, RenderOptions options, bool pooled)
        {
            switch (photometric)
            {
                case "MONOCHROME1":
                case "MONOCHROME2":
                    return RenderGrey(header, layout, photometric == "MONOCHROME1", samples, options, pooled);
                case "RGB":
                    return RenderColor(layout, samples, (a, b, c) => (a, b, c));
                case "YBR_FULL":
                case "YBR_FULL_422":
                    // Native YBR_FULL_422 stores each pixel's own Y with the pair's shared Cb Cr repeated, as decoders give it.
                    return RenderColor(layout, samples, YbrToRgb);
                case "PALETTE COLOR":
                    return RenderPalette(header, layout, samples);
                default:
                    throw new DicomException("DicomPixelUnsupported", $"the photometric interpretation {photometric} is not rendered.", header.SourcePath, 0);
            }
        }

        private static RenderedFrame RenderGrey(DicomHeader header, PixelLayout layout, bool invert, uint[] samples, RenderOptions options, bool pooled)
        {
            int count = layout.Rows * layout.Columns;
            if (layout.BitsAllocated == 1)
            {
                return RenderBits(layout, invert, samples, options, pooled);
            }

            double slope = header.RescaleSlope is double s && s != 0 ? s : 1;
            double intercept = header.RescaleIntercept ?? 0;

            // Stored values first: their range sizes the lookup table every pixel goes through.
            int lowest = int.MaxValue, highest = int.MinValue;
            for (int i = 0; i < count; i++)
            {
                int v = layout.Value(samples[i]);
                lowest = Math.Min(lowest, v);
                highest = Math.Max(highest, v);
            }

            double min = Math.Min((lowest * slope) + intercept, (highest * slope) + intercept);
            double max = Math.Max((lowest * slope) + intercept, (highest * slope) + intercept);
            double center, width;
            string function = (header.Dataset.GetString(Tags.VoiLutFunction) ?? "LINEAR").Trim().ToUpperInvariant();
            var centers = header.WindowCenter;
            var widths = header.WindowWidth;
            if (options.Window == WindowChoice.Explicit)
            {
                (center, width) = (options.Center, options.Width);
            }
            else if (options.Window == WindowChoice.File && centers != null && widths != null && centers.Length > 0 && widths.Length > 0)
            {
                int index = Math.Min(options.WindowIndex, Math.Min(centers.Length, widths.Length) - 1);
                (center, width) = (centers[index], widths[index]);
            }
            else
            {
                // The data's range, as dcmtk's min-max window (+Wm) takes it.
                (center, width) = ((min + max) / 2, max - min);
                function = "LINEAR_EXACT";
            }

            double top = options.BitDepth == 16 ? 65535 : 255;
            if (width <= 0 || double.IsNaN(width))
            {
                width = 1;
            }

            // One VOI evaluation per stored value in the frame's range (at most 2^20 of them), then a lookup per pixel.
            long range = (long)highest - lowest + 1;
            bool table = range <= 1 << 20;
            var levels = new ushort[table ? range : 0];
            ushort Level(int value)
            {
                double y = Voi((value * slope) + intercept, center, width, function, top);
                return (ushort)Math.Round(invert ? top - y : y, MidpointRounding.AwayFromZero);
            }

            for (int v = 0; v < levels.Length; v++)
            {
                levels[v] = Level(lowest + v);
            }

            bool rent = pooled && options.BitDepth != 16;
            var bytes = options.BitDepth == 16 ? null : rent ? ArrayPool<byte>.Shared.Rent(count) : new byte[count];
            var words = options.BitDepth == 16 ? new ushort[count] : null;
            for (int i = 0; i < count; i++)
            {
                int stored = layout.Value(samples[i]);
                ushort level = table ? levels[stored - lowest] : Level(stored);
                if (bytes != null)
                {
                    bytes[i] = (byte)level;
                }
                else
                {
                    words![i] = level;
                }
            }

            return new RenderedFrame(layout.Columns, layout.Rows, false, options.BitDepth, bytes, words) { Pooled = rent };
        }

        /// <summary>1-bit pixels (SEG frames, overlays stored as images): 0 black, 1 white, whatever the window says.</summary>
        private static RenderedFrame RenderBits(PixelLayout layout, bool invert, uint[] samples, RenderOptions options, bool pooled)
        {
            int count = layout.Rows * layout.Columns;
            uint on = invert ? 0u : 1u;
            if (options.BitDepth == 16)
            {
                var words = new ushort[count];
                for (int i = 0; i < count; i++)
                {
                    words[i] = samples[i] == on ? (ushort)65535 : (ushort)0;
                }

                return new RenderedFrame(layout.Columns, layout.Rows, false, 16, null, words);
            }

            var bytes = pooled ? ArrayPool<byte>.Shared.Rent(count) : new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = samples[i] == on ? (byte)255 : (byte)0;
            }

            return new RenderedFrame(layout.Columns, layout.Rows, false, 8, bytes, null) { Pooled = pooled };
        }

        /// <summary>The VOI LUT function of PS3.3 C.11.2.1.2, from 0 to <paramref name="top"/>.</summary>
        public static double Voi(double x, double center, double width, string function, double top)
        {
            switch (function)
            {
                case "SIGMOID":
                    return top / (1 + Math.Exp(-4 * (x - center) / width));
                case "LINEAR_EXACT":
                    if (x <= center - (width / 2))
                    {
                        return 0;
                    }

                    return x > center + (width / 2) ? top : (((x - center) / width) + 0.5) * top;
                default:
                    // LINEAR (C.11.2.1.2.1): width 1 is a threshold at the center.
                    if (width < 1)
                    {
                        width = 1;
                    }

                    if (x <= center - 0.5 - ((width - 1) / 2))
                    {
                        return 0;
                    }

                    if (x > center - 0.5 + ((width - 1) / 2))
                    {
                        return top;
                    }

                    return width == 1 ? top : ((((x - (center - 0.5)) / (width - 1)) + 0.5) * top);
            }
        }

        private static RenderedFrame RenderColor(PixelLayout layout, uint[] samples, Func<double, double, double, (double R, double G, double B)> toRgb)
        {
            int count = layout.Rows * layout.Columns;
            var rgb = new byte[count * 3];
            int shift = Math.Max(0, layout.BitsStored - 8);
            for (int i = 0; i < count; i++)
            {
                var (r, g, b) = toRgb(samples[i * 3] >> shift, samples[(i * 3) + 1] >> shift, samples[(i * 3) + 2] >> shift);
                rgb[i * 3] = Clamp(r);
                rgb[(i * 3) + 1] = Clamp(g);
                rgb[(i * 3) + 2] = Clamp(b);
            }

            return new RenderedFrame(layout.Columns, layout.Rows, true, 8, rgb, null);
        }

        /// <summary>YCbCr (full range) to RGB, PS3.3 C.7.6.3.1.2.</summary>
        private static (double R, double G, double B) YbrToRgb(double y, double cb, double cr) =>
            (y + (1.402 * (cr - 128)), y - (0.344136 * (cb - 128)) - (0.714136 * (cr - 128)), y + (1.772 * (cb - 128)));

        private static byte Clamp(double v) => (byte)Math.Max(0, Math.Min(255, Math.Round(v, MidpointRounding.AwayFromZero)));

        private static RenderedFrame RenderPalette(DicomHeader header, PixelLayout layout, uint[] samples)
        {
            var red = Lut(header, Tags.RedPaletteDescriptor, Tags.RedPaletteData, "Red");
            var green = Lut(header, Tags.GreenPaletteDescriptor, Tags.GreenPaletteData, "Green");
            var blue = Lut(header, Tags.BluePaletteDescriptor, Tags.BluePaletteData, "Blue");
            int count = layout.Rows * layout.Columns;
            var rgb = new byte[count * 3];
            for (int i = 0; i < count; i++)
            {
                int index = layout.Value(samples[i]);
                rgb[i * 3] = red.Lookup(index);
                rgb[(i * 3) + 1] = green.Lookup(index);
                rgb[(i * 3) + 2] = blue.Lookup(index);
            }

            return new RenderedFrame(layout.Columns, layout.Rows, true, 8, rgb, null);
        }

        private static PaletteLut Lut(DicomHeader header, DicomTag descriptorTag, DicomTag dataTag, string color)
        {
            var descriptor = header.Dataset[descriptorTag]?.Value;
            var data = header.Dataset[dataTag];
            if (descriptor == null || descriptor.Length < 6 || data?.Value == null)
            {
                throw new DicomException("DicomPixelUnsupported", $"PALETTE COLOR without a readable {color} Palette Color Lookup Table (segmented palettes are not supported).", header.SourcePath, 0);
            }

            bool big = data.BigEndian;
            int U16(byte[] b, int i) => big ? (b[i] << 8) | b[i + 1] : b[i] | (b[i + 1] << 8);
            int entries = U16(descriptor, 0);
            int first = U16(descriptor, 2);
            if (header.PixelData != null && descriptor.Length >= 6 && (short)U16(descriptor, 2) < 0 && header.PixelRepresentation == 1)
            {
                first = (short)U16(descriptor, 2);
            }

            int bits = U16(descriptor, 4);
            if (entries == 0)
            {
                entries = 65536;
            }

            var table = new byte[entries];
            var value = data.Value;
            bool eightBitPacked = bits == 8 && value.Length == entries;
            for (int i = 0; i < entries; i++)
            {
                int v = eightBitPacked ? value[i] : (2 * i) + 1 < value.Length ? U16(value, 2 * i) : 0;
                table[i] = (byte)(bits == 8 ? v & 0xFF : v >> 8);
            }

            return new PaletteLut(table, first);
        }

        private readonly struct PaletteLut
        {
            private readonly byte[] _table;
            private readonly int _first;

            public PaletteLut(byte[] table, int first)
            {
                _table = table;
                _first = first;
            }

            public byte Lookup(int index) => _table[Math.Max(0, Math.Min(_table.Length - 1, index - _first))];
        }
    }
}
