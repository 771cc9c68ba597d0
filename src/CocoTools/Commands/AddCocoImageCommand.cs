using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CocoTools.Completers;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomWeb;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Operations.DicomWeb;

namespace CocoTools.Commands
{
    /// <summary>
    /// Add-CocoImage: adds DICOM files (detected by content; one image per frame) and raster images (identified by
    /// header) to a dataset; DICOM annotation objects among them (SEG, RTSTRUCT, SR) become annotations on those images
    /// at the end (-AnnotationObjects). Without -Dataset it collects them into a new dataset, emitted at the end.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "CocoImage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CocoDataset), typeof(CocoImage))]
    public sealed class AddCocoImageCommand : DicomWebFetchCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private const string UriSet = "Uri";
        private const int BatchSize = 256;

        private readonly List<DicomWebInstanceRef> _pendingWeb = new List<DicomWebInstanceRef>();
        private DicomWebImageReader? _web;
        private DicomWebSettings? _webSettings;
        // Annotation objects met on the way, in input order: a local file's header, or an instance on a server (whose
        // metadata has no pixel data) to be fetched whole at the end.
        private readonly List<(DicomHeader Header, DicomWebInstanceRef? Remote)> _annotationObjects = new List<(DicomHeader, DicomWebInstanceRef?)>();
        private CocoDataset _dataset = new CocoDataset();
        private ImageImporter? _importer;
        private ParallelBatch<string, (ScannedFile File, IReadOnlyList<CocoImage>? Images)>? _batch;
        private ProgressReporter? _progress;
        private ShardSpec? _shard;
        private int _read;

        /// <summary>Files or folders, with wildcards.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Files or folders taken exactly as written.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>Instances found by Find-CocoDicomWeb (instance level): their WADO-RS metadata is read, not their pixels.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public DicomWebResult[] InputObject { get; set; } = new DicomWebResult[0];

        /// <summary>WADO-RS instance URLs, dicomweb:// and wadouri: URLs (DICOM files over HTTP), or http(s) URLs of DICOM files.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UriSet)]
        [ValidateNotNullOrEmpty]
        public string[] Uri { get; set; } = new string[0];

        /// <summary>Add to this dataset (nothing is emitted unless -PassThru).</summary>
        [Parameter]
        public CocoDataset? Dataset { get; set; }

        /// <summary>With -Dataset: emit each image added.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Also read the files of subfolders of the folders given.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>One image per frame (All, default) or the first frame only.</summary>
        [Parameter]
        public FrameSelection Frame { get; set; } = FrameSelection.All;

        /// <summary>file_name is relative to this folder (default: the current location).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BasePath { get; set; }

        /// <summary>Sets coco_url to this root plus file_name, e.g. dicomweb://host:8000/radiology.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DicomWebRoot { get; set; }

        /// <summary>DICOM attributes to copy into each image's dicom object, by keyword or (gggg,eeee).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DicomKeywordCompleter))]
        public string[]? IncludeTag { get; set; }

        /// <summary>Secret keying PatientHash; give the same one to group patients across datasets built separately.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PatientSalt { get; set; }

        /// <summary>What DICOM annotation objects (SEG, RTSTRUCT, SR) become: annotations on the images (Annotate, default), nothing (Skip), or, for SEG, images of their frames (Image).</summary>
        [Parameter]
        public AnnotationObjectHandling AnnotationObjects { get; set; } = AnnotationObjectHandling.Annotate;

        /// <summary>With -AnnotationObjects Annotate: a FRACTIONAL SEG pixel belongs to its segment when its value reaches this share of Maximum Fractional Value.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double FractionalThreshold { get; set; } = 0.5;

        /// <summary>With -AnnotationObjects Annotate: SEG masks as compressed RLE (default) or traced polygons.</summary>
        [Parameter]
        public DicomSegmentationFormat SegmentationFormat { get; set; } = DicomSegmentationFormat.Rle;
        /// <summary>Only shard i of n ("i/n"), by study; without it, the shard of a Slurm array or Kubernetes Indexed Job.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Shard { get; set; }

        /// <summary>How many files are read at once (default: the processor count); for instances on a server, requests in flight (4 when not given).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int ThrottleLimit { get; set; } = Parallelism.DefaultThrottle;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _shard = ResolveShard(Shard);
            var tags = new List<DicomTag>();
            foreach (var text in IncludeTag ?? new string[0])
            {
                if (!DicomKeywords.TryResolve(text, out var tag))
                {
                    ThrowParameterError("UnknownDicomKeyword", $"'{text}' is neither a DICOM keyword nor a tag such as (0010,1010). Press Tab after -IncludeTag to list keywords.", text);
                }

                tags.Add(tag);
            }

            if (DicomWebRoot != null && !System.Uri.TryCreate(DicomWebRoot, UriKind.Absolute, out _))
            {
                ThrowParameterError("InvalidDicomWebRoot", $"'{DicomWebRoot}' is not an absolute URL such as dicomweb://host:8000/radiology.", DicomWebRoot);
            }

            _dataset = Dataset ?? new CocoDataset();
            var options = ImageImporter.ScanOptions(_dataset, PatientSalt);
            options.Frames = Frame;
            options.BasePath = BasePath != null ? ResolveOutputPath(BasePath) : SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            options.DicomWebRoot = DicomWebRoot;
            options.IncludeTags = tags;
            _importer = new ImageImporter(_dataset, options);
            // A worker reads the file and makes its COCO images; this thread only numbers and adds them, in input order.
            _batch = new ParallelBatch<string, (ScannedFile, IReadOnlyList<CocoImage>?)>(ThrottleLimit, ScanAndPrepare, (path, scanned, error) => Scanned(path, scanned.Item1, error, scanned.Item2));
            _progress = new ProgressReporter(this, 2, "Add-CocoImage");
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // The parameter set of pipeline input is known here, not in BeginProcessing.
            if (ParameterSetName == InputObjectSet || ParameterSetName == UriSet)
            {
                _webSettings ??= CreateFetchSettings(RequestLimit);
                _web ??= new DicomWebImageReader(_webSettings);
                EnqueueWeb();
                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var path in ResolveExistingPaths(literal ? LiteralPath : Path, literal))
            {
                if ((File.GetAttributes(path) & FileAttributes.Directory) != 0)
                {
                    var files = Directory.EnumerateFiles(path, "*", Recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).OrderBy(f => f, StringComparer.Ordinal);
                    foreach (var file in files)
                    {
                        _batch!.Add(file);
                    }
                }
                else
                {
                    _batch!.Add(path);
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            _batch?.Flush();
            FlushWeb();
            if (_annotationObjects.Count > 0)
            {
                // At the end, so that the images they refer to are in whatever order the files came.
                var reporter = new DicomAnnotationReporter(this, _dataset, new DicomAnnotationOptions { FractionalThreshold = FractionalThreshold, SegmentationFormat = SegmentationFormat });
                var remote = _annotationObjects.Where(o => o.Remote != null).Select(o => o.Remote!).ToArray();
                var fetched = remote.Length == 0 ? Array.Empty<object>() : _web!.ReadWholeBatch(remote);
                FlushDicomWebLog();
                int next = 0;
                foreach (var (header, instance) in _annotationObjects)
                {
                    if (instance == null)
                    {
                        reporter.Import(header);
                    }
                    else
                    {
                        var got = fetched[next++];
                        if (got is DicomHeader whole)
                        {
                            reporter.Import(whole);
                        }
                        else
                        {
                            WriteItemError((CocoToolsException)got, instance.Url);
                        }
                    }
                }

                reporter.WriteSummary();
            }

            _progress?.Complete();
            WriteVerbose($"Read {_read} {(_web != null ? $"instances ({_web.RequestCount} HTTP requests)" : "files")}; the dataset has {_dataset}.");
            _web?.Dispose();
            if (Dataset == null)
            {
                WriteObject(_dataset);
            }
        }

        private void EnqueueWeb()
        {
            foreach (var result in InputObject)
            {
                AddWeb(() => InstanceOf(result, _webSettings!), result.Url);
            }

            foreach (var uri in Uri)
            {
                AddWeb(() => DicomWebInstanceRef.Parse(uri, _webSettings!), UrlText.Redact(uri));
            }

            if (_pendingWeb.Count >= BatchSize)
            {
                FlushWeb();
            }
        }

        private void AddWeb(Func<DicomWebInstanceRef> parse, string shown)
        {
            try
            {
                _pendingWeb.Add(parse());
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, shown);
            }
        }

        /// <summary>Reads the pending instances' metadata (ThrottleLimit requests at once), then adds them in input order.</summary>
        private void FlushWeb()
        {
            if (_web == null || _pendingWeb.Count == 0)
            {
                return;
            }

            // A shard fetches only the instances of its studies (known before fetching for WADO-RS instances).
            var instances = _pendingWeb.Where(i => _shard == null || i.StudyInstanceUid == null || _shard.Keeps(_importer!.Options.BasePath, i.StudyInstanceUid, _importer.Options.BasePath)).ToArray();
            _pendingWeb.Clear();
            var results = _web.ScanBatch(instances);
            FlushDicomWebLog();
            for (int i = 0; i < instances.Length; i++)
            {
                Scanned(instances[i].Url, results[i] as ScannedFile, results[i] as CocoToolsException, null, instances[i]);
            }
        }

        /// <summary>On a worker: one file read, and its images made when it is an image to add.</summary>
        private (ScannedFile, IReadOnlyList<CocoImage>?) ScanAndPrepare(string path)
        {
            var file = ImageScanner.Scan(path);
            bool annotationObject = file.Dicom != null && AnnotationObjects != AnnotationObjectHandling.Image && DicomAnnotationImporter.IsAnnotationObject(file.Dicom.SopClassUid);
            return (file, annotationObject || file.SkipReason != null ? null : ImageImporter.ToImages(file, _importer!.Options));
        }

        /// <summary>One file read (in input order, on the pipeline thread): its error, or its images added.</summary>
        private void Scanned(string path, ScannedFile? file, CocoToolsException? error, IReadOnlyList<CocoImage>? prepared = null) => Scanned(path, file, error, prepared, null);

        /// <summary>One file or instance on a server read: its error, or its images added (made on a worker when prepared), or its annotation object kept for the end.</summary>
        private void Scanned(string path, ScannedFile? file, CocoToolsException? error, IReadOnlyList<CocoImage>? prepared, DicomWebInstanceRef? remote)
        {
            _read++;
            _progress?.Update(_read, 0, path);
            if (_shard != null && !_shard.Keeps(path, file?.Dicom?.StudyInstanceUid, _importer!.Options.BasePath))
            {
                return;
            }

            if (error != null)
            {
                WriteItemError(error, path);
                return;
            }

            foreach (var warning in file!.Warnings)
            {
                WriteWarning($"{file.Path}: {warning}");
            }

            if (file.Dicom != null && AnnotationObjects != AnnotationObjectHandling.Image && DicomAnnotationImporter.IsAnnotationObject(file.Dicom.SopClassUid))
            {
                if (AnnotationObjects == AnnotationObjectHandling.Skip)
                {
                    WriteVerbose($"{file.Path}: skipped, an annotation object ({file.Dicom.Modality ?? file.Dicom.SopClassUid}; -AnnotationObjects Skip).");
                }
                else
                {
                    // An instance on a server was read as metadata: its content is fetched whole at the end.
                    _annotationObjects.Add((file.Dicom, remote));
                }

                return;
            }

            if (file.SkipReason != null)
            {
                WriteWarning($"{file.Path}: skipped, {file.SkipReason}.");
                return;
            }

            var result = _importer!.Add(file, prepared);
            if (result.DuplicateFile is ImageIdentity duplicate)
            {
                WriteWarning($"{file.Path}: {(duplicate.SopInstanceUid != null ? "SOP instance " + duplicate.SopInstanceUid : "file " + duplicate.FileName)} is already in the dataset; not added again.");
                return;
            }

            foreach (int frame in result.DuplicateFrames)
            {
                WriteWarning($"{file.Path}: frame {frame} is already in the dataset; not added again.");
            }

            if (Dataset != null && PassThru)
            {
                WriteObject(result.Added, enumerateCollection: true);
            }
        }
    }
}
