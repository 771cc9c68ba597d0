using System;

namespace CocoTools.Engine.Operations.Gallery
{
    /// <summary>What <see cref="GalleryWriter"/> writes and where it finds the pictures.</summary>
    public sealed class GalleryOptions
    {
        /// <summary>
        /// The folder the images' file_names are relative to: PNG/JPEG files (as Export-CocoImage writes them) are
        /// copied as PNG, DICOM files rendered with their own window. Null: annotations over blank images.
        /// </summary>
        public string? ImageRoot { get; set; }

        /// <summary>Thumbnails per index page (a 10,000-image dataset is 100 pages of 100).</summary>
        public int PageSize { get; set; } = 100;

        /// <summary>The heading of every page; the dataset's description when empty.</summary>
        public string? Title { get; set; }

        /// <summary>Refuse (before writing anything) when the output folder exists.</summary>
        public bool NoClobber { get; set; }

        /// <summary>Told about each image that could not be drawn and each annotation that could not be rasterized; the page goes on without it.</summary>
        public Action<CocoToolsException>? OnItemError { get; set; }

        /// <summary>Told (images done, images in all) after each image: for progress bars.</summary>
        public Action<int, int>? Progress { get; set; }
    }

    /// <summary>What <see cref="GalleryWriter"/> wrote.</summary>
    public sealed class GalleryResult
    {
        internal GalleryResult(string directory, int images, int pages, int pictures, int annotations)
        {
            Directory = directory;
            Images = images;
            Pages = pages;
            Pictures = pictures;
            Annotations = annotations;
        }

        /// <summary>The gallery folder.</summary>
        public string Directory { get; }

        /// <summary>The first index page: open this one.</summary>
        public string Path => System.IO.Path.Combine(Directory, "index.html");

        /// <summary>Images shown.</summary>
        public int Images { get; }

        /// <summary>Index pages.</summary>
        public int Pages { get; }

        /// <summary>Images shown with their picture (the others as a blank of their size).</summary>
        public int Pictures { get; }

        /// <summary>Annotations drawn.</summary>
        public int Annotations { get; }

        /// <inheritdoc />
        public override string ToString() => Path;
    }
}
