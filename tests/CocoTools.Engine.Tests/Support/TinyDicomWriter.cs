using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace CocoTools.Engine.Tests.Support
{
    /// <summary>
    /// Writes small Explicit VR Little Endian Part 10 files for tests: text, numbers and nested sequences (undefined
    /// length), elements sorted by tag. Enough to build RTSTRUCT, SR and image headers that pydicom and dcmtk read.
    /// </summary>
    internal sealed class TinyDicom
    {
        private readonly SortedDictionary<uint, (string VR, byte[]? Value, List<TinyDicom>? Items)> _elements = new SortedDictionary<uint, (string, byte[]?, List<TinyDicom>?)>();

        public TinyDicom Text(ushort group, ushort element, string vr, string value)
        {
            var bytes = Encoding.ASCII.GetBytes(value);
            if (bytes.Length % 2 == 1)
            {
                bytes = bytes.Concat(new[] { vr == "UI" ? (byte)0 : (byte)' ' }).ToArray();
            }

            _elements[Key(group, element)] = (vr, bytes, null);
            return this;
        }

        /// <summary>DS or IS values, each written in at most 16 characters.</summary>
        public TinyDicom Numbers(ushort group, ushort element, string vr, params double[] values) =>
            Text(group, element, vr, string.Join("\\", values.Select(Format)));

        public TinyDicom UShort(ushort group, ushort element, params ushort[] values)
        {
            _elements[Key(group, element)] = ("US", values.SelectMany(BitConverter.GetBytes).ToArray(), null);
            return this;
        }

        public TinyDicom ULong(ushort group, ushort element, params uint[] values)
        {
            _elements[Key(group, element)] = ("UL", values.SelectMany(BitConverter.GetBytes).ToArray(), null);
            return this;
        }

        public TinyDicom FloatDouble(ushort group, ushort element, params double[] values)
        {
            _elements[Key(group, element)] = ("FD", values.SelectMany(BitConverter.GetBytes).ToArray(), null);
            return this;
        }

        public TinyDicom Float(ushort group, ushort element, params float[] values)
        {
            _elements[Key(group, element)] = ("FL", values.SelectMany(BitConverter.GetBytes).ToArray(), null);
            return this;
        }

        public TinyDicom Sequence(ushort group, ushort element, params TinyDicom[] items)
        {
            _elements[Key(group, element)] = ("SQ", null, items.ToList());
            return this;
        }

        public TinyDicom Remove(ushort group, ushort element)
        {
            _elements.Remove(Key(group, element));
            return this;
        }

        /// <summary>A code sequence item (Code Value, Coding Scheme Designator, Code Meaning).</summary>
        public static TinyDicom Code(string value, string scheme, string meaning) =>
            new TinyDicom().Text(0x0008, 0x0100, "SH", value).Text(0x0008, 0x0102, "SH", scheme).Text(0x0008, 0x0104, "LO", meaning);

        /// <summary>The Part 10 file: preamble, DICM, meta (Explicit VR Little Endian), then the data set.</summary>
        public byte[] ToFile()
        {
            string sopClass = Encoding.ASCII.GetString(_elements[Key(0x0008, 0x0016)].Value!).TrimEnd('\0');
            string sopInstance = Encoding.ASCII.GetString(_elements[Key(0x0008, 0x0018)].Value!).TrimEnd('\0');
            var meta = new TinyDicom()
                .Text(0x0002, 0x0002, "UI", sopClass)
                .Text(0x0002, 0x0003, "UI", sopInstance)
                .Text(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
            meta._elements[Key(0x0002, 0x0001)] = ("OB", new byte[] { 0, 1 }, null);
            var metaBytes = meta.Body();
            var output = new MemoryStream();
            output.Write(new byte[128], 0, 128);
            output.Write(Encoding.ASCII.GetBytes("DICM"), 0, 4);
            var groupLength = new TinyDicom().ULong(0x0002, 0x0000, (uint)metaBytes.Length).Body();
            output.Write(groupLength, 0, groupLength.Length);
            output.Write(metaBytes, 0, metaBytes.Length);
            var body = Body();
            output.Write(body, 0, body.Length);
            return output.ToArray();
        }

        public string Save(string path)
        {
            File.WriteAllBytes(path, ToFile());
            return path;
        }

        private byte[] Body()
        {
            var output = new MemoryStream();
            var w = new BinaryWriter(output);
            foreach (var (key, (vr, value, items)) in _elements)
            {
                w.Write((ushort)(key >> 16));
                w.Write((ushort)key);
                w.Write(Encoding.ASCII.GetBytes(vr));
                bool longForm = vr == "OB" || vr == "OW" || vr == "SQ" || vr == "UN" || vr == "UT" || vr == "UC" || vr == "UR";
                if (items != null)
                {
                    w.Write((ushort)0);
                    w.Write(0xFFFFFFFFu);
                    foreach (var item in items)
                    {
                        w.Write((ushort)0xFFFE);
                        w.Write((ushort)0xE000);
                        w.Write(0xFFFFFFFFu);
                        w.Write(item.Body());
                        w.Write((ushort)0xFFFE);
                        w.Write((ushort)0xE00D);
                        w.Write(0u);
                    }

                    w.Write((ushort)0xFFFE);
                    w.Write((ushort)0xE0DD);
                    w.Write(0u);
                    continue;
                }

                if (longForm)
                {
                    w.Write((ushort)0);
                    w.Write((uint)value!.Length);
                }
                else
                {
                    w.Write((ushort)value!.Length);
                }

                w.Write(value);
            }

            w.Flush();
            return output.ToArray();
        }

        private static uint Key(ushort group, ushort element) => ((uint)group << 16) | element;

        private static string Format(double v)
        {
            foreach (var format in new[] { "R", "G15", "G14", "G13", "G12", "G10", "G8" })
            {
                string s = v.ToString(format, CultureInfo.InvariantCulture);
                if (s.Length <= 16)
                {
                    return s;
                }
            }

            return v.ToString("G6", CultureInfo.InvariantCulture);
        }
    }
}
