using System.Management.Automation;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>Get-CocoStatistic: counts per category, modality and study, size buckets and more, with a text histogram.</summary>
    [Cmdlet(VerbsCommon.Get, "CocoStatistic", DefaultParameterSetName = DatasetSet)]
    [OutputType(typeof(CocoStatistics))]
    public sealed class GetCocoStatisticCommand : DatasetInputCommandBase
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var dataset in InputDatasets())
            {
                WriteObject(CocoStatistics.Of(dataset));
            }
        }
    }
}
