using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Dicom
{
    // Sequences of items, defined or undefined length, nested at most MaxDepth deep.
    internal sealed partial class DicomParser
    {
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
    }
}
