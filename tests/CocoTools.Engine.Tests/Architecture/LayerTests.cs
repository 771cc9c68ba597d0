using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Xunit;

namespace CocoTools.Engine.Tests.Architecture
{
    /// <summary>
    /// The engine's layers point one way (ARCHITECTURE.md). Every type reference in the compiled assemblies is
    /// checked (signatures, fields, base types, attributes, local variables and every IL operand), so a layer that
    /// points up fails here however the reference is spelled. A folder that does not exist yet has no types and passes.
    /// </summary>
    public class LayerTests
    {
        private const string Engine = "CocoTools.Engine";

        /// <summary>What each engine folder (namespace) must never reference. The root namespace is Common/.</summary>
        private static readonly Dictionary<string, string[]> Forbidden = new Dictionary<string, string[]>
        {
            ["Common"] = new[] { "Coco", "Masks", "Dicom", "Pixels", "Imaging", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["IO"] = new[] { "Coco", "Masks", "Dicom", "Pixels", "Imaging", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["Masks"] = new[] { "Coco", "Dicom", "Pixels", "Imaging", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["Dicom"] = new[] { "Coco", "Masks", "Pixels", "Imaging", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["Pixels"] = new[] { "Coco", "Imaging", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["Imaging"] = new[] { "Coco", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["DicomObjects"] = new[] { "Coco", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["DicomWeb"] = new[] { "Coco", "Tabular", "Validation", "Operations" },
            ["Tabular"] = new[] { "Coco", "Dicom", "Pixels", "Imaging", "DicomObjects", "DicomWeb", "Validation", "Operations" },
            ["Coco"] = new[] { "Masks", "Dicom", "Pixels", "Imaging", "DicomObjects", "DicomWeb", "Tabular", "Validation", "Operations" },
            ["Validation"] = new[] { "DicomObjects", "DicomWeb", "Tabular", "Operations" },
            ["Operations"] = Array.Empty<string>(),
        };

        // The engine and cmdlets are built for netstandard2.0, net8.0 and net10.0 from the same sources (only the
        // netstandard2.0 polyfills in System.* differ); this test project (net10.0) references, and so reads, the net10.0 build.
        private static readonly Lazy<ModuleDefinition> EngineModule = new Lazy<ModuleDefinition>(() =>
            ModuleDefinition.ReadModule(typeof(CocoTools.Engine.Coco.CocoDataset).Assembly.Location));

        private static readonly Lazy<ModuleDefinition> CmdletModule = new Lazy<ModuleDefinition>(() =>
            ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "CocoTools.dll")));

        [Fact]
        public void Reads_the_net10_build_of_both_assemblies()
        {
            foreach (var module in new[] { EngineModule.Value, CmdletModule.Value })
            {
                var framework = module.Assembly.CustomAttributes
                    .Single(a => a.AttributeType.FullName == "System.Runtime.Versioning.TargetFrameworkAttribute")
                    .ConstructorArguments[0].Value;
                Assert.Equal(".NETCoreApp,Version=v10.0", framework);
            }
        }

        [Fact]
        public void Every_engine_namespace_is_a_known_layer()
        {
            var unknown = EngineModule.Value.Types
                .Select(t => t.Namespace)
                .Where(ns => ns.StartsWith(Engine, StringComparison.Ordinal))
                .Select(LayerOf)
                .Where(layer => layer != null && !Forbidden.ContainsKey(layer))
                .Distinct()
                .ToList();
            Assert.True(unknown.Count == 0, "Engine folders without a layer rule in LayerTests and ARCHITECTURE.md: " + string.Join(", ", unknown));
        }

        [Fact]
        public void Engine_layers_point_one_way()
        {
            var violations = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var type in AllTypes(EngineModule.Value))
            {
                string? from = LayerOf(OuterMost(type).Namespace);
                if (from == null || !Forbidden.TryGetValue(from, out var forbidden))
                {
                    continue;
                }

                foreach (var (site, target) in References(type))
                {
                    // Types of this assembly are definitions; the namespace alone would also match another assembly's.
                    string? to = target is TypeDefinition ? LayerOf(OuterMost(target).Namespace) : null;
                    if (to != null && forbidden.Contains(to))
                    {
                        violations.Add($"{from} -> {to}: {site} uses {target.FullName}");
                    }
                }
            }

            Assert.True(violations.Count == 0, "Layer violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void The_engine_never_references_PowerShell()
        {
            var module = EngineModule.Value;
            Assert.DoesNotContain(module.AssemblyReferences, r => r.Name == "System.Management.Automation");
            var uses = AllTypes(module).SelectMany(References)
                .Where(r => r.Target.Namespace.StartsWith("System.Management.Automation", StringComparison.Ordinal))
                .Select(r => r.Site + " uses " + r.Target.FullName)
                .Distinct()
                .ToList();
            Assert.True(uses.Count == 0, string.Join("\n", uses));
        }

        [Fact]
        public void Only_the_tests_see_engine_internals()
        {
            var friends = EngineModule.Value.Assembly.CustomAttributes
                .Where(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.InternalsVisibleToAttribute")
                .Select(a => (string)a.ConstructorArguments[0].Value)
                .ToList();
            // Tests and the bench (which compares internal writers on the same pixels) may; nothing that ships may.
            Assert.All(friends, f => Assert.True(f.Split(',')[0].EndsWith(".Tests", StringComparison.Ordinal) || f.Split(',')[0] == "CocoTools.Bench", f + " sees engine internals"));
        }

        [Fact]
        public void Cmdlets_use_only_public_engine_api()
        {
            var cmdlets = CmdletModule.Value;
            Assert.Contains(cmdlets.AssemblyReferences, r => r.Name == Engine);
            var engine = EngineModule.Value;
            var internals = new SortedSet<string>(StringComparer.Ordinal);
            int engineUses = 0;
            foreach (var type in AllTypes(cmdlets))
            {
                foreach (var (site, target) in References(type))
                {
                    if (target.Scope.Name != Engine)
                    {
                        continue;
                    }

                    engineUses++;
                    var def = engine.GetType(target.FullName);
                    if (def == null || !IsVisible(def))
                    {
                        internals.Add($"{site} uses {target.FullName}");
                    }
                }
            }

            Assert.True(engineUses > 0, "the cmdlet assembly was read but no engine use was found: the walker is broken");
            Assert.True(internals.Count == 0, "Cmdlets using engine internals:\n" + string.Join("\n", internals));
        }

        [Fact]
        public void Every_type_the_format_and_type_files_name_exists()
        {
            // A type moved to another folder changes its full name; its table view must follow it.
            var names = new[] { "CocoTools.format.ps1xml", "CocoTools.types.ps1xml" }
                .Select(f => System.Xml.Linq.XDocument.Load(Path.Combine(Support.TestPaths.RepoRoot, "src", "CocoTools", f)))
                .SelectMany(d => d.Descendants().Where(e => e.Name.LocalName == "TypeName" || (e.Name.LocalName == "Name" && e.Parent?.Name.LocalName == "Type")))
                .Select(e => e.Value.Trim())
                .Where(n => n.StartsWith("CocoTools.", StringComparison.Ordinal))
                .Distinct()
                .ToList();
            Assert.NotEmpty(names);
            var missing = names.Where(n => EngineModule.Value.GetType(n) == null && CmdletModule.Value.GetType(n) == null).ToList();
            Assert.True(missing.Count == 0, "Named in the .ps1xml files but not a type: " + string.Join(", ", missing));
        }

        [Fact]
        public void The_walker_sees_references_inside_method_bodies()
        {
            // BodyOnlyProbe names CocoDataset only in an IL operand (a 'new' in a method body), so the layer test
            // cannot pass by looking at signatures alone.
            var tests = ModuleDefinition.ReadModule(typeof(LayerTests).Assembly.Location);
            var probe = tests.GetType(typeof(LayerTests).FullName).NestedTypes.Single(t => t.Name == nameof(BodyOnlyProbe));
            Assert.Contains(References(probe), r => r.Target.FullName == typeof(CocoTools.Engine.Coco.CocoDataset).FullName);
        }

        private static class BodyOnlyProbe
        {
            public static int Count() => new CocoTools.Engine.Coco.CocoDataset().Images.Count;
        }

        private static bool IsVisible(TypeDefinition t) =>
            t.IsPublic || (t.IsNestedPublic && IsVisible(t.DeclaringType));

        /// <summary>The layer of an engine namespace: its first part under CocoTools.Engine, "Common" for the root.</summary>
        private static string? LayerOf(string ns)
        {
            if (ns == Engine)
            {
                return "Common";
            }

            if (!ns.StartsWith(Engine + ".", StringComparison.Ordinal))
            {
                return null;
            }

            string rest = ns.Substring(Engine.Length + 1);
            int dot = rest.IndexOf('.');
            return dot < 0 ? rest : rest.Substring(0, dot);
        }

        private static TypeReference OuterMost(TypeReference t)
        {
            while (t.DeclaringType != null)
            {
                t = t.DeclaringType;
            }

            return t;
        }

        private static IEnumerable<TypeDefinition> AllTypes(ModuleDefinition module)
        {
            var stack = new Stack<TypeDefinition>(module.Types);
            while (stack.Count > 0)
            {
                var t = stack.Pop();
                yield return t;
                foreach (var n in t.NestedTypes)
                {
                    stack.Push(n);
                }
            }
        }

        /// <summary>Every type a type definition names: base, interfaces, attributes, fields, properties,
        /// method signatures, locals and IL operands (types, members' declaring types and signatures).</summary>
        private static IEnumerable<(string Site, TypeReference Target)> References(TypeDefinition type)
        {
            var found = new List<(string, TypeReference)>();
            void Add(string site, TypeReference? t)
            {
                if (t == null)
                {
                    return;
                }

                switch (t)
                {
                    case GenericInstanceType g:
                        Add(site, g.ElementType);
                        foreach (var a in g.GenericArguments)
                        {
                            Add(site, a);
                        }

                        return;
                    case TypeSpecification s:
                        Add(site, s.ElementType);
                        return;
                    case GenericParameter _:
                        return;
                }

                found.Add((site, t));
            }

            void AddAttributes(string site, ICustomAttributeProvider p)
            {
                foreach (var a in p.CustomAttributes)
                {
                    Add(site, a.AttributeType);
                }
            }

            void AddMember(string site, MemberReference m)
            {
                switch (m)
                {
                    case TypeReference t:
                        Add(site, t);
                        break;
                    case MethodReference mr:
                        Add(site, mr.DeclaringType);
                        Add(site, mr.ReturnType);
                        foreach (var p in mr.Parameters)
                        {
                            Add(site, p.ParameterType);
                        }

                        if (mr is GenericInstanceMethod gm)
                        {
                            foreach (var a in gm.GenericArguments)
                            {
                                Add(site, a);
                            }
                        }

                        break;
                    case FieldReference fr:
                        Add(site, fr.DeclaringType);
                        Add(site, fr.FieldType);
                        break;
                }
            }

            string name = type.FullName;
            Add(name, type.BaseType);
            foreach (var i in type.Interfaces)
            {
                Add(name, i.InterfaceType);
            }

            AddAttributes(name, type);
            foreach (var f in type.Fields)
            {
                Add(name + "." + f.Name, f.FieldType);
                AddAttributes(name + "." + f.Name, f);
            }

            foreach (var p in type.Properties)
            {
                Add(name + "." + p.Name, p.PropertyType);
            }

            foreach (var e in type.Events)
            {
                Add(name + "." + e.Name, e.EventType);
            }

            foreach (var m in type.Methods)
            {
                string site = name + "." + m.Name;
                AddAttributes(site, m);
                Add(site, m.ReturnType);
                foreach (var p in m.Parameters)
                {
                    Add(site, p.ParameterType);
                }

                if (!m.HasBody)
                {
                    continue;
                }

                foreach (var v in m.Body.Variables)
                {
                    Add(site, v.VariableType);
                }

                foreach (var ins in m.Body.Instructions)
                {
                    if (ins.Operand is MemberReference member)
                    {
                        AddMember(site, member);
                    }
                }
            }

            return found;
        }
    }
}
