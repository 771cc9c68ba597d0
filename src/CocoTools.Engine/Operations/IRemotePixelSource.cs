using System.Collections.Generic;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Operations
{
    /// <summary>Where <see cref="ImageExporter"/> gets the pixels of images that are not on disk (a DICOMweb server).</summary>
    public interface IRemotePixelSource
    {
        /// <summary>True when the image is to be fetched: no file at <paramref name="localPath"/>, and a URL to fetch.</summary>
        bool IsRemote(CocoImage image, string localPath);

        /// <summary>
        /// Starts fetching the pixels of the remote ones among a batch (failures are kept for <see cref="Get"/>); the
        /// task ends when all are fetched, so the next batch can be fetched while this one is decoded.
        /// </summary>
        System.Threading.Tasks.Task PrefetchAsync(IReadOnlyList<(CocoImage Image, string LocalPath)> items);

        /// <summary>The header with pixel data of an image, and the 0-based frame to decode in it; throws the image's CocoToolsException.</summary>
        (DicomHeader Header, int FrameIndex) Get(CocoImage image);
    }
}
