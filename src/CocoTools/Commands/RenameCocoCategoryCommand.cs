using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>Rename-CocoCategory: renames a category of a dataset, or merges it into one of the new name with -Merge.</summary>
    [Cmdlet(VerbsCommon.Rename, "CocoCategory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CocoCategory))]
    public sealed class RenameCocoCategoryCommand : CocoCmdletBase
    {
        /// <summary>The dataset.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>The category's current name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.CategoryNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary>Its new name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string NewName { get; set; } = string.Empty;

        /// <summary>When a category of the new name exists, move this one's annotations into it and remove this one.</summary>
        [Parameter]
        public SwitchParameter Merge { get; set; }

        /// <summary>Emit the category that carries the new name.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null || !ShouldProcess($"category '{Name}' of {InputObject}", $"Rename to '{NewName}'{(Merge ? " (merging into an existing one)" : string.Empty)}"))
            {
                return;
            }

            try
            {
                var category = DatasetEdits.RenameCategory(InputObject, Name, NewName, Merge);
                if (PassThru)
                {
                    WriteObject(category);
                }
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, Name);
            }
        }
    }
}
