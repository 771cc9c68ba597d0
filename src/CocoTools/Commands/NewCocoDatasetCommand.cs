using System.Collections;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;

namespace CocoTools.Commands
{
    /// <summary>New-CocoDataset: an empty dataset with info, licences and categories filled from parameters.</summary>
    [Cmdlet(VerbsCommon.New, "CocoDataset")]
    [OutputType(typeof(CocoDataset))]
    public sealed class NewCocoDatasetCommand : CocoCmdletBase
    {
        /// <summary>info.description.</summary>
        [Parameter(Position = 0)]
        public string? Description { get; set; }

        /// <summary>info.version.</summary>
        [Parameter]
        public string? Version { get; set; }

        /// <summary>info.contributor.</summary>
        [Parameter]
        public string? Contributor { get; set; }

        /// <summary>info.url.</summary>
        [Parameter]
        public string? Url { get; set; }

        /// <summary>info.year.</summary>
        [Parameter]
        [ValidateRange(1, 9999)]
        public int Year { get; set; }

        /// <summary>info.date_created.</summary>
        [Parameter]
        public string? DateCreated { get; set; }

        /// <summary>Category names, or hashtables with name, id, supercategory, keypoints, skeleton, isthing, color.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Category { get; set; }

        /// <summary>Licences as hashtables with id, name, url.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public Hashtable[]? License { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var dataset = new CocoDataset();
            dataset.Info.Description = Description;
            dataset.Info.Version = Version;
            dataset.Info.Contributor = Contributor;
            dataset.Info.Url = Url;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Year)))
            {
                dataset.Info.Year = Year;
            }

            dataset.Info.DateCreated = DateCreated;
            try
            {
                foreach (var spec in License ?? new Hashtable[0])
                {
                    dataset.Licenses.Add(CocoDatasetFactory.CreateLicense((IDictionary)PSValue.Unwrap(spec)!, dataset.Licenses));
                }

                foreach (var spec in Category ?? new object[0])
                {
                    var plain = PSValue.Unwrap(spec) ?? throw new CocoToolsException("CategoryNameMissing", FailureKind.InvalidArgument, "A category cannot be null.");
                    dataset.Categories.Add(CocoDatasetFactory.CreateCategory(plain, dataset.Categories));
                }
            }
            catch (CocoToolsException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, e.Target));
            }

            WriteObject(dataset);
        }
    }
}
