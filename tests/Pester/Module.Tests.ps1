BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $moduleDir = Split-Path $ModulePath -Parent
}

Describe 'The built module' {
    It 'exports exactly the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile $ModulePath
        $exported = (Get-Command -Module CocoTools).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'is version 0.1.0 and declares both editions' {
        $manifest = Import-PowerShellDataFile $ModulePath
        $manifest.ModuleVersion | Should -Be '0.1.0'
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'never ships System.Management.Automation.dll' {
        Test-Path (Join-Path $moduleDir 'System.Management.Automation.dll') | Should -BeFalse
    }

    It 'ships the engine, ImageSharp, System.Text.Json and the format file' {
        foreach ($file in 'CocoTools.psm1', 'CocoTools.dll', 'CocoTools.Engine.dll', 'SixLabors.ImageSharp.dll', 'System.Text.Json.dll', 'CocoTools.format.ps1xml') {
            Test-Path (Join-Path $moduleDir $file) | Should -BeTrue -Because "$file belongs in the module folder"
        }
    }

    It 'loads the engine from the module folder' {
        $engine = [CocoTools.Engine.Coco.CocoDataset].Assembly.Location
        $engine | Should -BeLike "$moduleDir$([IO.Path]::DirectorySeparatorChar)*"
    }
}

Describe 'Which assemblies load (netstandard2.0 IL or ReadyToRun)' {
    BeforeAll {
        # The runtime and .NET generation as CocoTools.psm1 names them.
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $script:Rid = $os + '-' + [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
        $script:Framework = if ([Environment]::Version.Major -ge 10) { 'net10.0' } else { 'net8.0' }
        $script:ReadyToRunDir = Join-Path $moduleDir "$Framework/$Rid"
        $script:HasReadyToRun = $Rid -in 'linux-x64', 'win-x64'

        function Get-PeFacts {
            # The target framework and, from the PE headers, whether the file holds ReadyToRun code and for which OS.
            param([Parameter(Mandatory)] [string] $Path)
            $stream = [IO.File]::OpenRead($Path)
            try {
                $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
                $headers = $pe.PEHeaders
                $metadata = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                $framework = foreach ($handle in $metadata.GetAssemblyDefinition().GetCustomAttributes()) {
                    $attribute = $metadata.GetCustomAttribute($handle)
                    $type = $metadata.GetMemberReference($attribute.Constructor).Parent
                    if ($metadata.GetString($metadata.GetTypeReference($type).Name) -eq 'TargetFrameworkAttribute') {
                        $blob = $metadata.GetBlobReader($attribute.Value)
                        [void]$blob.ReadUInt16()
                        $blob.ReadSerializedString()
                    }
                }
                [pscustomobject]@{
                    Framework  = $framework
                    ReadyToRun = $headers.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
                    # crossgen2 marks the target OS in the machine field: AMD64 (0x8664) as is for Windows, XOR 0x7B79 for Linux.
                    Machine    = [int]$headers.CoffHeader.Machine
                }
            } finally {
                $stream.Dispose()
            }
        }

        function Invoke-ChildPwsh {
            # A fresh pwsh (dotnet <PSHOME>/pwsh.dll) with extra environment; returns its output lines, throws on failure.
            param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
            $saved = @{}
            foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
            try {
                $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1 | ForEach-Object { "$_" }
                if ($LASTEXITCODE -ne 0) { throw "the child pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
                $output
            } finally {
                foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            }
        }

        # What a child pwsh loaded, and the compact JSON it writes for the all-kinds fixture (to compare the builds).
        $script:Probe = {
            param([string] $Module, [string] $Output)
            "Import-Module '$Module'; [CocoTools.Engine.Coco.CocoDataset].Assembly.Location; [CocoTools.Commands.ImportCocoJsonCommand].Assembly.Location; " +
            "Import-CocoJson -LiteralPath '$AllKinds' | Export-CocoJson -Path '$Output' -Compress"
        }
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('cocotools-assemblies-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $Work | Out-Null
    }
    AfterAll {
        Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Ignore
    }

    It 'ships netstandard2.0 IL in the module folder, and net8.0 and net10.0 ReadyToRun for linux-x64 and win-x64' {
        foreach ($name in 'CocoTools.dll', 'CocoTools.Engine.dll') {
            $il = Get-PeFacts (Join-Path $moduleDir $name)
            $il.Framework | Should -Be '.NETStandard,Version=v2.0'
            $il.ReadyToRun | Should -BeFalse -Because "the portable $name is IL for any runtime"
            foreach ($framework in 'net8.0', 'net10.0') {
                $linux = Get-PeFacts (Join-Path $moduleDir "$framework/linux-x64/$name")
                $linux.Framework | Should -Be ".NETCoreApp,Version=v$($framework.Substring(3))"
                $linux.ReadyToRun | Should -BeTrue -Because "$framework/linux-x64/$name is compiled ahead of time"
                $linux.Machine | Should -Be (0x8664 -bxor 0x7B79)
                $windows = Get-PeFacts (Join-Path $moduleDir "$framework/win-x64/$name")
                $windows.ReadyToRun | Should -BeTrue
                $windows.Machine | Should -Be 0x8664
            }
        }
        # ImageSharp stays IL in the ReadyToRun folders (compiled, it would be 27 MB each).
        (Get-PeFacts (Join-Path $moduleDir 'net10.0/linux-x64/SixLabors.ImageSharp.dll')).ReadyToRun | Should -BeFalse
        Test-Path (Join-Path $moduleDir 'net10.0/linux-x64/System.Management.Automation.dll') | Should -BeFalse
    }

    It 'loads the ReadyToRun build for this .NET in this pwsh on linux-x64 or win-x64' {
        if (-not $HasReadyToRun) { Set-ItResult -Skipped -Because "the module ships no ReadyToRun build for $Rid (the fallback test covers it)"; return }
        Split-Path ([CocoTools.Engine.Coco.CocoDataset].Assembly.Location) -Parent | Should -Be $ReadyToRunDir
        Split-Path ([CocoTools.Commands.ImportCocoJsonCommand].Assembly.Location) -Parent | Should -Be $ReadyToRunDir
        (Get-Module CocoTools).NestedModules.Path | Should -Be (Join-Path $ReadyToRunDir 'CocoTools.dll')
    }

    It 'runs the precompiled parser: the first Import-CocoJson JIT-compiles no parser method, the IL build does' {
        if (-not $HasReadyToRun) { Set-ItResult -Skipped -Because "the module ships no ReadyToRun build for $Rid"; return }
        # The runtime lists every method it JIT-compiles (DOTNET_JitDisasmSummary, in release runtimes since .NET 7).
        $jitted = @{}
        foreach ($build in 'ReadyToRun', 'IL') {
            $log = Join-Path $Work "jit-$build.txt"
            $environment = @{ DOTNET_JitStdOutFile = $log; DOTNET_JitDisasmSummary = '1'; COCOTOOLS_ASSEMBLY = $(if ($build -eq 'IL') { 'IL' } else { $null }) }
            Invoke-ChildPwsh "Import-Module '$ModulePath'; Import-CocoJson -LiteralPath '$AllKinds' | Out-Null" $environment | Out-Null
            $jitted[$build] = @(Get-Content -LiteralPath $log | Where-Object { $_ -match 'CocoTools\.Engine\.Coco\.Json\.CocoJsonParser:Parse\w+\(' -and $_ -match '\[(Instrumented Tier0|Tier0|FullOpts)' })
        }
        # Tier0 or FullOpts is a first compile; a later Tier1 recompile of hot precompiled code is not counted.
        $jitted['IL'].Count | Should -BeGreaterThan 6 -Because 'the IL build JIT-compiles the parser on its first call (this is what the check sees)'
        $jitted['ReadyToRun'] | Should -BeNullOrEmpty -Because 'the ReadyToRun build runs the parser from precompiled code'
    }

    It 'loads the netstandard2.0 IL with COCOTOOLS_ASSEMBLY=IL, and both write the same bytes' {
        if (-not $HasReadyToRun) { Set-ItResult -Skipped -Because "the module ships no ReadyToRun build for $Rid"; return }
        $r2rJson = Join-Path $Work 'r2r.json'; $ilJson = Join-Path $Work 'il.json'
        $r2r = Invoke-ChildPwsh (& $Probe $ModulePath $r2rJson)
        $il = Invoke-ChildPwsh (& $Probe $ModulePath $ilJson) @{ COCOTOOLS_ASSEMBLY = 'IL' }
        $r2r[0..1] | Should -Be @((Join-Path $ReadyToRunDir 'CocoTools.Engine.dll'), (Join-Path $ReadyToRunDir 'CocoTools.dll'))
        $il[0..1] | Should -Be @((Join-Path $moduleDir 'CocoTools.Engine.dll'), (Join-Path $moduleDir 'CocoTools.dll'))
        (Get-FileHash $ilJson).Hash | Should -Be (Get-FileHash $r2rJson).Hash
        (Get-Item $ilJson).Length | Should -BeGreaterThan 100
    }

    It 'falls back to the IL when the module has no build for this runtime' {
        # A copy of the module without <framework>/<rid> stands for pwsh on a runtime the module has no build for.
        $copy = Join-Path $Work 'CocoTools'
        Copy-Item -LiteralPath $moduleDir -Destination $copy -Recurse
        Remove-Item -LiteralPath (Join-Path $copy "$Framework/$Rid") -Recurse -Force -ErrorAction Ignore
        $out = Invoke-ChildPwsh (& $Probe (Join-Path $copy 'CocoTools.psd1') (Join-Path $Work 'fallback.json'))
        $out[0..1] | Should -Be @((Join-Path $copy 'CocoTools.Engine.dll'), (Join-Path $copy 'CocoTools.dll'))
        Test-Path (Join-Path $Work 'fallback.json') | Should -BeTrue
    }
}
