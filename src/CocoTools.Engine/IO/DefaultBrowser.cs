using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace CocoTools.Engine.IO
{
    /// <summary>Opens a local file in the user's default browser, without waiting for it.</summary>
    public static class DefaultBrowser
    {
        /// <summary>
        /// Starts the default browser on <paramref name="path"/>; false, with nothing started, where there is no
        /// desktop to show it on (Linux without DISPLAY or WAYLAND_DISPLAY, as on servers and in CI) or no opener.
        /// </summary>
        public static bool TryOpen(string path)
        {
            ProcessStartInfo start;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                start = new ProcessStartInfo(path) { UseShellExecute = true };
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                start = new ProcessStartInfo("open", Quote(path)) { UseShellExecute = false };
            }
            else
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
                {
                    return false;
                }

                start = new ProcessStartInfo("xdg-open", Quote(path)) { UseShellExecute = false };
            }

            start.RedirectStandardOutput = !start.UseShellExecute;
            start.RedirectStandardError = !start.UseShellExecute;
            try
            {
                using var process = Process.Start(start);
                return process != null;
            }
            catch (Exception e) when (e is Win32Exception || e is FileNotFoundException || e is InvalidOperationException)
            {
                return false;
            }
        }

        private static string Quote(string path) => "\"" + path.Replace("\"", "\\\"") + "\"";
    }
}
