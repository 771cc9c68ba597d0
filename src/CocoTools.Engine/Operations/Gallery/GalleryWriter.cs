using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.IO;
using CocoTools.Engine.Pixels;

namespace CocoTools.Engine.Operations.Gallery
{
    /// <summary>
    /// Writes a dataset as a static HTML gallery that opens from disk with no server, script or font from anywhere
    /// else: index pages of thumbnails with every annotation drawn over its image as SVG (masks, outlines, boxes,
    /// keypoints and skeletons, a colour per category), a legend with counts that filters by category, one page per
    /// image at 1:1 with its annotation table, and a statistics page of inline SVG charts. Images are shown by file
    /// name only (nothing from their DICOM headers beyond modality). The folder is written as a whole: a temporary
    /// folder replaces the target only when complete.
    /// </summary>
    public static class GalleryWriter
    {
        private static readonly string[] Palette =
        {
            "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4",
            "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000", "#ffd8b1", "#000075", "#a9a9a9",
        };

        /// <summary>Writes the gallery into <paramref name="directory"/> (replacing a previous one unless NoClobber).</summary>
        public static GalleryResult Write(CocoDataset dataset, string directory, GalleryOptions options)
        {
            if (options.PageSize < 1)
            {
                throw new CocoToolsException("InvalidPageSize", FailureKind.InvalidArgument, $"The page size must be at least 1; it is {options.PageSize}.");
            }

            GalleryResult? result = null;
            AtomicDirectory.Write(directory, temp => result = new Builder(dataset, options, temp).Build(Path.GetFullPath(directory)), options.NoClobber);
            return result!;
        }

        /// <summary>The colour a category is drawn in: its own <c>color</c> when it has one, else one of 20 distinct colours by its position.</summary>
        public static string ColourOf(CocoCategory category, int index) =>
            category.Color is int[] c && c.Length >= 3
                ? "#" + string.Concat(c.Take(3).Select(v => Math.Max(0, Math.Min(255, v)).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))
                : Palette[index % Palette.Length];

        private sealed class Builder
        {
            private const string NoCategoryColour = "#ffffff";
            private readonly CocoDataset _dataset;
            private readonly GalleryOptions _options;
            private readonly string _root;
            private readonly Dictionary<long, string> _colours = new Dictionary<long, string>();
            private readonly List<CocoImage> _images;
            private readonly string _title;
            private readonly string _legend;
            private int _pictures;
            private int _drawn;

            public Builder(CocoDataset dataset, GalleryOptions options, string root)
            {
                _dataset = dataset;
                _options = options;
                _root = root;
                _images = dataset.Images.ToList();
                int index = 0;
                foreach (var category in dataset.Categories)
                {
                    _colours[category.Id] = ColourOf(category, index++);
                }

                _title = !string.IsNullOrWhiteSpace(options.Title) ? options.Title! : dataset.Info.Description is string d && d.Length > 0 ? d : "COCO dataset";
                _legend = Legend(dataset.Annotations, wholeDataset: true);
            }

            public GalleryResult Build(string finalDirectory)
            {
                Directory.CreateDirectory(Path.Combine(_root, "images"));
                var exporter = _options.ImageRoot == null ? null : new ImageExporter(new ImageExportOptions
                {
                    OutputDirectory = Path.Combine(_root, "images"),
                    ImageRoot = _options.ImageRoot,
                });
                int pages = Math.Max(1, (_images.Count + _options.PageSize - 1) / _options.PageSize);
                for (int page = 1; page <= pages; page++)
                {
                    var slice = _images.Skip((page - 1) * _options.PageSize).Take(_options.PageSize).ToList();
                    var pictures = exporter == null ? null : exporter.Plan(slice);
                    var grid = new StringBuilder();
                    for (int i = 0; i < slice.Count; i++)
                    {
                        string? picture = pictures == null ? null : Picture(exporter!, pictures[i]);
                        int position = ((page - 1) * _options.PageSize) + i;
                        AppendImage(grid, slice[i], picture, page, position);
                        _options.Progress?.Invoke(position + 1, _images.Count);
                    }

                    WritePage(PageName(page), IndexPage(page, pages, grid.ToString()));
                }

                WritePage("statistics.html", StatisticsPage());
                return new GalleryResult(finalDirectory, _images.Count, pages, _pictures, _drawn);
            }

            private static string PageName(int page) => page == 1 ? "index.html" : $"page-{page}.html";

            private static string ImagePageName(CocoImage image) => Html.Number(image.Id) + ".html";

            private void WritePage(string relative, string html) =>
                File.WriteAllText(Path.Combine(_root, relative), html, new UTF8Encoding(false));

            /// <summary>The image's picture in images/ (its file name there), or null when it cannot be drawn (reported).</summary>
            private string? Picture(ImageExporter exporter, ImageExportItem item)
            {
                try
                {
                    // A PNG or JPEG (as Export-CocoImage writes them) is copied as it is: nothing to decode, the same bytes.
                    if (File.Exists(item.Source) && ImageExporter.RasterExtension(item.Source) is string extension)
                    {
                        string copy = Path.ChangeExtension(item.Target, extension);
                        File.Copy(item.Source, copy);
                        _pictures++;
                        return Path.GetFileName(copy);
                    }

                    exporter.Write(item);
                    _pictures++;
                    return item.NewFileName;
                }
                catch (CocoToolsException e)
                {
                    _options.OnItemError?.Invoke(e);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is SixLabors.ImageSharp.ImageFormatException || e is NotSupportedException)
                {
                    _options.OnItemError?.Invoke(new CocoToolsException("ImageReadFailed", FailureKind.ReadError, $"{item.Source}: {e.Message}", e) { Target = item.Image.Id });
                }

                return null;
            }

            private void AppendImage(StringBuilder grid, CocoImage image, string? picture, int page, int position)
            {
                var annotations = _dataset.Annotations.ForImage(image.Id);
                var shapes = new StringBuilder();
                var categories = new SortedSet<string>(StringComparer.Ordinal);
                int drawn = 0;
                foreach (var a in annotations)
                {
                    var category = a.CategoryId is long c ? _dataset.Categories.Find(c) : null;
                    string colour = a.CategoryId is long id && _colours.TryGetValue(id, out var known) ? known : NoCategoryColour;
                    if (AnnotationSvg.Append(shapes, a, image, category, colour, _options.OnItemError))
                    {
                        drawn++;
                        categories.Add(a.CategoryId is long cid ? Html.Number(cid) : "none");
                    }
                }

                _drawn += drawn;
                string cats = " " + string.Join(" ", categories) + " ";
                grid.Append("<figure data-image=\"").Append(Html.Number(image.Id)).Append("\" data-cats=\"").Append(cats).Append("\" data-shapes=\"").Append(drawn).Append("\">")
                    .Append("<a href=\"images/").Append(ImagePageName(image)).Append("\">")
                    .Append(Svg(image, picture == null ? null : "images/" + picture, shapes.ToString(), thumbnail: true))
                    .Append("</a><figcaption>").Append(Html.Text(image.FileName)).Append("<br>").Append(Size(image)).Append(" · ")
                    .Append(annotations.Count).Append(annotations.Count == 1 ? " annotation" : " annotations").Append("</figcaption></figure>\n");

                var previous = position > 0 ? _images[position - 1] : null;
                var next = position + 1 < _images.Count ? _images[position + 1] : null;
                File.WriteAllText(Path.Combine(_root, "images", ImagePageName(image)), ImagePage(image, picture, shapes.ToString(), annotations, page, previous, next), new UTF8Encoding(false));
            }

            private static string Size(CocoImage image) =>
                image.Width is int w && image.Height is int h ? $"{Html.Number(w)}×{Html.Number(h)}" : "size unknown";

            private static string Svg(CocoImage image, string? picture, string shapes, bool thumbnail)
            {
                int w = image.Width is int iw && iw > 0 ? iw : 100, h = image.Height is int ih && ih > 0 ? ih : 100;
                var svg = new StringBuilder();
                svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").Append(thumbnail ? "thumb" : "full").Append("\" viewBox=\"0 0 ").Append(w).Append(' ').Append(h).Append('"');
                if (!thumbnail)
                {
                    svg.Append(" width=\"").Append(w).Append("\" height=\"").Append(h).Append('"');
                }

                svg.Append('>');
                if (picture != null)
                {
                    svg.Append("<image href=\"").Append(Html.Href(picture)).Append("\" width=\"").Append(w).Append("\" height=\"").Append(h).Append("\"/>");
                }
                else
                {
                    svg.Append("<rect class=\"blank\" width=\"").Append(w).Append("\" height=\"").Append(h).Append("\"/>");
                }

                return svg.Append(shapes).Append("</svg>").ToString();
            }

            /// <summary>
            /// The legend: for the whole dataset every category with its annotation and image counts, and the "only images
            /// with" switch; for one image (<paramref name="wholeDataset"/> false) the categories it has, with its counts.
            /// </summary>
            private string Legend(IEnumerable<CocoAnnotation> annotations, bool wholeDataset)
            {
                var perCategory = new Dictionary<long, (int Annotations, HashSet<long> Images)>();
                int uncategorized = 0;
                foreach (var a in annotations)
                {
                    if (a.CategoryId is long c)
                    {
                        if (!perCategory.TryGetValue(c, out var entry))
                        {
                            entry = (0, new HashSet<long>());
                        }

                        entry.Images.Add(a.ImageId);
                        perCategory[c] = (entry.Annotations + 1, entry.Images);
                    }
                    else
                    {
                        uncategorized++;
                    }
                }

                var legend = new StringBuilder("<div class=\"legend\">");
                foreach (var category in _dataset.Categories)
                {
                    if (perCategory.TryGetValue(category.Id, out var counts) || wholeDataset)
                    {
                        AppendLegendEntry(legend, Html.Number(category.Id), _colours[category.Id], category.Name, counts.Annotations, wholeDataset ? counts.Images?.Count ?? 0 : -1);
                    }
                }

                if (uncategorized > 0)
                {
                    AppendLegendEntry(legend, "none", NoCategoryColour, "(no category)", uncategorized, -1);
                }

                if (wholeDataset)
                {
                    legend.Append("<label class=\"only\"><input type=\"checkbox\" id=\"only\"> only images with a ticked category</label>");
                }

                return legend.Append("</div>").ToString();
            }

            private static void AppendLegendEntry(StringBuilder legend, string id, string colour, string name, int annotations, int images)
            {
                legend.Append("<label data-cat=\"").Append(id).Append("\" data-count=\"").Append(annotations).Append("\"><input type=\"checkbox\" value=\"").Append(id)
                      .Append("\" checked><span class=\"sw\" style=\"background:").Append(colour).Append("\"></span><span class=\"name\">").Append(Html.Text(name))
                      .Append("</span> <span class=\"count\">").Append(annotations).Append("</span>");
                if (images >= 0)
                {
                    legend.Append(" <span class=\"images\">(").Append(images).Append(images == 1 ? " image)" : " images)").Append("</span>");
                }

                legend.Append("</label>");
            }

            private string Head(string title, string prefix, string legend) =>
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<meta name=\"generator\" content=\"CocoTools\"><title>" + Html.Text(title) + "</title><style>" + GalleryAssets.Css + "</style>"
                + "<script>" + GalleryAssets.SolidSwitch + "</script></head><body>\n<header><h1>" + Html.Text(_title) + "</h1>"
                + "<p class=\"summary\">" + Html.Number(_images.Count) + " images · " + Html.Number(_dataset.Annotations.Count) + " annotations · "
                + Html.Number(_dataset.Categories.Count) + " categories · <a href=\"" + prefix + "index.html\">gallery</a> · <a href=\"" + prefix + "statistics.html\">statistics</a></p>"
                + legend + "</header>\n";

            private static string Foot() => "<script>" + GalleryAssets.FilterScript + "</script></body></html>\n";

            private string IndexPage(int page, int pages, string grid)
            {
                var html = new StringBuilder(Head(pages > 1 ? $"{_title} ({page}/{pages})" : _title, string.Empty, _legend));
                string nav = Navigation(page, pages);
                html.Append(nav).Append("<main class=\"grid\">\n").Append(grid).Append("</main>\n").Append(nav).Append(Foot());
                return html.ToString();
            }

            private static string Navigation(int page, int pages)
            {
                if (pages == 1)
                {
                    return string.Empty;
                }

                var nav = new StringBuilder("<nav>");
                nav.Append(page > 1 ? $"<a rel=\"prev\" href=\"{PageName(page - 1)}\">‹ previous</a>" : "<span>‹ previous</span>");
                for (int p = 1; p <= pages; p++)
                {
                    nav.Append(p == page ? $" <b>{p}</b>" : $" <a href=\"{PageName(p)}\">{p}</a>");
                }

                nav.Append(page < pages ? $" <a rel=\"next\" href=\"{PageName(page + 1)}\">next ›</a>" : " <span>next ›</span>");
                return nav.Append("</nav>\n").ToString();
            }

            private string ImagePage(CocoImage image, string? picture, string shapes, IReadOnlyList<CocoAnnotation> annotations, int page, CocoImage? previous, CocoImage? next)
            {
                var html = new StringBuilder(Head($"{image.FileName} · {_title}", "../", Legend(annotations, wholeDataset: false)));
                html.Append("<nav><a href=\"../").Append(PageName(page)).Append("\">↑ page ").Append(page).Append("</a>");
                if (previous != null)
                {
                    html.Append(" <a rel=\"prev\" href=\"").Append(ImagePageName(previous)).Append("\">‹ ").Append(Html.Text(previous.FileName)).Append("</a>");
                }

                if (next != null)
                {
                    html.Append(" <a rel=\"next\" href=\"").Append(ImagePageName(next)).Append("\">").Append(Html.Text(next.FileName)).Append(" ›</a>");
                }

                html.Append("</nav>\n<h2>").Append(Html.Text(image.FileName)).Append("</h2><p>image ").Append(Html.Number(image.Id)).Append(" · ").Append(Size(image));
                if (image.Modality is string modality)
                {
                    html.Append(" · ").Append(Html.Text(modality));
                }

                if (image.Frame is int frame)
                {
                    html.Append(" · frame ").Append(frame);
                }

                html.Append("</p>\n<figure class=\"one\" data-image=\"").Append(Html.Number(image.Id)).Append("\" data-cats=\" \">")
                    .Append(Svg(image, picture, shapes, thumbnail: false)).Append("</figure>\n");
                html.Append("<table class=\"annotations\"><thead><tr><th>id</th><th>category</th><th>kind</th><th>area</th><th>bbox</th><th>iscrowd</th><th>attributes</th></tr></thead><tbody>\n");
                foreach (var a in annotations)
                {
                    var category = a.CategoryId is long c ? _dataset.Categories.Find(c) : null;
                    html.Append("<tr data-ann=\"").Append(Html.Number(a.Id)).Append("\"><td>").Append(Html.Number(a.Id)).Append("</td><td>")
                        .Append(category != null ? Html.Text(category.Name) : a.CategoryId is long missing ? Html.Number(missing) : string.Empty).Append("</td><td>")
                        .Append(a.Kind).Append("</td><td>").Append(a.Area is double area ? Html.Number(area) : string.Empty).Append("</td><td>")
                        .Append(a.Bbox is CocoBox box ? $"[{Html.Number(box.X)}, {Html.Number(box.Y)}, {Html.Number(box.Width)}, {Html.Number(box.Height)}]" : string.Empty).Append("</td><td>")
                        .Append(a.IsCrowd is int crowd ? crowd.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty).Append("</td><td>")
                        .Append(Attributes(a)).Append("</td></tr>\n");
                }

                html.Append("</tbody></table>\n").Append(Foot());
                return html.ToString();
            }

            /// <summary>The members COCO does not define (attributes, reader, ...), and a caption or score, as name: JSON.</summary>
            private static string Attributes(CocoAnnotation a)
            {
                var parts = new List<string>();
                if (a.Caption != null)
                {
                    parts.Add("caption: " + Html.Text(a.Caption));
                }

                if (a.Score is double score)
                {
                    parts.Add("score: " + Html.Number(score));
                }

                if (a.Keypoints != null)
                {
                    parts.Add("num_keypoints: " + Html.Number(a.NumKeypoints ?? 0));
                }

                if (a.ExtraOrNull is JsonMemberBag extra)
                {
                    foreach (string name in extra.Names)
                    {
                        parts.Add(Html.Text(name) + ": <code>" + Html.Text(extra.GetRawJson(name)) + "</code>");
                    }
                }

                return string.Join("<br>", parts);
            }

            private string StatisticsPage()
            {
                var statistics = CocoStatistics.Of(_dataset);
                var html = new StringBuilder(Head($"Statistics · {_title}", string.Empty, _legend));
                html.Append("<main class=\"charts\">\n");
                var categoryBars = _dataset.Categories.Select(c => (c.Name, statistics.PerCategory.FirstOrDefault(p => p.Name == c.Name)?.Count ?? 0, _colours[c.Id])).ToList();
                html.Append(GalleryCharts.Bars("Annotations per category", categoryBars));
                html.Append(GalleryCharts.Bars("Box size (square root of the box area, pixels)", GalleryCharts.BoxSizes(_dataset.Annotations)));
                html.Append(GalleryCharts.Bars("Images per modality", statistics.PerModality.Select(p => (p.Name, p.Count, "#4363d8")).ToList()));
                html.Append(GalleryCharts.Bars("Images per study", statistics.PerStudy.Select(p => (p.Name, p.Count, "#469990")).ToList()));
                html.Append("</main>\n").Append(Foot());
                return html.ToString();
            }
        }
    }
}
