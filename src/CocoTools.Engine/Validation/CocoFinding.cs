namespace CocoTools.Engine.Validation
{
    /// <summary>How much a finding matters.</summary>
    public enum FindingSeverity
    {
        /// <summary>Worth knowing; nothing breaks.</summary>
        Info,
        /// <summary>Loads, but is probably wrong or breaks some trainers.</summary>
        Warning,
        /// <summary>Not valid COCO: a consumer fails or computes the wrong thing.</summary>
        Error,
    }

    /// <summary>One problem found in a COCO file, located as precisely as the file allows.</summary>
    public sealed class CocoFinding
    {
        /// <summary>Creates a finding.</summary>
        public CocoFinding(string? file, CocoRule rule, string pointer, string message)
        {
            File = file;
            Rule = rule;
            Pointer = pointer;
            Message = message;
        }

        /// <summary>The file, or null for a dataset in memory.</summary>
        public string? File { get; }

        /// <summary>The rule broken.</summary>
        public CocoRule Rule { get; }

        /// <summary>The stable rule id, such as <c>COCO1401</c>.</summary>
        public string RuleId => Rule.Id;

        /// <summary>How much it matters.</summary>
        public FindingSeverity Severity => Rule.Severity;

        /// <summary>Where, as a JSON pointer (<c>/annotations/17/bbox/2</c>); empty for the whole document.</summary>
        public string Pointer { get; }

        /// <summary>1-based line, when known.</summary>
        public int? Line { get; internal set; }

        /// <summary>1-based character column, when known.</summary>
        public int? Column { get; internal set; }

        /// <summary>What is wrong.</summary>
        public string Message { get; }

        /// <summary>How to fix it, when there is a known way.</summary>
        public string? Hint => Rule.Hint;

        /// <summary>For a summary finding: how many more findings of its rule were not listed.</summary>
        public int Omitted { get; internal set; }

        /// <summary>"file:line:column at pointer: [rule] message".</summary>
        public override string ToString()
        {
            string where = File ?? "<dataset>";
            if (Line != null)
            {
                where += $":{Line}:{Column}";
            }

            if (Pointer.Length > 0)
            {
                where += $" at {Pointer}";
            }

            return $"{where}: {Severity} {RuleId} {Message}";
        }
    }
}
