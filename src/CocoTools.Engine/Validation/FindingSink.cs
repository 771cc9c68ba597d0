using System;
using System.Collections.Generic;
using System.Linq;

namespace CocoTools.Engine.Validation
{
    /// <summary>
    /// Collects the findings of one file: applies the rule selection and minimum severity, lists at most
    /// <see cref="CocoValidationOptions.MaxFindingsPerRule"/> per rule and counts the rest. Messages are built only
    /// for findings that will be listed.
    /// </summary>
    internal sealed class FindingSink
    {
        private readonly string? _file;
        private readonly CocoValidationOptions _options;
        private readonly HashSet<string>? _only;
        private readonly HashSet<string> _excluded;
        private readonly Dictionary<CocoRule, int> _counts = new Dictionary<CocoRule, int>();
        private readonly List<CocoFinding> _listed = new List<CocoFinding>();

        public FindingSink(string? file, CocoValidationOptions options)
        {
            _file = file;
            _options = options;
            _only = options.Rules == null ? null : new HashSet<string>(options.Rules.Select(Resolve), StringComparer.Ordinal);
            _excluded = new HashSet<string>((options.ExcludeRules ?? Array.Empty<string>()).Select(Resolve), StringComparer.Ordinal);
        }

        /// <summary>True when findings of this rule are wanted at all (so callers can skip the work of checking it).</summary>
        public bool Wants(CocoRule rule) =>
            rule.Severity >= _options.MinimumSeverity && (_only == null || _only.Contains(rule.Id)) && !_excluded.Contains(rule.Id);

        /// <summary>Reports a finding; the pointer and message are built only when it will be listed. Returns it when listed.</summary>
        public CocoFinding? Add(CocoRule rule, Func<string> pointer, Func<string> message)
        {
            if (!Wants(rule))
            {
                return null;
            }

            _counts.TryGetValue(rule, out int count);
            _counts[rule] = count + 1;
            if (count >= _options.MaxFindingsPerRule)
            {
                return null;
            }

            var finding = new CocoFinding(_file, rule, pointer(), message());
            _listed.Add(finding);
            return finding;
        }

        /// <summary>Reports a finding whose pointer and message are at hand.</summary>
        public CocoFinding? Add(CocoRule rule, string pointer, string message) => Add(rule, () => pointer, () => message);

        /// <summary>True when an Error finding was reported (listed or counted).</summary>
        public bool HasErrors => _counts.Keys.Any(r => r.Severity == FindingSeverity.Error);

        /// <summary>The listed findings in document order, then one summary per rule that had more.</summary>
        public IReadOnlyList<CocoFinding> Finish()
        {
            var result = _listed.ToList();
            foreach (var pair in _counts.OrderBy(p => p.Key.Id, StringComparer.Ordinal))
            {
                int omitted = pair.Value - _options.MaxFindingsPerRule;
                if (omitted > 0)
                {
                    result.Add(new CocoFinding(_file, CocoRules.MoreFindings, string.Empty,
                        $"{omitted} more {pair.Key.Id} {pair.Key.Name} findings ({pair.Value} in all) are not listed; -Rule {pair.Key.Id} -MaxPerRule lists more.")
                    { Omitted = omitted });
                }
            }

            return result;
        }

        private static string Resolve(string idOrName) => CocoRules.Find(idOrName)?.Id ?? idOrName.ToUpperInvariant();
    }
}
