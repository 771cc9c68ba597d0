using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Pixels;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CocoTools.Bench
{
    /// <summary>
    /// The two PNG writers of the module on the same masks (issue 20, "one PNG writer"): ImageSharp as Export-CocoMask
    /// calls it (PngEncoder defaults: adaptive filter, level 6) against PngWriter (Up filter, runtime zlib level 2), on the
    /// semantic (8-bit) and instance (16-bit) masks of the first images of a COCO file, painted in dataset order.
    /// </summary>
    internal static class MaskPngComparison
    {
        public static int Run(string path, int images)
        {
            var dataset = CocoJsonReader.ReadFile(path);
            var semantic = new List<(int W, int H, byte[] Pixels)>();
            var instance = new List<(int W, int H, ushort[] Pixels)>();
            foreach (var image in dataset.Images)
            {
                if (semantic.Count == images)
                {
                    break;
                }

                if (image.Width is not int w || image.Height is not int h)
                {
                    continue;
                }

                var grey = new byte[w * h];
                var words = new ushort[w * h];
                var row = new byte[w * h];
                ushort index = 0;
                foreach (var a in dataset.Annotations.ForImage(image.Id))
                {
                    index++;
                    if (AnnotationGeometry.ToRle(a, image, boxWhenNoSegmentation: true) is Rle rle && rle.TryDecodeRowMajor(row))
                    {
                        for (int i = 0; i < row.Length; i++)
                        {
                            if (row[i] != 0)
                            {
                                grey[i] = (byte)(a.CategoryId ?? 0);
                                words[i] = index;
                            }
                        }
                    }
                }

                semantic.Add((w, h, grey));
                instance.Add((w, h, words));
            }

            Console.WriteLine($"{semantic.Count} images; medians of 5 rounds, each writing every mask once to memory");
            Report("semantic 8-bit, ImageSharp (as Export-CocoMask)", semantic, m => EncodeImageSharp8(m.W, m.H, m.Pixels));
            Report("semantic 8-bit, PngWriter", semantic, m => EncodeOwn(new RenderedFrame(m.W, m.H, false, 8, m.Pixels, null)));
            Report("instance 16-bit, ImageSharp (as Export-CocoMask)", instance, m => EncodeImageSharp16(m.W, m.H, m.Pixels));
            Report("instance 16-bit, PngWriter", instance, m => EncodeOwn(new RenderedFrame(m.W, m.H, false, 16, null, m.Pixels)));
            return 0;
        }

        private static void Report<T>(string name, List<T> masks, Func<T, long> encode)
        {
            var times = new List<double>();
            long bytes = 0;
            for (int round = 0; round < 5; round++)
            {
                bytes = 0;
                var clock = Stopwatch.StartNew();
                foreach (var mask in masks)
                {
                    bytes += encode(mask);
                }

                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"RESULT\t{name}\t{times[2] / masks.Count:F3} ms a mask\t{bytes / (double)masks.Count / 1024:F2} KiB a mask");
        }

        private static long EncodeImageSharp8(int w, int h, byte[] pixels)
        {
            using var stream = new MemoryStream();
            using var image = Image.WrapMemory<L8>(pixels.AsMemory(), w, h);
            image.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit8, ColorType = PngColorType.Grayscale });
            return stream.Length;
        }

        private static long EncodeImageSharp16(int w, int h, ushort[] pixels)
        {
            using var stream = new MemoryStream();
            var grey = new L16[pixels.Length];
            for (int i = 0; i < grey.Length; i++)
            {
                grey[i] = new L16(pixels[i]);
            }

            using var image = Image.WrapMemory<L16>(grey.AsMemory(), w, h);
            image.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale });
            return stream.Length;
        }

        private static long EncodeOwn(RenderedFrame frame)
        {
            using var stream = new MemoryStream();
            PngWriter.Write(frame, stream);
            return stream.Length;
        }
    }
}
