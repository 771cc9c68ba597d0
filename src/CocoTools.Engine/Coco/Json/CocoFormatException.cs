namespace CocoTools.Engine.Coco.Json
{
    /// <summary>A COCO file is malformed: JSON syntax, a wrong type, or a broken reference. Carries the location.</summary>
    public sealed class CocoFormatException : CocoToolsException
    {
        /// <summary>Creates the exception; the message is built from the parts so every error reads the same way.</summary>
        public CocoFormatException(string errorId, string problem, string? sourcePath, string? jsonPointer, int? line, int? column, System.Exception? inner = null)
            : base(errorId, FailureKind.InvalidData, Compose(problem, sourcePath, jsonPointer, line, column), inner)
        {
            Problem = problem;
            SourcePath = sourcePath;
            JsonPointer = jsonPointer;
            Line = line;
            Column = column;
        }

        /// <summary>The problem alone, without the location.</summary>
        public string Problem { get; }

        /// <summary>Where in the document, as a JSON pointer such as <c>/annotations/17/bbox/2</c>.</summary>
        public string? JsonPointer { get; }

        /// <summary>1-based line, when known.</summary>
        public int? Line { get; }

        /// <summary>1-based character column, when known.</summary>
        public int? Column { get; }

        private static string Compose(string problem, string? path, string? pointer, int? line, int? column)
        {
            var where = path ?? "<stream>";
            if (line != null)
            {
                where += $":{line}:{column}";
            }

            if (!string.IsNullOrEmpty(pointer))
            {
                where += $" at {pointer}";
            }

            return $"{where}: {problem}";
        }
    }
}
