using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace CocoTools.Engine.Dicom
{
    /// <summary>One header read: the state of the byte order and VR encoding as they change (meta, CP-246 sequences).</summary>
    internal sealed partial class DicomParser : IDisposable
    {
        private const int MaxDepth = 64;

        private readonly string? _path;
        private readonly DicomReadOptions _options;
        private readonly List<string> _warnings = new List<string>();
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.Ordinal);
        private DicomByteSource _source;
        private bool _explicit;
        private int _depth;
        private DicomPixelDataInfo? _pixelData;
        private long _pixelBytesPresent = -1;
        private DicomTag? _lastTopLevelTag;
        private long _lastTopLevelEnd;

        public DicomParser(Stream stream, string? path, DicomReadOptions options)
        {
            _path = path;
            _options = options;
            _source = new DicomByteSource(stream);
        }

        public long Position => _source.Position;

        public void Dispose() => _source.Dispose();

        public DicomHeader Parse()
        {
            bool hasPreamble = false;
            DicomDataset? meta = null;
            DicomTransferSyntax? syntax = null;
            bool detected = false;

            _source.Ensure(132);
            var head = _source.Peek(132);
            if (head.Length < 8)
            {
                throw NotDicom($"the file has only {head.Length} bytes.");
            }

            if (head.Length >= 132 && DicomReader.IsDicm(head.Slice(128)))
            {
                hasPreamble = true;
                _source.Skip(132);
                meta = ReadMeta();
            }
            else if (DicomReader.IsDicm(head))
            {
                Warn("The file has no 128-byte preamble before \"DICM\".");
                _source.Skip(4);
                meta = ReadMeta();
            }
            else if (head[0] == 0x02 && head[1] == 0x00)
            {
                Warn("The file has no preamble and no \"DICM\" marker; it starts with the file meta group.");
                meta = ReadMeta();
            }

            if (meta?.GetString(DicomTag.TransferSyntaxUid) is string uid && uid.Length > 0)
            {
                syntax = DicomTransferSyntax.Lookup(uid);
                if (!syntax.IsKnown)
                {
                    Warn($"Transfer syntax {uid} is unknown; the data set is read as explicit VR little endian.");
                }
            }
            else
            {
                _source.Ensure(8);
                var first = _source.Peek(8);
                syntax = DetectRawEncoding(first)
                    ?? throw NotDicom(meta == null
                        ? "there is no \"DICM\" marker at byte 128 and the file does not start with a DICOM data set."
                        : "the file meta has no transfer syntax and the data set's encoding cannot be recognised.");
                detected = true;
                if (meta != null)
                {
                    Warn($"The file meta has no Transfer Syntax UID; the data set was recognised as {syntax.Name}.");
                }
            }

            _explicit = syntax.ExplicitVR;
            _source.BigEndian = syntax.BigEndian;
            long? deflatedFrom = null;
            if (syntax.Deflated)
            {
                // Everything after the meta is a raw deflate stream; offsets from here on count inflated bytes.
                long offset = _source.Position;
                deflatedFrom = offset;
                var rest = _source.RestAsStream();
                _source.Dispose();
                _source = new DicomByteSource(new InflateLimit(new DeflateStream(rest, CompressionMode.Decompress), InputLimits.MaxInflatedBytes, _path), offset);
            }

            var dataset = new DicomDataset(null);
            ReadElements(dataset, end: null, untilItemDelimitation: false, topLevel: true, context: "the data set");
            if (dataset.CharacterSet.Warning is string charsetWarning)
            {
                Warn(charsetWarning);
            }

            var header = new DicomHeader(_path, syntax, detected, hasPreamble, meta, dataset, _pixelData, _warnings) { DeflatedFrom = deflatedFrom };
            CheckPixelDataPresent(header);
            if (header.NumberOfFramesText is string frames && header.Dataset.GetInt(Tags.NumberOfFrames) is not int)
            {
                Warn($"Number of Frames is '{frames}', not a positive integer; taken as 1.");
            }

            return header;
        }

        private enum ElementResult
        {
            Element,
            Delimiter,
            PixelData,
        }

        /// <summary>Reads elements into <paramref name="dataset"/> up to <paramref name="end"/>, an item delimiter, the pixel data or the end of the file.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private void ReadElements(DicomDataset dataset, long? end, bool untilItemDelimitation, bool topLevel, string context)
        {
            while (true)
            {
                if (end is long limit && _source.Position >= limit)
                {
                    if (_source.Position > limit)
                    {
                        throw Corrupt($"an element of {context} runs {_source.Position - limit} bytes past the end of its item.");
                    }

                    return;
                }

                if (!_source.Ensure(8))
                {
                    int left = _source.Peek(8).Length;
                    if (topLevel)
                    {
                        if (left > 0)
                        {
                            Warn($"{left} byte(s) after the last element were ignored.");
                        }

                        return;
                    }

                    throw Truncated($"the file ends inside {context}.");
                }

                var result = ReadElement(dataset, topLevel, context);
                if (result == ElementResult.PixelData)
                {
                    return;
                }

                if (result == ElementResult.Delimiter)
                {
                    if (untilItemDelimitation)
                    {
                        return;
                    }

                    Warn($"An unexpected delimiter in {context} was skipped.");
                }
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private ElementResult ReadElement(DicomDataset dataset, bool topLevel, string context)
        {
            long tagOffset = _source.Position;
            var tag = new DicomTag(_source.ReadUInt16(), _source.ReadUInt16());
            if (tag.Group == 0xFFFE)
            {
                uint delimiterLength = _source.ReadUInt32();
                if (tag == DicomTag.ItemDelimitation || tag == DicomTag.SequenceDelimitation)
                {
                    return ElementResult.Delimiter;
                }

                throw Corrupt($"found {tag} at byte {tagOffset} in {context}, where an element was expected (length {delimiterLength}).");
            }

            var (vr, length) = ReadVRAndLength(tag, tagOffset);
            long valueOffset = _source.Position;
            bool isPixelData = topLevel && (tag == DicomTag.PixelData || tag == DicomTag.FloatPixelData || tag == DicomTag.DoubleFloatPixelData);
            if (isPixelData)
            {
                bool truncated = length != uint.MaxValue && length > _source.Remaining;
                _pixelBytesPresent = _source.Length == null ? -1 : _source.Remaining;
                if (truncated)
                {
                    Warn($"Pixel Data declares {length} bytes but only {_source.Remaining} remain: the pixels are truncated.");
                }

                _pixelData = new DicomPixelDataInfo(tag, vr, valueOffset, length == uint.MaxValue ? -1 : length, truncated);
                if (_options.ReadPixelData)
                {
                    ReadPixelValue(_pixelData, length);
                }

                return ElementResult.PixelData;
            }

            if (length == uint.MaxValue)
            {
                if (vr == DicomVR.SQ || vr == DicomVR.UN || tag == DicomTag.PixelData)
                {
                    // UN of undefined length is an implicit VR little endian sequence (CP-246); nested pixel data is encapsulated.
                    var sequence = new DicomElement(tag, vr == DicomVR.UN ? DicomVR.SQ : vr, valueOffset, -1, null, _source.BigEndian);
                    sequence.Items = ReadSequence(dataset, tag, -1, implicitLittleEndian: vr == DicomVR.UN, encapsulated: tag == DicomTag.PixelData);
                    AddElement(dataset, sequence, topLevel);
                    return ElementResult.Element;
                }

                throw Corrupt($"element {tag} {Name(tag)} at byte {tagOffset} has an undefined length, which only sequences may have (its VR is {vr}).");
            }

            if (vr == DicomVR.SQ)
            {
                var sequence = new DicomElement(tag, vr, valueOffset, length, null, _source.BigEndian);
                sequence.Items = ReadSequence(dataset, tag, length, implicitLittleEndian: false, encapsulated: false);
                AddElement(dataset, sequence, topLevel);
                return ElementResult.Element;
            }

            if (length > _source.Remaining)
            {
                throw Truncated($"element {tag} {Name(tag)} at byte {tagOffset} declares {length} bytes but only {_source.Remaining} remain: the file is truncated or corrupt.");
            }

            byte[]? value = null;
            if (length <= _options.MaxValueLength)
            {
                value = _source.ReadBytes((int)length);
            }
            else
            {
                _source.Skip(length);
            }

            if ((length & 1) == 1)
            {
                WarnOnce("odd", $"Element {tag} {Name(tag)} has an odd length ({length}).");
            }

            var element = new DicomElement(tag, vr, valueOffset, length, value, _source.BigEndian);
            AddElement(dataset, element, topLevel);
            if (tag == DicomTag.SpecificCharacterSet && value != null)
            {
                dataset.CharacterSet = DicomCharacterSet.Create(Encoding.ASCII.GetString(value).TrimEnd(' ', '\0'));
                if (dataset.CharacterSet.Warning is string w && !topLevel)
                {
                    Warn(w);
                }
            }

            return ElementResult.Element;
        }

        /// <summary>The VR and length of an element: from the file in explicit VR, from the dictionary in implicit VR.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private (DicomVR VR, uint Length) ReadVRAndLength(DicomTag tag, long tagOffset)
        {
            if (!_explicit)
            {
                uint implicitLength = _source.ReadUInt32();
                var entry = DicomDictionary.Lookup(tag);
                var vr = entry?.VR ?? DicomVR.UN;

                // An unknown element of undefined length can only be a sequence.
                return (vr == DicomVR.None ? DicomVR.UN : vr, implicitLength);
            }

            var (a, b) = _source.ReadTwoBytes();
            var explicitVR = new DicomVR(a, b);
            if (!explicitVR.IsWellFormed)
            {
                // As dcmtk: a VR that is not two letters is taken to have a 2-byte length.
                WarnOnce("vr", $"Non-standard VR bytes (0x{a:X2} 0x{b:X2}) at element {tag} (byte {tagOffset}); a 2-byte length was assumed, as dcmtk does.");
                return (DicomDictionary.Lookup(tag)?.VR ?? DicomVR.UN, _source.ReadUInt16());
            }

            if (explicitVR.HasLongLength || !explicitVR.IsKnown)
            {
                if (!explicitVR.IsKnown)
                {
                    // As dcmtk: an unknown two-letter VR is taken to have the 4-byte length of newer VRs.
                    WarnOnce("vr", $"Unknown VR '{explicitVR}' at element {tag} (byte {tagOffset}); a 4-byte length was assumed, as dcmtk does.");
                }

                _source.ReadUInt16();
                return (explicitVR.IsKnown ? explicitVR : DicomVR.UN, _source.ReadUInt32());
            }

            return (explicitVR, _source.ReadUInt16());
        }

        private void AddElement(DicomDataset dataset, DicomElement element, bool topLevel)
        {
            if (topLevel)
            {
                _lastTopLevelTag = element.Tag;
                _lastTopLevelEnd = _source.Position;
            }

            if (!dataset.Add(element) && topLevel)
            {
                Warn($"Element {element.Tag} {Name(element.Tag)} appears twice; the first was kept, as dcmtk does.");
            }
        }

        private static string Name(DicomTag tag) => tag.Keyword ?? (tag.IsPrivate ? "(private)" : "(unknown)");

        private void Warn(string message) => _warnings.Add(message);

        private void WarnOnce(string key, string message)
        {
            if (_warned.Add(key))
            {
                Warn(message);
            }
        }

        private DicomException NotDicom(string problem) => new DicomException("NotDicom", "not a DICOM file: " + problem, _path, _source.Position);

        private DicomException Truncated(string problem) => new DicomException("DicomTruncated", problem, _path, _source.Position);

        private DicomException Corrupt(string problem) => new DicomException("DicomCorrupt", "corrupt DICOM: " + problem, _path, _source.Position);
    }
}
