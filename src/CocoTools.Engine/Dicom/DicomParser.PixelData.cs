using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Dicom
{
    // Where the pixel data is: its value (native bytes, or offset table and fragments) and whether the file holds all of it.
    internal sealed partial class DicomParser
    {
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
    }
}
