using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Tests.Support;
using CocoTools.Fuzz;
using Xunit;

namespace CocoTools.Engine.Tests.Fuzz
{
    /// <summary>Tests that change <see cref="InputLimits"/> run alone: the limits are process-wide.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class InputLimitsCollection
    {
        public const string Name = "InputLimits";
    }

    /// <summary>
    /// Replays every committed fuzz input (the seed corpora under fuzz/corpus and every input that ever broke a target,
    /// under tests/fixtures/fuzz-crashes) through the same targets afl-fuzz runs, without afl: each must end in a
    /// result or a CocoToolsException, within the stated memory (see <see cref="FuzzTargets"/>).
    /// </summary>
    [Collection(InputLimitsCollection.Name)]
    public class FuzzReplayTests
    {
        public static IEnumerable<object[]> Inputs()
        {
            foreach (var folder in new[] { Path.Combine(TestPaths.RepoRoot, "fuzz", "corpus"), Path.Combine(TestPaths.Fixtures, "fuzz-crashes") })
            {
                foreach (var target in FuzzTargets.Targets.Keys)
                {
                    string dir = Path.Combine(folder, target);
                    if (!Directory.Exists(dir))
                    {
                        continue;
                    }

                    foreach (var file in Directory.GetFiles(dir).Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith(".", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal))
                    {
                        yield return new object[] { target, Path.GetRelativePath(TestPaths.RepoRoot, file) };
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(Inputs))]
        public void Every_committed_input_ends_in_a_result_or_the_modules_own_error(string target, string file)
        {
            var saved = (InputLimits.MaxImagePixels, InputLimits.MaxInflatedBytes, InputLimits.MaxCsvFieldChars);
            FuzzTargets.UseFuzzLimits();
            try
            {
                FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, file)));
            }
            catch (Exception e) when (!(e is CocoToolsException))
            {
                throw new Xunit.Sdk.XunitException($"{target} on {file}: {e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
            }
            finally
            {
                (InputLimits.MaxImagePixels, InputLimits.MaxInflatedBytes, InputLimits.MaxCsvFieldChars) = saved;
            }
        }

        [Fact]
        public void Every_target_has_a_seed_corpus()
        {
            foreach (var target in FuzzTargets.Targets.Keys)
            {
                Assert.True(Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "fuzz", "corpus", target)).Any(), $"fuzz/corpus/{target} is empty");
            }
        }
    }
}
