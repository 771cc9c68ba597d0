using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomWeb;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Pixels;
using CocoTools.Engine.Tabular;
using CocoTools.Engine.Validation;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Operations.AnnotationRows;

namespace CocoTools.Fuzz
{
    /// <summary>
    /// The fuzz targets. Each takes any byte string and must end in a result or in the module's own exception
    /// (<see cref="CocoToolsException"/> or a subtype, which carries a kind): any other exception is a finding. Each
    /// also stays within <see cref="MemoryLimitBytes"/> of allocations per input (checked by <see cref="Run"/>), and
    /// must not hang (afl-fuzz's -t timeout; the replay test would hang too). The same code runs under afl-fuzz
    /// (fuzz/CocoTools.Fuzz) and in the replay test of every committed corpus file and crasher
    /// (tests/CocoTools.Engine.Tests/Fuzz).
    /// </summary>
    public static class FuzzTargets
    {
        /// <summary>The most bytes one input may make a target allocate (with <see cref="UseFuzzLimits"/> in force).</summary>
        public const long MemoryLimitBytes = 256L << 20;

        /// <summary>The targets by name.</summary>
        public static readonly IReadOnlyDictionary<string, Action<byte[]>> Targets = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
        {
            ["dicom"] = Dicom,
            ["coco-json"] = CocoJson,
            ["validator"] = Validator,
            ["csv"] = Csv,
            ["rle"] = RleCounts,
            ["polygon"] = Polygon,
            ["raster"] = Raster,
            ["dicomweb-multipart"] = DicomWebMultipart,
            ["dicomweb-metadata"] = DicomWebMetadata,
        };

        /// <summary>
        /// Limits low enough that a target's memory stays under <see cref="MemoryLimitBytes"/>: the image limit is what
        /// bounds every frame buffer, so fuzzing checks that it is applied before any buffer exists.
        /// </summary>
        public static void UseFuzzLimits()
        {
            InputLimits.MaxImagePixels = 1 << 22;
            InputLimits.MaxInflatedBytes = 64L << 20;
            InputLimits.MaxCsvFieldChars = 1 << 20;
        }

        /// <summary>Runs a target on one input; throws <see cref="FuzzContractException"/> when the contract is broken.</summary>
        public static void Run(string target, byte[] input)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                Targets[target](input);
            }
            catch (CocoToolsException)
            {
                // The contract: the module's own error, with a kind.
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > MemoryLimitBytes)
            {
                throw new FuzzContractException($"{target}: one input of {input.Length} bytes allocated {allocated >> 20} MiB, more than the stated {MemoryLimitBytes >> 20} MiB.");
            }
        }

        /// <summary>The DICOM reader (header and pixel data) and every pixel decoder, through rendering, for up to 4 frames.</summary>
        private static void Dicom(byte[] input)
        {
            var header = DicomReader.ReadHeader(new MemoryStream(input, writable: false), "fuzz.dcm", new DicomReadOptions { ReadPixelData = true });
            _ = header.ToString();
            _ = header.Dataset.ToDictionary();
            if (header.PixelData == null)
            {
                return;
            }

            var layout = PixelLayout.Of(header);
            var samples = new uint[layout.SamplesPerFrame];
            for (int frame = 0; frame < Math.Min(layout.Frames, 4); frame++)
            {
                string photometric = FrameDecoder.Decode(header, layout, frame, samples);
                var rendered = FrameRenderer.Render(header, layout, photometric, samples, new RenderOptions());
                ImageExporter.Save(rendered, Stream.Null);
            }
        }

        /// <summary>
        /// The WADO-RS multipart/related reader: the input's first line (up to 256 bytes) is the Content-Type header
        /// the server sent, the rest the body, so the fuzzer mutates boundaries and types as well as parts.
        /// </summary>
        private static void DicomWebMultipart(byte[] input)
        {
            int newline = Array.IndexOf(input, (byte)'\n', 0, Math.Min(input.Length, 256));
            string? contentType = newline < 0 ? null : Encoding.UTF8.GetString(input, 0, newline).TrimEnd('\r');
            var body = newline < 0 ? input : input.AsSpan(newline + 1).ToArray();
            foreach (var part in MultipartReader.Read(body, contentType, "http://127.0.0.1/fuzz"))
            {
                _ = MultipartReader.TransferSyntax(part.ContentType);
            }
        }

        /// <summary>The DICOM JSON (WADO-RS metadata, QIDO-RS results) reader, and every value of what it read.</summary>
        private static void DicomWebMetadata(byte[] input)
        {
            foreach (var item in DicomJsonReader.ReadArray(input, "http://127.0.0.1/fuzz"))
            {
                _ = item.Dataset.ToDictionary();
                _ = item.HasOtherBulkData;
            }
        }

        /// <summary>The COCO JSON reader, then the writer on what it read.</summary>
        private static void CocoJson(byte[] input)
        {
            var dataset = CocoJsonReader.Read(new MemoryStream(input, writable: false), null);
            CocoJsonWriter.Write(dataset, Stream.Null);
        }

        /// <summary>The validator (every rule that needs no file on disk).</summary>
        private static void Validator(byte[] input) =>
            CocoValidator.Validate(new MemoryStream(input, writable: false), null, new CocoValidationOptions());

        /// <summary>The CSV reader and the annotation row binder, into a dataset of two images.</summary>
        private static void Csv(byte[] input)
        {
            var dataset = new CocoDataset();
            dataset.Images.Add(new CocoImage { Id = 1, Width = 64, Height = 48, FileName = "a.png" });
            dataset.Images.Add(new CocoImage { Id = 2, Width = 512, Height = 512, FileName = "b.dcm" });
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
            using var reader = new CsvRecordReader(new StreamReader(new MemoryStream(input, writable: false), new UTF8Encoding(false)));
            var header = reader.Read();
            if (header == null)
            {
                return;
            }

            long row = 0;
            while (reader.ReadRecord())
            {
                try
                {
                    binder.Add(header, reader.Current, new RowLocation("fuzz.csv", ++row, reader.RecordLine));
                }
                catch (CocoToolsException)
                {
                    // A refused row: the batch goes on, as in Add-CocoAnnotation.
                }
            }

            foreach (var unused in binder.Complete())
            {
            }

            CocoJsonWriter.Write(dataset, Stream.Null);
        }

        /// <summary>Compressed RLE counts: 2 bytes height, 2 bytes width, then the counts text; decoded, measured, re-encoded.</summary>
        private static void RleCounts(byte[] input)
        {
            if (input.Length < 4)
            {
                return;
            }

            int height = input[0] | (input[1] << 8), width = input[2] | (input[3] << 8);
            string counts = Encoding.ASCII.GetString(input, 4, input.Length - 4);
            _ = Rle.CompressedStringProblem(counts);
            var rle = Rle.FromCompressedString(counts, height, width);
            _ = (rle.Area, rle.ToBbox(), rle.ToCompressedString());
            if ((long)height * width <= 1 << 20)
            {
                var mask = new byte[height * width];
                if (rle.TryDecode(mask))
                {
                    var again = Rle.Encode(mask, height, width);
                    if (again.Area != rle.Area)
                    {
                        throw new FuzzContractException($"rle: decoding and encoding again changed the area ({rle.Area} -> {again.Area}).");
                    }
                }
            }
        }

        /// <summary>Polygons: 2 bytes height, 2 bytes width, then coordinates as little-endian floats; rasterized as pycocotools does.</summary>
        private static void Polygon(byte[] input)
        {
            if (input.Length < 4)
            {
                return;
            }

            int height = input[0] | (input[1] << 8), width = input[2] | (input[3] << 8);
            var xy = new double[(input.Length - 4) / 4];
            for (int i = 0; i < xy.Length; i++)
            {
                xy[i] = BitConverter.ToSingle(input, 4 + (4 * i));
            }

            AnnotationGeometry.ValidatePolygons(new[] { xy }, 1);
            var rle = PolygonRasterizer.FromPolygon(xy, height, width);
            _ = (rle.Area, rle.ToBbox(), AnnotationGeometry.PolygonArea(new[] { xy }), AnnotationGeometry.PolygonBox(new[] { xy }));
        }

        /// <summary>What a scanned file is: DICOM by content, else a raster image by signature and header.</summary>
        private static void Raster(byte[] input)
        {
            if (DicomReader.LooksLikeDicom(input))
            {
                return;
            }

            var info = RasterHeader.Identify(new MemoryStream(input, writable: false), "fuzz.img");
            if (info.Width <= 0 || info.Height <= 0)
            {
                throw new FuzzContractException($"raster: identified a {info.Format} of {info.Width}x{info.Height}.");
            }
        }
    }

    /// <summary>A broken fuzz contract that is not an exception of the engine's own (too much memory, a wrong result).</summary>
    public sealed class FuzzContractException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public FuzzContractException(string message)
            : base(message)
        {
        }
    }
}
