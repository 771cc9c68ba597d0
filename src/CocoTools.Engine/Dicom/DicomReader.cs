using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace CocoTools.Engine.Dicom
{
    /// <summary>What a DICOM read keeps.</summary>
    public sealed class DicomReadOptions
    {
        /// <summary>Values longer than this are skipped, not loaded (their offset and length are kept). Default 1 MiB.</summary>
        public int MaxValueLength { get; set; } = 1 << 20;

        /// <summary>Also read the pixel data (native value, or the fragments of encapsulated data); a header read never does.</summary>
        public bool ReadPixelData { get; set; }
    }

    /// <summary>
    /// Reads DICOM Part 10 files and raw data sets up to the pixel data, never reading pixel bytes. Follows what
    /// dcmtk's dcmdata survives: data sets without preamble or meta, meta without group length or transfer syntax,
    /// all native transfer syntaxes and deflate, defined and undefined length sequences, UN of undefined length,
    /// non-standard VR bytes (with a warning, as dcmtk), duplicate elements (the first kept). Everything malformed
    /// ends in a <see cref="DicomException"/>; reads are linear in the file size and nested at most 64 deep.
    /// </summary>
    public static class DicomReader
    {
        /// <summary>Reads a file's header.</summary>
        public static DicomHeader ReadHeader(string path, DicomReadOptions? options = null)
        {
            FileStream stream;
            try
            {
                // FileShare.ReadWrite: on Unix, .NET emulates FileShare.Read with an flock per open, which a scan of
                // thousands of files pays for and gains nothing from (the file is only read).
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException(e is FileNotFoundException || e is DirectoryNotFoundException ? "FileNotFound" : "FileReadFailed", e is FileNotFoundException || e is DirectoryNotFoundException ? FailureKind.ObjectNotFound : FailureKind.ReadError, $"{path}: {e.Message}", e) { SourcePath = path };
            }

            using (stream)
            {
                return ReadHeader(stream, path, options);
            }
        }

        /// <summary>Reads a header from a stream; <paramref name="sourcePath"/> names it in errors.</summary>
        public static DicomHeader ReadHeader(Stream stream, string? sourcePath, DicomReadOptions? options = null)
        {
            using var parser = new DicomParser(stream, sourcePath, options ?? new DicomReadOptions());
            try
            {
                return parser.Parse();
            }
            catch (EndOfStreamException e)
            {
                throw new DicomException("DicomTruncated", $"the file ends at byte {parser.Position} in the middle of an element: it is truncated.", sourcePath, parser.Position, e);
            }
            catch (InvalidDataException e)
            {
                throw new DicomException("DicomCorrupt", $"the deflated data set cannot be inflated: {e.Message}", sourcePath, parser.Position, e);
            }
        }

        /// <summary>True when the first bytes of a file look like DICOM: "DICM" at 128 (or 0), or a plausible first data set element.</summary>
        public static bool LooksLikeDicom(ReadOnlySpan<byte> head)
        {
            if (head.Length >= 132 && IsDicm(head.Slice(128)))
            {
                return true;
            }

            return head.Length >= 8 && (IsDicm(head) || DicomParser.DetectRawEncoding(head) != null);
        }

        internal static bool IsDicm(ReadOnlySpan<byte> s) => s.Length >= 4 && s[0] == (byte)'D' && s[1] == (byte)'I' && s[2] == (byte)'C' && s[3] == (byte)'M';
    }

    /// <summary>One header read: the state of the byte order and VR encoding as they change (meta, CP-246 sequences).</summary>
    internal sealed class DicomParser : IDisposable
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

        /// <summary>
        /// How a data set without file meta is encoded, from its first element: little or big endian by which reading
        /// gives a plausible first group, explicit VR when the next two bytes are a VR the standard defines.
        /// </summary>
        internal static DicomTransferSyntax? DetectRawEncoding(ReadOnlySpan<byte> first)
        {
            if (first.Length < 8)
            {
                return null;
            }

            ushort littleGroup = (ushort)(first[0] | (first[1] << 8));
            ushort bigGroup = (ushort)((first[0] << 8) | first[1]);
            bool explicitVR = new DicomVR(first[4], first[5]).IsKnown;
            if (IsPlausibleFirstGroup(littleGroup))
            {
                if (explicitVR)
                {
                    return DicomTransferSyntax.ExplicitVRLittleEndian;
                }

                // Implicit VR: the next four bytes are the first element's length, undefined or modest.
                uint length = (uint)(first[4] | (first[5] << 8) | (first[6] << 16) | (first[7] << 24));
                return length == uint.MaxValue || length < (1u << 24) ? DicomTransferSyntax.ImplicitVRLittleEndian : null;
            }

            return IsPlausibleFirstGroup(bigGroup) && explicitVR ? DicomTransferSyntax.ExplicitVRBigEndian : null;
        }

        /// <summary>A data set starts with a low group, before the image groups: usually 0008 (group 0000 is for commands, not files).</summary>
        private static bool IsPlausibleFirstGroup(ushort group) => group >= 0x0001 && group <= 0x0028;

        /// <summary>The file meta group: explicit VR little endian, read while the group is 0002 (its group length is not trusted).</summary>
        private DicomDataset ReadMeta()
        {
            _explicit = true;
            _source.BigEndian = false;
            var meta = new DicomDataset(null);
            while (_source.Ensure(8) && _source.Peek(2)[0] == 0x02 && _source.Peek(2)[1] == 0x00)
            {
                if (ReadElement(meta, topLevel: false, context: "the file meta") == ElementResult.Delimiter)
                {
                    throw Corrupt("an item delimiter inside the file meta group.");
                }
            }

            if (meta[new DicomTag(0x0002, 0x0000)] is DicomElement length && meta.GetInt(length.Tag) is int declared)
            {
                long actual = 0;
                foreach (var e in meta.Elements)
                {
                    if (e.Tag.Element != 0)
                    {
                        actual += 8 + (e.VR.HasLongLength ? 4 : 0) + e.ValueLength;
                    }
                }

                if (actual != declared)
                {
                    Warn($"The file meta group length says {declared} bytes but the group has {actual}.");
                }
            }

            return meta;
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

        /// <summary>Reads the pixel data's value: the bytes of native data, or the offset table and fragments of encapsulated data.</summary>
        private void ReadPixelValue(DicomPixelDataInfo pixels, uint length)
        {
            const long MaxBytes = int.MaxValue - 64;
            if (length != uint.MaxValue)
            {
                if (pixels.Truncated)
                {
                    throw Truncated($"Pixel Data declares {length} bytes but only {_source.Remaining} remain: the pixels are truncated.");
                }

                if (length > MaxBytes)
                {
                    throw Corrupt($"Pixel Data declares {length} bytes, more than one read can hold.");
                }

                pixels.Value = _source.ReadBytes((int)length);
                return;
            }

            var fragments = new List<byte[]>();
            bool first = true;
            while (true)
            {
                long at = _source.Position;
                if (!_source.Ensure(8))
                {
                    throw Truncated("the file ends inside the encapsulated Pixel Data (no sequence delimiter).");
                }

                var tag = new DicomTag(_source.ReadUInt16(), _source.ReadUInt16());
                uint itemLength = _source.ReadUInt32();
                if (tag == DicomTag.SequenceDelimitation)
                {
                    break;
                }

                if (tag != DicomTag.Item || itemLength == uint.MaxValue || itemLength > _source.Remaining || itemLength > MaxBytes)
                {
                    throw Corrupt($"the encapsulated Pixel Data has {tag} with length {itemLength} at byte {at}, where a fragment item was expected.");
                }

                var bytes = _source.ReadBytes((int)itemLength);
                if (first)
                {
                    // The first item is the Basic Offset Table: frame offsets into the fragments that follow (may be empty).
                    var table = new uint[bytes.Length / 4];
                    for (int i = 0; i < table.Length; i++)
                    {
                        table[i] = BitConverter.ToUInt32(bytes, i * 4);
                    }

                    pixels.OffsetTable = table;
                    first = false;
                }
                else
                {
                    fragments.Add(bytes);
                }
            }

            pixels.Fragments = fragments;
        }

        private List<DicomDataset> ReadSequence(DicomDataset parent, DicomTag tag, long length, bool implicitLittleEndian, bool encapsulated)
        {
            if (++_depth > MaxDepth)
            {
                throw Corrupt($"sequences nest deeper than {MaxDepth} levels at {tag}.");
            }

            bool savedExplicit = _explicit, savedBigEndian = _source.BigEndian;
            if (implicitLittleEndian)
            {
                _explicit = false;
                _source.BigEndian = false;
            }

            var items = new List<DicomDataset>();
            string context = $"sequence {tag} {Name(tag)}";
            long end = length >= 0 ? _source.Position + length : long.MaxValue;
            try
            {
                while (length < 0 || _source.Position < end)
                {
                    if (!_source.Ensure(8))
                    {
                        throw Truncated($"the file ends inside {context}.");
                    }

                    long itemOffset = _source.Position;
                    var itemTag = new DicomTag(_source.ReadUInt16(), _source.ReadUInt16());
                    uint itemLength = _source.ReadUInt32();
                    if (itemTag == DicomTag.SequenceDelimitation)
                    {
                        if (length >= 0)
                        {
                            Warn($"A sequence delimiter inside the defined-length {context} ended it early.");
                        }

                        break;
                    }

                    if (itemTag != DicomTag.Item)
                    {
                        throw Corrupt($"found {itemTag} at byte {itemOffset} in {context}, where an item (FFFE,E000) was expected.");
                    }

                    if (encapsulated)
                    {
                        // A fragment of nested encapsulated pixel data: skip its bytes.
                        if (itemLength > _source.Remaining)
                        {
                            throw Truncated($"a pixel data fragment at byte {itemOffset} declares {itemLength} bytes but only {_source.Remaining} remain.");
                        }

                        _source.Skip(itemLength);
                        continue;
                    }

                    var item = new DicomDataset(parent);
                    if (itemLength == uint.MaxValue)
                    {
                        ReadElements(item, end: null, untilItemDelimitation: true, topLevel: false, context: context);
                    }
                    else
                    {
                        if (itemLength > _source.Remaining)
                        {
                            throw Truncated($"an item of {context} at byte {itemOffset} declares {itemLength} bytes but only {_source.Remaining} remain.");
                        }

                        ReadElements(item, end: _source.Position + itemLength, untilItemDelimitation: false, topLevel: false, context: context);
                    }

                    items.Add(item);
                }

                if (length >= 0 && _source.Position > end)
                {
                    throw Corrupt($"the items of {context} run past its declared length ({length} bytes).");
                }
            }
            finally
            {
                _explicit = savedExplicit;
                _source.BigEndian = savedBigEndian;
                _depth--;
            }

            return items;
        }

        /// <summary>
        /// A file whose image attributes announce pixels must have them, and enough of them for its frames: a file that
        /// ends on an element boundary before its Pixel Data is truncated (not "an object without an image"), and a
        /// Number of Frames that the pixel data cannot hold is an error, not that many images. Truncation inside the
        /// last frame stays a warning, as dcmtk reads such headers.
        /// </summary>
        private void CheckPixelDataPresent(DicomHeader header)
        {
            if (header.Rows is not int rows || header.Columns is not int columns || header.BitsAllocated is not int bits || rows <= 0 || columns <= 0 || bits <= 0)
            {
                return;
            }

            if (_pixelData == null)
            {
                string after = _lastTopLevelTag is DicomTag last ? $"after element {last} {Name(last)}" : "before any element";
                throw new DicomException("DicomTruncated", $"the file ends at byte {_lastTopLevelEnd} {after}, before the Pixel Data that its Rows, Columns and Bits Allocated announce: it is truncated.", _path, _lastTopLevelEnd);
            }

            int frames = header.Frames;
            double frameBits = (double)rows * columns * Math.Max(header.SamplesPerPixel ?? 1, 1) * bits;
            long present = _pixelBytesPresent;
            if (_pixelData.Encapsulated)
            {
                // Every frame is at least one fragment item, and every item has an 8-byte header.
                if (present >= 0 && frames > 1 && frames > present / 8)
                {
                    throw FramesExceed(frames, rows, columns, bits, present);
                }

                return;
            }

            // All but the last frame must be there (a cut inside the last one is the truncation warning above).
            long bytes = present >= 0 ? Math.Min(_pixelData.Length, present) : _pixelData.Length;
            if (frames > 1 && (frames - 1) * frameBits > bytes * 8.0)
            {
                throw FramesExceed(frames, rows, columns, bits, bytes);
            }
        }

        private DicomException FramesExceed(int frames, int rows, int columns, int bits, long bytes) =>
            !_pixelData!.Encapsulated && _pixelBytesPresent >= 0 && _pixelBytesPresent < _pixelData.Length
                // The element declares enough bytes but the file ends inside it: that is a cut file, not a lying header.
                ? new DicomException("DicomTruncated", $"the file ends inside the Pixel Data (7FE0,0010) that starts at byte {_pixelData.Offset}: {_pixelBytesPresent} of its {_pixelData.Length} bytes are present, fewer than its {frames} frames of {columns}x{rows} at {bits} bits need; it is truncated.", _path, _pixelData.Offset)
                : new DicomException("DicomFramesExceedPixelData", $"Number of Frames is {frames} of {columns}x{rows} at {bits} bits, but the Pixel Data has only {bytes} bytes: the header is corrupt (or the file truncated).", _path, _pixelData!.Offset);

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
