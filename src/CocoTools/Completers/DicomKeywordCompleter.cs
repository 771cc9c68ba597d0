using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CocoTools.Engine.Dicom;

namespace CocoTools.Completers
{
    /// <summary>Completes DICOM keywords (PatientAge, SliceThickness ...) for -IncludeTag from the data dictionary.</summary>
    public sealed class DicomKeywordCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return DicomKeywords.All
                .Where(k => k.Keyword.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(k => k.Keyword, StringComparer.OrdinalIgnoreCase)
                .Take(200)
                .Select(k => new CompletionResult(k.Keyword, k.Keyword, CompletionResultType.ParameterValue, $"{k.Keyword} {k.Tag} {k.VR}"));
        }
    }
}
