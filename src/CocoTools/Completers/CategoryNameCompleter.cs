using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;

namespace CocoTools.Completers
{
    /// <summary>
    /// Completes category names from the dataset already on the command line (-Dataset or -InputObject, when it is a
    /// variable), else from the COCO file given with -Path or -LiteralPath.
    /// </summary>
    public sealed class CategoryNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var dataset = DatasetFrom(fakeBoundParameters, "Dataset") ?? DatasetFrom(fakeBoundParameters, "InputObject") ?? DatasetFromFile(fakeBoundParameters);
            if (dataset == null)
            {
                return Enumerable.Empty<CompletionResult>();
            }

            return dataset.Categories
                .Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(c => c.Name)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '\'', '"', ',', ';', '(', ')', '$', '@', '{', '}' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n, n, CompletionResultType.ParameterValue, n));
        }

        private static CocoDataset? DatasetFrom(IDictionary bound, string name) =>
            bound.Contains(name) ? (bound[name] is PSObject pso ? pso.BaseObject : bound[name]) as CocoDataset : null;

        private static CocoDataset? DatasetFromFile(IDictionary bound)
        {
            foreach (var name in new[] { "LiteralPath", "Path" })
            {
                if (bound.Contains(name) && LooseFirst(bound[name]) is string path && File.Exists(path))
                {
                    try
                    {
                        return CocoJsonReader.ReadFile(path);
                    }
                    catch (Engine.CocoToolsException)
                    {
                        return null;
                    }
                }
            }

            return null;
        }

        private static string? LooseFirst(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
        {
            string s => s,
            IEnumerable e => e.Cast<object>().Select(o => o?.ToString()).FirstOrDefault(),
            _ => null,
        };
    }
}
