using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CocoTools.Engine.Dicom;
using Xunit;

namespace CocoTools.Engine.Tests.Dicom
{
    /// <summary>
    /// Hostile input: every sample cut at every byte of its header (and at every element boundary beyond) and with
    /// random bytes flipped. Each read must end in a header or a <see cref="DicomException"/> (nothing else), and
    /// stay within time and memory bounds.
    /// </summary>
    public class DicomRobustnessTests
    {
        private const int HeaderBytes = 6144;

        [Theory]
        [MemberData(nameof(DicomSamples.All), MemberType = typeof(DicomSamples))]
        public void Truncated_at_every_boundary_the_reader_fails_cleanly(string file)
        {
            var bytes = File.ReadAllBytes(DicomSamples.PathOf(file));
            var cuts = new SortedSet<int>(Enumerable.Range(0, Math.Min(bytes.Length, HeaderBytes)));
            foreach (long boundary in ElementBoundaries(file))
            {
                cuts.Add((int)Math.Min(boundary, bytes.Length));
            }

            foreach (int cut in cuts)
            {
                AssertReadEndsCleanly(bytes.AsSpan(0, cut).ToArray(), $"{file} cut at {cut}");
            }
        }

        [Theory]
        [MemberData(nameof(DicomSamples.All), MemberType = typeof(DicomSamples))]
        public void With_random_bytes_flipped_the_reader_fails_cleanly(string file)
        {
            var original = File.ReadAllBytes(DicomSamples.PathOf(file));
            // The same variants on every run, so a failure can be reproduced: string.GetHashCode differs from
            // process to process, so the seed comes from the name's characters instead.
            var random = new Random(file.Aggregate(0x5eed, (hash, c) => unchecked((hash * 31) + c)));
            int span = Math.Min(original.Length, HeaderBytes);
            for (int variant = 0; variant < 300; variant++)
            {
                var bytes = (byte[])original.Clone();
                int flips = random.Next(1, 9);
                for (int f = 0; f < flips; f++)
                {
                    bytes[random.Next(span)] = (byte)random.Next(256);
                }

                AssertReadEndsCleanly(bytes, $"{file} variant {variant}");
            }
        }

        [Fact]
        public void A_declared_gigabyte_value_is_refused_without_allocating_it()
        {
            // Explicit VR LE raw data set: (0008,0016) UI with a 4-byte length via OB: a 1 GiB OB value in a 100-byte file.
            var bytes = new List<byte> { 0x08, 0x00, 0x16, 0x00, (byte)'O', (byte)'B', 0, 0 };
            bytes.AddRange(BitConverter.GetBytes(1u << 30));
            bytes.AddRange(new byte[88]);
            long before = GC.GetAllocatedBytesForCurrentThread();

            var e = Assert.Throws<DicomException>(() => DicomReader.ReadHeader(new MemoryStream(bytes.ToArray()), "big.dcm"));

            Assert.Equal("DicomTruncated", e.ErrorId);
            Assert.Contains("declares 1073741824 bytes", e.Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        }

        [Fact]
        public void A_header_read_never_reads_the_pixels_so_memory_does_not_grow_with_them()
        {
            using var dir = new Support.TempDir();
            string path = dir.File("big.dcm");
            using (var f = File.Create(path))
            {
                f.Write(new byte[128]);
                f.Write("DICM"u8);
                var uid = System.Text.Encoding.ASCII.GetBytes("1.2.840.10008.1.2.1\0");
                f.Write(new byte[] { 0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', (byte)uid.Length, 0 });
                f.Write(uid);
                f.Write(new byte[] { 0x28, 0x00, 0x10, 0x00, (byte)'U', (byte)'S', 2, 0, 0x00, 0x10 });
                f.Write(new byte[] { 0x28, 0x00, 0x11, 0x00, (byte)'U', (byte)'S', 2, 0, 0x00, 0x08 });
                f.Write(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W', 0, 0 });
                f.Write(BitConverter.GetBytes(64u << 20));
                f.SetLength(f.Position + (64L << 20));
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            var header = DicomReader.ReadHeader(path);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal((4096, 2048), (header.Rows, header.Columns));
            Assert.Equal(64L << 20, header.PixelData!.Length);
            Assert.True(allocated < 2 << 20, $"allocated {allocated >> 10} KiB for a header over 64 MiB of pixels");
        }

        [Fact]
        public void Sequences_nested_past_64_levels_are_refused()
        {
            // Implicit VR LE: 100 nested undefined-length private sequences.
            var bytes = new List<byte>();
            bytes.AddRange(new byte[] { 0x08, 0x00, 0x60, 0x00, 2, 0, 0, 0, (byte)'C', (byte)'T' });
            for (int i = 0; i < 100; i++)
            {
                bytes.AddRange(new byte[] { 0x09, 0x00, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF });
            }

            var e = Assert.Throws<DicomException>(() => DicomReader.ReadHeader(new MemoryStream(bytes.ToArray()), "deep.dcm"));

            Assert.Equal("DicomCorrupt", e.ErrorId);
            Assert.Contains("deeper than 64", e.Message);
        }

        private static void AssertReadEndsCleanly(byte[] bytes, string what)
        {
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var header = DicomReader.ReadHeader(new MemoryStream(bytes), what);
                Touch(header);
            }
            catch (DicomException)
            {
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }

            Assert.True(clock.ElapsedMilliseconds < 2000, $"{what}: took {clock.ElapsedMilliseconds} ms");
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (4L * bytes.Length) + (8 << 20), $"{what}: allocated {allocated >> 10} KiB");
        }

        /// <summary>Evaluates everything a caller may ask of a header, so lazy decoding is covered too.</summary>
        private static void Touch(DicomHeader h)
        {
            _ = (h.Rows, h.Columns, h.Frames, h.BitsAllocated, h.BitsStored, h.HighBit, h.PixelRepresentation, h.SamplesPerPixel, h.PlanarConfiguration);
            _ = (h.PhotometricInterpretation, h.Modality, h.StudyInstanceUid, h.SeriesInstanceUid, h.SopInstanceUid, h.SopClassUid);
            _ = (h.PixelSpacing, h.WindowCenter, h.WindowWidth, h.RescaleSlope, h.RescaleIntercept, h.DateCaptured, h.ToString());
            _ = h.Dataset.ToDictionary();
        }

        /// <summary>Offsets where top-level elements start, from a read of the intact file.</summary>
        private static IEnumerable<long> ElementBoundaries(string file)
        {
            try
            {
                var header = DicomReader.ReadHeader(DicomSamples.PathOf(file));
                return header.Dataset.Elements.Select(e => e.ValueOffset).Concat(header.Dataset.Elements.Where(e => e.ValueLength > 0).Select(e => e.ValueOffset + e.ValueLength)).ToList();
            }
            catch (DicomException)
            {
                return Array.Empty<long>();
            }
        }
    }
}
