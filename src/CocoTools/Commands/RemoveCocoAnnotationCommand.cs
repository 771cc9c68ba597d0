using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>
    /// Remove-CocoAnnotation: removes annotations piped from Get-CocoAnnotation (each from its own dataset), or
    /// those of -Dataset selected by -Id, -ImageId or -Category.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "CocoAnnotation", DefaultParameterSetName = PipedSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CocoAnnotation))]
    public sealed class RemoveCocoAnnotationCommand : CocoCmdletBase
    {
        private const string PipedSet = "Annotation";
        private const string FilterSet = "Filter";

        /// <summary>Annotations to remove, from Get-CocoAnnotation.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipedSet)]
        public CocoAnnotation[]? InputObject { get; set; }

        /// <summary>The dataset to remove annotations from.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FilterSet)]
        public CocoDataset? Dataset { get; set; }

        /// <summary>Annotation ids.</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ValidateNotNullOrEmpty]
        public long[]? Id { get; set; }

        /// <summary>All annotations of these images.</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ValidateNotNullOrEmpty]
        public long[]? ImageId { get; set; }

        /// <summary>All annotations of these categories (names, wildcards).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.CategoryNameCompleter))]
        public string[]? Category { get; set; }

        /// <summary>Emit each annotation removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (ParameterSetName == FilterSet && Id == null && ImageId == null && Category == null)
            {
                ThrowParameterError("NoSelection", "Say which annotations to remove: -Id, -ImageId or -Category (or pipe them from Get-CocoAnnotation).", Dataset);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IEnumerable<CocoAnnotation> chosen = ParameterSetName == PipedSet
                ? InputObject ?? Enumerable.Empty<CocoAnnotation>()
                : DatasetQuery.Annotations(Dataset!, new AnnotationFilter { Id = Id, ImageId = ImageId, Category = Category }).ToList();
            foreach (var annotation in chosen)
            {
                if (!ShouldProcess($"annotation {annotation.Id} (image {annotation.ImageId}, category {annotation.CategoryId})", "Remove"))
                {
                    continue;
                }

                bool removed = ParameterSetName == PipedSet ? DatasetEdits.RemoveFromItsDataset(annotation) : Dataset!.Annotations.Remove(annotation);
                if (!removed)
                {
                    WriteItemError("AnnotationNotInDataset", ErrorCategory.ObjectNotFound, $"Annotation {annotation.Id} belongs to no dataset (a copy, or removed already); nothing was removed.", annotation);
                }
                else if (PassThru)
                {
                    WriteObject(annotation);
                }
            }
        }
    }
}
