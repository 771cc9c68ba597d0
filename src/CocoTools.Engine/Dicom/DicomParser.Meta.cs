using System;

namespace CocoTools.Engine.Dicom
{
    // How a data set is encoded: the file meta group, or for a raw data set, a guess from its first element.
    internal sealed partial class DicomParser
    {
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
    }
}
