using System.Linq;
using System.Management.Automation;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>Get-CocoCategory: the categories of a dataset, by name (wildcards) or id.</summary>
    [Cmdlet(VerbsCommon.Get, "CocoCategory", DefaultParameterSetName = DatasetSet)]
    [OutputType(typeof(CocoCategory))]
    public sealed class GetCocoCategoryCommand : DatasetInputCommandBase
    {
        /// <summary>Category names (wildcards).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completers.CategoryNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Category ids.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public long[]? Id { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var dataset in InputDatasets())
            {
                foreach (var category in DatasetQuery.Categories(dataset, Name, Id).ToList())
                {
                    WriteObject(category);
                }
            }
        }
    }
}
