using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CocoTools.Completers;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.DicomWeb;
using CocoTools.Engine.Operations.DicomWeb;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Tabular;
using CocoTools.Engine.Operations.AnnotationRows;

namespace CocoTools.Commands
{
    /// <summary>
    /// Add-CocoAnnotation: adds annotations of every COCO kind to a dataset, from rows (Import-Csv output, objects,
    /// hashtables), from a CSV file streamed with -CsvPath, from DICOM annotation objects (SEG, RTSTRUCT, SR) with
    /// -DicomPath (files, folders, or instances on a DICOMweb server: Find-CocoDicomWeb results and URLs, fetched
    /// whole), or one from parameters. Columns bind by name through one documented table of spellings; every other
    /// column is kept in the annotation's attributes.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "CocoAnnotation", DefaultParameterSetName = RowSet)]
    [OutputType(typeof(CocoAnnotation))]
    public sealed class AddCocoAnnotationCommand : DicomWebFetchCmdletBase
    {
        private const int WebBatchSize = 64;

        private const string RowSet = "Row";
        private const string CsvSet = "Csv";
        private const string SingleSet = "Single";
        private const string DicomSet = "Dicom";

        private AnnotationRowBinder? _binder;
        private DicomAnnotationReporter? _dicom;
        private long _dicomFiles;
        private AnnotationRowFeed? _feed;
        private ProgressReporter? _progress;
        private readonly List<DicomWebInstanceRef> _pendingWeb = new List<DicomWebInstanceRef>();
        private DicomWebImageReader? _web;
        private DicomWebSettings? _webSettings;

        /// <summary>The dataset the annotations are added to.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public CocoDataset? Dataset { get; set; }

        /// <summary>Rows: Import-Csv output, objects or hashtables.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RowSet)]
        public PSObject? InputObject { get; set; }

        /// <summary>A CSV annotation list, streamed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CsvSet)]
        [ValidateNotNullOrEmpty]
        public string? CsvPath { get; set; }

        /// <summary>
        /// DICOM annotation objects (SEG, RTSTRUCT, SR): files or folders (with their subfolders), or URLs of instances on
        /// a server (WADO-RS, dicomweb://, wadouri:, http(s) files), fetched whole; other files and instances are passed over.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DicomSet)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[]? DicomPath { get; set; }

        /// <summary>A FRACTIONAL SEG pixel belongs to its segment when its value reaches this share of Maximum Fractional Value.</summary>
        [Parameter(ParameterSetName = DicomSet)]
        [Parameter(ParameterSetName = RowSet)]
        [ValidateRange(0.0, 1.0)]
        public double FractionalThreshold { get; set; } = 0.5;

        /// <summary>SEG masks as compressed RLE (default) or as traced polygons (masks with holes stay RLE).</summary>
        [Parameter(ParameterSetName = DicomSet)]
        [Parameter(ParameterSetName = RowSet)]
        public DicomSegmentationFormat SegmentationFormat { get; set; } = DicomSegmentationFormat.Rle;

        /// <summary>The CSV delimiter.</summary>
        [Parameter(ParameterSetName = CsvSet)]
        public char Delimiter { get; set; } = ',';

        /// <summary>One annotation: its image (id, file_name, file stem, SOP Instance UID, path or URL).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SingleSet)]
        [ValidateNotNullOrEmpty]
        public string? Image { get; set; }

        /// <summary>One annotation: its box [x, y, width, height].</summary>
        [Parameter(ParameterSetName = SingleSet)]
        public double[]? Bbox { get; set; }

        /// <summary>One annotation: its polygons (a flat list, a list of lists, or text).</summary>
        [Parameter(ParameterSetName = SingleSet)]
        public object? Segmentation { get; set; }

        /// <summary>One annotation: its keypoints (x, y, v triples).</summary>
        [Parameter(ParameterSetName = SingleSet)]
        public double[]? Keypoints { get; set; }

        /// <summary>One annotation: a caption.</summary>
        [Parameter(ParameterSetName = SingleSet)]
        public string? Caption { get; set; }

        /// <summary>One annotation: iscrowd.</summary>
        [Parameter(ParameterSetName = SingleSet)]
        [ValidateRange(0, 1)]
        public int? IsCrowd { get; set; }

        /// <summary>One annotation: a detection score.</summary>
        [Parameter(ParameterSetName = SingleSet)]
        public double? Score { get; set; }

        /// <summary>One annotation: further attributes.</summary>
        [Parameter(ParameterSetName = SingleSet)]
        public Hashtable? Attribute { get; set; }

        /// <summary>The category: of the one annotation, or of rows whose list has no category column.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CategoryNameCompleter))]
        public string? Category { get; set; }

        /// <summary>Class values to category names, for numeric classes: @{ 1 = 'pneumonia' }.</summary>
        [Parameter]
        public Hashtable? CategoryMap { get; set; }

        /// <summary>Categories must already exist.</summary>
        [Parameter]
        public SwitchParameter StrictCategory { get; set; }

        /// <summary>Create an image for a row whose image is not in the dataset.</summary>
        [Parameter]
        public SwitchParameter AddMissingImage { get; set; }

        /// <summary>Where the files of missing images are found (default: the current location).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageRoot { get; set; }

        /// <summary>Pixel order of Kaggle EncodedPixels values.</summary>
        [Parameter]
        public PixelOrder PixelOrder { get; set; } = PixelOrder.ColumnMajor;

        /// <summary>Keypoint names for the categories this command creates.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Keypoint { get; set; }

        /// <summary>Skeleton edges for those keypoints: '1-2', '2-3' or pairs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Skeleton { get; set; }

        /// <summary>With -CsvPath: a row with bytes that are not UTF-8 is an error (and not added), not a warning.</summary>
        [Parameter(ParameterSetName = CsvSet)]
        public SwitchParameter Strict { get; set; }

        /// <summary>With -CsvPath: threads used (default: the processor count; 2 or more read and parse the file on a second thread ahead of the ordered adding). With annotation objects on a server: requests in flight (default 4).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int ThrottleLimit { get; set; } = Parallelism.DefaultThrottle;

        /// <summary>Emit each annotation added.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            var options = new AnnotationImportOptions
            {
                PixelOrder = PixelOrder,
                DefaultCategory = Category,
                StrictCategory = StrictCategory,
                AddMissingImage = AddMissingImage,
                ImageRoot = ImageRoot != null ? ResolveOutputPath(ImageRoot) : SessionState.Path.CurrentFileSystemLocation.ProviderPath,
                Keypoints = Keypoint,
            };
            try
            {
                options.Skeleton = Skeleton == null ? null : CocoDatasetFactory.ParseSkeleton(PSValue.Unwrap(Skeleton));
            }
            catch (CocoToolsException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, Skeleton));
            }

            if (CategoryMap != null)
            {
                options.CategoryMap = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in CategoryMap)
                {
                    options.CategoryMap[LooseValue.ToText(PSValue.Unwrap(entry.Key)) ?? string.Empty] = LooseValue.ToText(PSValue.Unwrap(entry.Value)) ?? string.Empty;
                }
            }

            _binder = new AnnotationRowBinder(Dataset!, options);
            _progress = new ProgressReporter(this, 3, "Add-CocoAnnotation");
            _feed = new AnnotationRowFeed(Dataset!, _binder, new Listener(this)) { StrictText = Strict, ThrottleLimit = ThrottleLimit };
        }

        private DicomAnnotationReporter DicomReporter() =>
            _dicom ??= new DicomAnnotationReporter(this, Dataset!, new DicomAnnotationOptions { FractionalThreshold = FractionalThreshold, SegmentationFormat = SegmentationFormat });

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case DicomSet:
                    ReadDicom(DicomPath!);
                    break;
                case RowSet when InputObject?.BaseObject is DicomWebResult result:
                    // Find-CocoDicomWeb output piped in: instances on the server, read as annotation objects.
                    ReadDicomWeb(result);
                    break;
                case RowSet when InputObject?.BaseObject is FileSystemInfo file:
                    // Get-ChildItem output piped in: the files are DICOM annotation objects, not rows.
                    ReadDicom(new[] { file.FullName });
                    break;
                case RowSet when InputObject != null:
                    var (names, values) = RowOf(InputObject);
                    _feed!.Add(names, values, new RowLocation(_feed.Rows + 1));
                    break;
                case CsvSet:
                    ReadCsv();
                    break;
                case SingleSet:
                    AddSingle();
                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            FlushDicomWeb();
            _web?.Dispose();
            _progress?.Complete();
            if (_dicom != null)
            {
                _dicom.WriteSummary();
                WriteVerbose($"Read {_dicomFiles} file(s) for annotation objects. The dataset has {Dataset}.");
                if (_feed!.Rows == 0)
                {
                    return;
                }
            }

            foreach (var e in _binder!.Complete())
            {
                WriteItemError(e, e.Target);
            }

            foreach (var note in _binder.Notes)
            {
                WriteWarning(note);
            }

            if (_binder.NoFindingRows > 0)
            {
                WriteWarning($"{_binder.NoFindingRows} row(s) name an image but no geometry, keypoints or caption (\"no finding\"); they are counted, not added as annotations{(AddMissingImage ? " (their images were added when missing)" : string.Empty)}.");
            }

            WriteVerbose($"Read {_feed!.Rows} rows: {_binder.Added} annotations added, {_binder.NoFindingRows} without geometry, {_feed.Refused} refused; {_binder.CategoriesAdded} categories and {_binder.ImagesAdded} images created. The dataset has {Dataset}.");
        }

        /// <summary>Reads DICOM files and folders (wildcards allowed) for annotation objects.</summary>
        private void ReadDicom(IEnumerable<string> paths)
        {
            foreach (var path in paths)
            {
                if (UrlText.ToHttp(path) != null)
                {
                    QueueDicomWeb(() => DicomWebInstanceRef.Parse(path, WebSettings()), UrlText.Redact(path));
                    continue;
                }

                // Local files after the URLs before them, so that objects are read in the order given.
                FlushDicomWeb();
                foreach (var resolved in ResolveExistingPaths(new[] { path }, literal: !WildcardPattern.ContainsWildcardCharacters(path)))
                {
                    foreach (var file in DicomAnnotationReporter.FilesOf(resolved))
                    {
                        _dicomFiles++;
                        _progress!.Update(_dicomFiles, 0, file);
                        foreach (var annotation in DicomReporter().Import(file))
                        {
                            if (PassThru)
                            {
                                WriteObject(annotation);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>A search result: an instance whose SOP class is an annotation object's (or not known) is fetched; others are passed over unread.</summary>
        private void ReadDicomWeb(DicomWebResult result)
        {
            if (result.Level == Engine.DicomWeb.DicomWebLevel.Instance && result.SOPClassUID != null && !DicomAnnotationImporter.IsAnnotationObject(result.SOPClassUID))
            {
                WriteVerbose($"{result.Url}: passed over, not an annotation object (SOP Class {result.SOPClassUID}, modality {result.Modality ?? "unknown"}).");
                return;
            }

            QueueDicomWeb(() => InstanceOf(result, WebSettings()), result.Url);
        }

        private DicomWebSettings WebSettings()
        {
            _webSettings ??= CreateFetchSettings(RequestLimit);
            _web ??= new DicomWebImageReader(_webSettings);
            return _webSettings;
        }

        private void QueueDicomWeb(Func<DicomWebInstanceRef> parse, string shown)
        {
            try
            {
                _pendingWeb.Add(parse());
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, shown);
            }

            if (_pendingWeb.Count >= WebBatchSize)
            {
                FlushDicomWeb();
            }
        }

        /// <summary>Fetches the queued instances whole (ThrottleLimit at once) and imports them in the order given; a failed fetch is one error naming the URL.</summary>
        private void FlushDicomWeb()
        {
            if (_pendingWeb.Count == 0)
            {
                return;
            }

            var instances = _pendingWeb.ToArray();
            _pendingWeb.Clear();
            var fetched = _web!.ReadWholeBatch(instances);
            FlushDicomWebLog();
            for (int i = 0; i < instances.Length; i++)
            {
                _dicomFiles++;
                _progress!.Update(_dicomFiles, 0, instances[i].Url);
                if (fetched[i] is CocoToolsException error)
                {
                    WriteItemError(error, instances[i].Url);
                    continue;
                }

                foreach (var annotation in DicomReporter().Import((Engine.Dicom.DicomHeader)fetched[i]))
                {
                    if (PassThru)
                    {
                        WriteObject(annotation);
                    }
                }
            }
        }

        private void ReadCsv()
        {
            string path = ResolveExistingPaths(new[] { CsvPath! }, literal: true).FirstOrDefault() ?? string.Empty;
            if (path.Length == 0)
            {
                return;
            }

            try
            {
                _feed!.AddCsvFile(path, Delimiter);
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, path);
            }
        }

        private void AddSingle()
        {
            var row = new OrderedDictionary { ["image"] = Image };
            if (Bbox != null)
            {
                row["bbox"] = Bbox;
            }

            if (Segmentation != null)
            {
                row["segmentation"] = PSValue.Unwrap(Segmentation);
            }

            if (Keypoints != null)
            {
                row["keypoints"] = Keypoints;
            }

            if (Caption != null)
            {
                row["caption"] = Caption;
            }

            if (IsCrowd != null)
            {
                row["iscrowd"] = IsCrowd;
            }

            if (Score != null)
            {
                row["score"] = Score;
            }

            foreach (DictionaryEntry entry in Attribute ?? new Hashtable())
            {
                row[LooseValue.ToText(PSValue.Unwrap(entry.Key)) ?? string.Empty] = PSValue.Unwrap(entry.Value);
            }

            var (names, values) = RowOf(PSObject.AsPSObject(row));
            _feed!.Add(names, values, new RowLocation(0));
        }

        /// <summary>A row's column names and values: a dictionary's entries or an object's properties, in order.</summary>
        private static (IReadOnlyList<string> Names, IReadOnlyList<object?> Values) RowOf(PSObject row)
        {
            var names = new List<string>();
            var values = new List<object?>();
            if (row.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    names.Add(LooseValue.ToText(PSValue.Unwrap(entry.Key)) ?? string.Empty);
                    values.Add(PSValue.Unwrap(entry.Value));
                }
            }
            else
            {
                foreach (var property in row.Properties)
                {
                    names.Add(property.Name);
                    values.Add(PSValue.Unwrap(property.Value));
                }
            }

            return (names, values);
        }

        /// <summary>Progress, -PassThru output and row errors of the feed, written by this cmdlet.</summary>
        private sealed class Listener : IAnnotationRowListener
        {
            private readonly AddCocoAnnotationCommand _cmdlet;

            public Listener(AddCocoAnnotationCommand cmdlet) => _cmdlet = cmdlet;

            public void Progress(long rows, double fraction, RowLocation where)
            {
                if (!_cmdlet._progress!.IsDue)
                {
                    return;
                }

                if (_cmdlet.ParameterSetName == CsvSet)
                {
                    _cmdlet._progress.UpdateRead(rows, "rows", fraction, where.ToString());
                }
                else
                {
                    _cmdlet._progress.Update(rows, 0, where.ToString());
                }
            }

            public void Added(CocoAnnotation annotation)
            {
                if (_cmdlet.PassThru)
                {
                    _cmdlet.WriteObject(annotation);
                }
            }

            public void Refused(CocoToolsException error) => _cmdlet.WriteItemError(error, error.Target);

            public void Warned(CocoToolsException warning) => _cmdlet.WriteWarning(warning.Message);
        }
    }
}
