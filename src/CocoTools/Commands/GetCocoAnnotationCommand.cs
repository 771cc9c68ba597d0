using System.Linq;
using System.Management.Automation;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>Get-CocoAnnotation: the annotations of a dataset that pass the filters given.</summary>
    [Cmdlet(VerbsCommon.Get, "CocoAnnotation", DefaultParameterSetName = DatasetSet)]
    [OutputType(typeof(CocoAnnotation))]
    public sealed class GetCocoAnnotationCommand : DatasetInputCommandBase
    {
        /// <summary>Annotation ids.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public long[]? Id { get; set; }

        /// <summary>Annotations of these images.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public long[]? ImageId { get; set; }

        /// <summary>Annotations of these categories (names, wildcards).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.CategoryNameCompleter))]
        public string[]? Category { get; set; }

        /// <summary>Annotations of this kind.</summary>
        [Parameter]
        public CocoAnnotationKind Kind { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var filter = new AnnotationFilter
            {
                Id = Id,
                ImageId = ImageId,
                Category = Category,
                Kind = MyInvocation.BoundParameters.ContainsKey(nameof(Kind)) ? Kind : null,
            };
            foreach (var dataset in InputDatasets())
            {
                // Materialized first, so the pipeline can remove what it receives (Remove-CocoAnnotation).
                foreach (var annotation in DatasetQuery.Annotations(dataset, filter).ToList())
                {
                    WriteObject(annotation);
                }
            }
        }
    }
}
