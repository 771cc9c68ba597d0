using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CocoTools.Engine.Validation;

namespace CocoTools.Completers
{
    /// <summary>Completes Test-CocoFile rule ids (COCO1401) from their id or name (BboxSize), with the rule's title as tooltip.</summary>
    public sealed class RuleIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return CocoRules.All
                .Where(r => r.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || r.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(r => new CompletionResult(r.Id, $"{r.Id} {r.Name}", CompletionResultType.ParameterValue, $"{r.Severity}: {r.Title}"));
        }
    }
}
