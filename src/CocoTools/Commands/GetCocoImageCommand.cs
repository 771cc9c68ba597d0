using System.Linq;
using System.Management.Automation;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>Get-CocoImage: the images of a dataset that pass the filters given.</summary>
    [Cmdlet(VerbsCommon.Get, "CocoImage", DefaultParameterSetName = DatasetSet)]
    [OutputType(typeof(CocoImage))]
    public sealed class GetCocoImageCommand : DatasetInputCommandBase
    {
        /// <summary>Image ids.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public long[]? Id { get; set; }

        /// <summary>file_name patterns (wildcards).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? FileName { get; set; }

        /// <summary>Images with annotations of these categories (names, wildcards).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.CategoryNameCompleter))]
        public string[]? Category { get; set; }

        /// <summary>DICOM modalities.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Modality { get; set; }

        /// <summary>DICOM Study Instance UIDs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? StudyInstanceUid { get; set; }

        /// <summary>$true: only images with annotations; $false: only images without.</summary>
        [Parameter]
        public bool HasAnnotation { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var filter = new ImageFilter
            {
                Id = Id,
                FileName = FileName,
                Category = Category,
                Modality = Modality,
                StudyInstanceUid = StudyInstanceUid,
                HasAnnotation = MyInvocation.BoundParameters.ContainsKey(nameof(HasAnnotation)) ? HasAnnotation : null,
            };
            foreach (var dataset in InputDatasets())
            {
                foreach (var image in DatasetQuery.Images(dataset, filter).ToList())
                {
                    WriteObject(image);
                }
            }
        }
    }
}
