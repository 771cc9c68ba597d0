using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using CocoTools.Engine;

namespace CocoTools.Commands
{
    /// <summary>
    /// What every CocoTools cmdlet shares: engine errors turned into ErrorRecords with stable ids and the
    /// right category, file-system path resolution against $PWD, and throttled progress.
    /// </summary>
    public abstract class CocoCmdletBase : PSCmdlet
    {
        /// <summary>Maps the engine's failure kinds onto PowerShell's error categories.</summary>
        protected static ErrorCategory CategoryOf(FailureKind kind) => kind switch
        {
            FailureKind.InvalidData => ErrorCategory.InvalidData,
            FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
            FailureKind.NotImplemented => ErrorCategory.NotImplemented,
            FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            FailureKind.ResourceExists => ErrorCategory.ResourceExists,
            FailureKind.WriteError => ErrorCategory.WriteError,
            FailureKind.ReadError => ErrorCategory.ReadError,
            FailureKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>An ErrorRecord for an engine exception; the target is the file or the item the error is about.</summary>
        protected static ErrorRecord ToErrorRecord(CocoToolsException e, object? target) =>
            new ErrorRecord(e, e.ErrorId, CategoryOf(e.Kind), e.Target ?? target);

        /// <summary>Reports a per-item failure and lets the batch go on (unless -ErrorAction Stop).</summary>
        protected void WriteItemError(CocoToolsException e, object? target) => WriteError(ToErrorRecord(e, target));

        /// <summary>Reports a per-item failure built here in the cmdlet.</summary>
        protected void WriteItemError(string errorId, ErrorCategory category, string message, object? target) =>
            WriteError(new ErrorRecord(new InvalidOperationException(message), errorId, category, target));

        /// <summary>
        /// The shard -Shard names ("i/n"), else that of a Slurm job array or Kubernetes Indexed Job, else null (one
        /// rule, <see cref="Engine.Operations.ShardSpec"/>, for every command that shards); terminating when invalid.
        /// </summary>
        protected Engine.Operations.ShardSpec? ResolveShard(string? shard)
        {
            var (spec, error, message) = Engine.Operations.ShardSpec.Resolve(shard, Environment.GetEnvironmentVariable);
            if (error != Engine.Operations.ShardError.None)
            {
                ThrowParameterError(error.ToString(), message!, shard);
            }

            if (spec != null)
            {
                WriteVerbose($"Taking shard {spec} (by StudyInstanceUID) from {spec.Origin}.");
            }

            return spec;
        }

        /// <summary>Stops the command before any work: for bad parameters.</summary>
        protected void ThrowParameterError(string errorId, string message, object? target) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target));

        /// <summary>
        /// Resolves -Path (wildcards) or -LiteralPath values to existing file-system paths. A path that matches
        /// nothing, or is not on the file system, is a non-terminating error naming it.
        /// </summary>
        protected IEnumerable<string> ResolveExistingPaths(IEnumerable<string> paths, bool literal)
        {
            foreach (var path in paths)
            {
                var resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                        if (provider.Name != "FileSystem")
                        {
                            WriteItemError("NotAFileSystemPath", ErrorCategory.InvalidArgument, $"{path} is not a file-system path.", path);
                            continue;
                        }

                        // One stat answers both "does it exist" and "is it a folder".
                        if (!PathExists(full))
                        {
                            WriteItemError("PathNotFound", ErrorCategory.ObjectNotFound, $"Cannot find path '{path}' because it does not exist.", path);
                            continue;
                        }

                        resolved.Add(full);
                    }
                    else
                    {
                        var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                        if (provider.Name != "FileSystem")
                        {
                            WriteItemError("NotAFileSystemPath", ErrorCategory.InvalidArgument, $"{path} is not a file-system path.", path);
                            continue;
                        }

                        resolved.AddRange(matches);
                    }
                }
                catch (ItemNotFoundException)
                {
                    WriteItemError("PathNotFound", ErrorCategory.ObjectNotFound, $"Cannot find path '{path}' because it does not exist.", path);
                    continue;
                }
                catch (Exception e) when (e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ArgumentException)
                {
                    WriteItemError("PathNotFound", ErrorCategory.ObjectNotFound, $"Cannot resolve path '{path}': {e.Message}", path);
                    continue;
                }

                foreach (var p in resolved)
                {
                    yield return p;
                }
            }
        }

        private static bool PathExists(string path)
        {
            try
            {
                File.GetAttributes(path);
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return false;
            }
        }

        /// <summary>Resolves an output path (which need not exist) against $PWD; terminating when it is not a file-system path.</summary>
        protected string ResolveOutputPath(string path)
        {
            string full;
            ProviderInfo provider;
            try
            {
                full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ArgumentException || e is NotSupportedException)
            {
                ThrowParameterError("InvalidOutputPath", $"Cannot use '{path}' as an output path: {e.Message}", path);
                throw;
            }

            if (provider.Name != "FileSystem")
            {
                ThrowParameterError("NotAFileSystemPath", $"{path} is not a file-system path.", path);
            }

            return full;
        }
    }
}
