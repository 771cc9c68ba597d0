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
    /// Completes category names from the dataset the command works on: -Dataset or -InputObject when bound, else the
    /// dataset piped in (a variable, or Import-CocoJson of a file), else the COCO file given with -Path or -LiteralPath.
    /// </summary>
    public sealed class CategoryNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var dataset = DatasetFrom(fakeBoundParameters, "Dataset") ?? DatasetFrom(fakeBoundParameters, "InputObject")
                ?? DatasetPipedInto(commandAst) ?? DatasetFromFile(PathFrom(fakeBoundParameters));
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

        /// <summary>The dataset of the pipeline element before this command: <c>$ds | ...</c> or <c>Import-CocoJson x.json | ...</c>.</summary>
        private static CocoDataset? DatasetPipedInto(CommandAst command)
        {
            if (command.Parent is not PipelineAst pipeline)
            {
                return null;
            }

            int index = pipeline.PipelineElements.IndexOf(command);
            if (index < 1)
            {
                return null;
            }

            switch (pipeline.PipelineElements[index - 1])
            {
                case CommandExpressionAst { Expression: VariableExpressionAst variable }:
                    // A completer runs inside a pipeline, where SessionStateProxy refuses calls; a script block may look.
                    var value = Evaluate("param($name) Get-Variable -Name $name -ValueOnly -ErrorAction Ignore", variable.VariablePath.UserPath.Substring(variable.VariablePath.UserPath.IndexOf(':') + 1));
                    return (value is PSObject pso ? pso.BaseObject : value) as CocoDataset;
                case CommandAst previous when string.Equals(previous.GetCommandName(), "Import-CocoJson", StringComparison.OrdinalIgnoreCase):
                    var path = previous.CommandElements.Skip(1).OfType<StringConstantExpressionAst>().FirstOrDefault(e => e.StringConstantType != StringConstantType.BareWord || !e.Value.StartsWith("-", StringComparison.Ordinal));
                    return DatasetFromFile(path?.Value);
                default:
                    return null;
            }
        }

        private static string? PathFrom(IDictionary bound)
        {
            foreach (var name in new[] { "LiteralPath", "Path" })
            {
                if (bound.Contains(name) && LooseFirst(bound[name]) is string path)
                {
                    return path;
                }
            }

            return null;
        }

        /// <summary>Reads a COCO file named relative to the current location; null when it cannot be read.</summary>
        private static CocoDataset? DatasetFromFile(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            try
            {
                string full = Evaluate("param($path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)", path!) as string ?? path!;
                return File.Exists(full) ? CocoJsonReader.ReadFile(full) : null;
            }
            catch (Exception e) when (e is Engine.CocoToolsException || e is IOException || e is UnauthorizedAccessException || e is ItemNotFoundException || e is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>Runs a small script in the session the completion is for; null when it fails.</summary>
        private static object? Evaluate(string script, string argument)
        {
            try
            {
                var result = ScriptBlock.Create(script).Invoke(argument);
                return result.Count == 1 ? result[0]?.BaseObject : null;
            }
            catch (RuntimeException)
            {
                return null;
            }
        }

        private static string? LooseFirst(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
        {
            string s => s,
            IEnumerable e => e.Cast<object>().Select(o => o?.ToString()).FirstOrDefault(),
            _ => null,
        };
    }
}
