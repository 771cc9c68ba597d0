using System;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// One component of a lossy JPEG frame as the decoder fills it: sampling factors and tables from the frame and scan
    /// headers, its block grid, the decoded plane (from <see cref="JpegPlanePool"/>) and the running DC prediction.
    /// </summary>
    internal sealed class JpegComponent
    {
        public int Id;
        public int H;
        public int V;
        public int QuantTable;
        public int[]? Quant;
        public int WidthInBlocks;
        public int HeightInBlocks;
        public int DownsampledWidth;
        public int DownsampledHeight;
        public int Stride;
        public short[] Plane = Array.Empty<short>();
        public JpegHuffmanTable? Dc;
        public JpegHuffmanTable? Ac;
        public int Prediction;
        public bool Scanned;
    }
}
