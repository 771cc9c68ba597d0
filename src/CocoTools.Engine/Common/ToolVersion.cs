using System.Reflection;

namespace CocoTools.Engine
{
    /// <summary>The version of CocoTools: the module manifest's ModuleVersion, which the build stamps into every assembly.</summary>
    public static class ToolVersion
    {
        /// <summary>major.minor.patch, without build metadata.</summary>
        public static string Current { get; } = Read();

        /// <summary>"CocoTools major.minor.patch", as written into a COCO file's info when asked.</summary>
        public static string Generator => "CocoTools " + Current;

        private static string Read()
        {
            string? informational = typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            string version = informational ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            int plus = version.IndexOf('+');
            return plus >= 0 ? version.Substring(0, plus) : version;
        }
    }
}
