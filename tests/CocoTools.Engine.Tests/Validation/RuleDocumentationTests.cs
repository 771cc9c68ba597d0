using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CocoTools.Engine.Tests.Support;
using CocoTools.Engine.Validation;
using Xunit;

namespace CocoTools.Engine.Tests.Validation
{
    /// <summary>The examples of docs/Test-CocoFile-rules.md are tests: each failing block fails its rule, each passing block passes.</summary>
    public class RuleDocumentationTests
    {
        private static readonly Lazy<Dictionary<string, (string? Failing, string? Passing)>> Examples = new Lazy<Dictionary<string, (string?, string?)>>(() =>
        {
            string doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "Test-CocoFile-rules.md"));
            var result = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
            foreach (Match section in Regex.Matches(doc, @"^## (COCO\d{4}) (\w+)\s*$(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline))
            {
                string body = section.Groups[3].Value;
                string? Block(string tag) => Regex.Match(body, "```json " + tag + @"\n(.*?)\n```", RegexOptions.Singleline) is { Success: true } m ? m.Groups[1].Value : null;
                result[section.Groups[1].Value] = (Block("failing"), Block("passing"));
            }

            return result;
        });

        /// <summary>Rules whose examples need files beside the JSON; ValidatorTests covers them.</summary>
        private static readonly string[] TestedWithFiles = { "COCO2002", "COCO2201", "COCO2301", "COCO2302", "COCO9001" };

        public static IEnumerable<object[]> RuleIds() => CocoRules.All.Select(r => new object[] { r.Id });

        public static IEnumerable<object[]> RuleIdsWithExamples() => CocoRules.All.Where(r => !TestedWithFiles.Contains(r.Id)).Select(r => new object[] { r.Id });

        private static IReadOnlyList<CocoFinding> Validate(string json) =>
            CocoValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(json)), "example.json", new CocoValidationOptions());

        [Theory]
        [MemberData(nameof(RuleIds))]
        public void Every_rule_is_documented_with_its_name(string id)
        {
            var rule = CocoRules.Find(id)!;
            Assert.True(Examples.Value.ContainsKey(id), $"{id} has no section in docs/Test-CocoFile-rules.md");
            string doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "Test-CocoFile-rules.md"));
            Assert.Contains($"## {id} {rule.Name}\n\n{rule.Severity}.", doc);
        }

        [Theory]
        [MemberData(nameof(RuleIdsWithExamples))]
        public void The_failing_example_fails_its_rule(string id)
        {
            var (failing, _) = Examples.Value[id];
            Assert.False(failing == null, $"{id} has no failing example");
            var findings = Validate(failing!);
            Assert.Contains(findings, f => f.RuleId == id);
        }

        [Theory]
        [MemberData(nameof(RuleIdsWithExamples))]
        public void The_passing_example_passes_cleanly(string id)
        {
            var (_, passing) = Examples.Value[id];
            Assert.False(passing == null, $"{id} has no passing example");
            var findings = Validate(passing!);
            Assert.DoesNotContain(findings, f => f.RuleId == id);
            Assert.Empty(findings.Where(f => f.Severity >= FindingSeverity.Warning).Select(f => f.ToString()));
        }
    }
}
