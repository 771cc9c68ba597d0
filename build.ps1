#Requires -Version 7.4
<#
.SYNOPSIS
    The one entry point of the CocoTools repository: Build, Test, Demo, Bench, Clean.
.DESCRIPTION
    Build   compiles the module into out/CocoTools (manifest, our assemblies, ImageSharp and the System.*
            packages Windows PowerShell needs, format file; never System.Management.Automation.dll).
    Test    builds, runs the xunit engine tests, then Pester 5.7.1 (restored from NuGet) in a fresh child pwsh
            on the built module, and ends with one line of totals: "N passed, N failed[, N skipped]".
    Demo    builds, then runs the main job on the bundled samples into out/demo.
    Bench   builds and runs bench/ (BenchmarkDotNet and end-to-end comparisons), appending to bench/RESULTS.md.
    Package builds, then writes out/CocoTools.<version>.nupkg (the module with LICENSE and CHANGELOG.md) with
            PSResourceGet, through a throwaway local file repository: Install-PSResource takes it from any feed.
    Fuzz    builds fuzz/CocoTools.Fuzz, instruments CocoTools.Engine.dll with sharpfuzz and runs one target under
            afl-fuzz (apt: afl++) for -Duration, seeded from fuzz/corpus/<target>; new crashes and hangs are copied
            to tests/fixtures/fuzz-crashes/<target>/ (commit them: Test replays them) and the run's executions are printed.
    Clean   removes out/ and every bin/obj folder.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Fuzz -Target dicom -Duration 10m
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Clean', 'Package', 'Fuzz')]
    [string] $Task = 'Build',

    # Fuzz: the target (dicom, coco-json, validator, csv, rle, polygon, raster, dicomweb-multipart, dicomweb-metadata) and how long: 90s, 10m, 1h.
    [string] $Target,
    [string] $Duration = '5m',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Do not install the apt packages below (a machine set up by hand, or no sudo); tests that need a missing one
    # fail or skip and say which package.
    [switch] $SkipSystemPackages
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'CocoTools'
$SharedDir = Join-Path (Split-Path $Root -Parent) 'shared'
$PesterVersion = '5.7.1'
$TestResultsDir = Join-Path $OutDir 'test-results'
# The ReadyToRun builds: precompiled code is used only by the runtime generation it was compiled for (.NET 10 rejects
# .NET 8's), so one per .NET the supported pwsh versions run on (7.4/7.5: net8.0, 7.6+: net10.0), for the runtimes
# NuGet serves both runtime packs of; elsewhere pwsh loads the portable netstandard2.0 IL (docs/about_CocoTools_Assemblies.md).
$ReadyToRunFrameworks = @('net8.0', 'net10.0')
$ReadyToRunRuntimes = @('linux-x64', 'win-x64')

# The Debian packages the tests and benches compare against or start, in ONE list: add a package here, nowhere else.
# dcmtk (dcmdump/dcmodify/img2dcm oracles), libjpeg-turbo-progs (cjpeg/djpeg), pydicom + numpy + PIL (DICOM oracles),
# cython3 + python3-dev + python3-setuptools (to build the pycocotools oracle from ../shared/oracles), openssh.
$AptPackages = @(
    'dcmtk'
    'libjpeg-turbo-progs'
    'python3-pydicom'
    'python3-numpy'
    'python3-pil'
    'cython3'
    'python3-dev'
    'python3-setuptools'
    'chromium'              # the gallery tests render pages headless
    'openssh-server'        # the scale-out test runs shards through PowerShell remoting over a real sshd on 127.0.0.1
    'openssh-client'
    'orthanc'               # the DICOMweb tests run a real PACS on 127.0.0.1
    'orthanc-dicomweb'
    'openssl'               # a throwaway certificate for the https test
)

function Invoke-Native {
    # Runs a native command and fails the build when it fails.
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments = @())
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Install-AptPackage {
    # Installs the Debian packages a test or bench needs ($AptPackages), only those missing (CI machines start
    # without them), and says first which it will install.
    param([Parameter(Mandatory)] [string[]] $Package)
    $missing = @($Package | Where-Object {
        # Joined into one string: a package dpkg has never heard of prints nothing, and -notmatch on that empty
        # output would filter it (an empty, false result) instead of saying "missing".
        $status = (& dpkg-query -W -f '${Status}' $_ 2>$null) -join ''
        $status -notmatch 'install ok installed'
    })
    if ($missing.Count -eq 0) { Write-Host "System packages present: $($Package -join ', ')"; return }
    if ($SkipSystemPackages) {
        Write-Warning "-SkipSystemPackages: not installing $($missing -join ', '); tests that need them will fail or skip."
        return
    }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) {
        Write-Warning "apt-get is not available; tests that need $($missing -join ', ') will be skipped."
        return
    }
    Write-Host "Will install with apt-get: $($missing -join ', ') (skip with -SkipSystemPackages)"
    $sudo = if ((& id -u) -ne '0') { 'sudo' } else { $null }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    if ($sudo) {
        Invoke-Native $sudo @('apt-get', 'update', '-qq')
        Invoke-Native $sudo (@('apt-get', 'install', '-y', '-qq') + $missing)
    } else {
        Invoke-Native 'apt-get' @('update', '-qq')
        Invoke-Native 'apt-get' (@('install', '-y', '-qq') + $missing)
    }
}

function Get-PycocotoolsPath {
    # Builds the pycocotools oracle from ../shared/oracles and returns its PYTHONPATH (empty when unavailable).
    $script = Join-Path $SharedDir 'oracles/pycocotools/build.sh'
    if (-not (Test-Path $script)) { return '' }
    $path = & bash $script 2>$null
    if ($LASTEXITCODE -ne 0) { Write-Warning 'The pycocotools oracle did not build; oracle tests will fail.'; return '' }
    return ($path | Select-Object -Last 1)
}

function Invoke-Build {
    Invoke-Native 'dotnet' @('build', (Join-Path $Root 'src/CocoTools/CocoTools.csproj'), '-c', $Configuration, '-f', 'netstandard2.0', '--nologo', '-v', 'quiet', '-clp:NoSummary')
    # Windows PowerShell 5.1, and pwsh on a runtime without a ReadyToRun build, load these (module folder root).
    $bin = Join-Path $Root "src/CocoTools/bin/$Configuration/netstandard2.0"
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleDir | Out-Null
    # pwsh provides System.Management.Automation itself; shipping the reference copy would shadow it.
    Get-ChildItem $bin -File |
        Where-Object { $_.Extension -in '.dll', '.ps1xml' -and $_.Name -ne 'System.Management.Automation.dll' } |
        Copy-Item -Destination $ModuleDir
    # pwsh 7.4+ loads these instead, <framework>/<rid>, compiled ReadyToRun; CocoTools.psm1 picks the folder.
    # ImageSharp stays IL there (see the csproj).
    foreach ($framework in $ReadyToRunFrameworks) {
        foreach ($rid in $ReadyToRunRuntimes) {
            $ridDir = Join-Path $ModuleDir "$framework/$rid"
            $publish = Join-Path $OutDir "publish/$framework-$rid"
            Invoke-Native 'dotnet' @('publish', (Join-Path $Root 'src/CocoTools/CocoTools.csproj'), '-c', $Configuration, '-f', $framework, '-r', $rid,
                '--self-contained', 'false', '-p:PublishReadyToRun=true', '-o', $publish, '--nologo', '-v', 'quiet', '-clp:NoSummary')
            New-Item -ItemType Directory -Path $ridDir -Force | Out-Null
            Get-ChildItem $publish -File -Filter *.dll | Where-Object Name -ne 'System.Management.Automation.dll' | Copy-Item -Destination $ridDir
        }
    }
    Copy-Item (Join-Path $Root 'CocoTools.psd1'), (Join-Path $Root 'CocoTools.psm1') $ModuleDir
    # Help from docs/, by our own generator, in a fresh pwsh that imports the module just built.
    Invoke-Native 'dotnet' @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/help/New-CocoHelp.ps1'),
        '-ModulePath', (Join-Path $ModuleDir 'CocoTools.psd1'), '-DocsPath', (Join-Path $Root 'docs'), '-OutputPath', (Join-Path $ModuleDir 'en-US'))
    Write-Host "Built module: $ModuleDir"
}

function Invoke-Fuzz {
    # afl-fuzz drives the harness through SharpFuzz's fork server; the engine is instrumented in the harness's
    # published copy only, never in out/CocoTools.
    if (-not $Target) { throw 'Fuzz needs -Target (dicom, coco-json, validator, csv, rle, polygon, raster, dicomweb-multipart, dicomweb-metadata).' }
    $corpus = Join-Path $Root "fuzz/corpus/$Target"
    if (-not (Test-Path $corpus)) { throw "There is no corpus for fuzz target '$Target' (fuzz/corpus/$Target)." }
    $seconds = if ($Duration -match '^(\d+)([smh]?)$') { [int]$Matches[1] * @{ '' = 1; 's' = 1; 'm' = 60; 'h' = 3600 }[$Matches[2]] } else { throw "-Duration '$Duration' is not like 90s, 10m or 1h." }
    Install-AptPackage @('afl++')
    $bin = Join-Path $OutDir 'fuzz/bin'
    $findings = Join-Path $OutDir "fuzz/findings/$Target"
    # Published afresh every time: sharpfuzz refuses an assembly it has already instrumented.
    if (Test-Path $bin) { Remove-Item $bin -Recurse -Force }
    Invoke-Native 'dotnet' @('publish', (Join-Path $Root 'fuzz/CocoTools.Fuzz/CocoTools.Fuzz.csproj'), '-c', 'Release', '-o', $bin, '--nologo', '-v', 'quiet')
    Invoke-Native 'dotnet' @('sharpfuzz', (Join-Path $bin 'CocoTools.Engine.dll'))
    if (Test-Path $findings) { Remove-Item $findings -Recurse -Force }
    New-Item -ItemType Directory -Force -Path (Split-Path $findings -Parent) | Out-Null
    # The harness is a .NET apphost, not an afl-instrumented binary; the fork server is SharpFuzz's.
    $env:AFL_SKIP_BIN_CHECK = '1'; $env:AFL_SKIP_CPUFREQ = '1'; $env:AFL_NO_UI = '1'; $env:AFL_NO_AFFINITY = '1'
    $env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
    & afl-fuzz -i $corpus -o $findings -V $seconds -t 5000 -m none -- (Join-Path $bin 'CocoTools.Fuzz') $Target | Out-Host
    $stats = @{}
    Get-Content (Join-Path $findings 'default/fuzzer_stats') -ErrorAction Ignore |
        ForEach-Object { $k, $v = $_ -split '\s*:\s*', 2; $stats[$k] = $v }
    $crashes = Join-Path $Root "tests/fixtures/fuzz-crashes/$Target"
    New-Item -ItemType Directory -Force -Path $crashes | Out-Null
    $new = 0
    foreach ($kind in 'crashes', 'hangs') {
        foreach ($file in Get-ChildItem (Join-Path $findings "default/$kind") -File -Filter 'id*' -ErrorAction Ignore) {
            # Named by content, so the same input found again is not committed twice.
            $hash = (Get-FileHash $file.FullName -Algorithm SHA256).Hash.Substring(0, 16).ToLowerInvariant()
            $dest = Join-Path $crashes "$kind-$hash.bin"
            if (-not (Test-Path $dest)) { Copy-Item $file.FullName $dest; $new++ }
        }
    }
    Write-Output "fuzz $Target`: $($stats['execs_done']) executions in $Duration ($($stats['execs_per_sec']) a second), $($stats['corpus_count']) corpus entries, $($stats['saved_crashes']) crashes and $($stats['saved_hangs']) hangs saved, $new new input(s) in tests/fixtures/fuzz-crashes/$Target"
}

function Get-PesterModulePath {
    $toolsProject = Join-Path $Root 'tests/tools/TestTools.csproj'
    Invoke-Native 'dotnet' @('restore', $toolsProject, '--nologo', '-v', 'quiet')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $psd1 = Join-Path $packages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $PesterVersion was not restored to $psd1." }
    return $psd1
}

function Read-TrxTotals {
    # The totals of a VSTest TRX file (ResultSummary/Counters); $null when the file is missing. Skipped xunit tests
    # are counted as notExecuted there.
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $xml = [xml](Get-Content -LiteralPath $Path -Raw)
    $c = $xml.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$c.passed
        Failed  = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        Skipped = [int]$c.notExecuted
    }
}

function Invoke-Test {
    Install-AptPackage $AptPackages
    Invoke-Build
    $env:COCOTOOLS_PYCOCOTOOLS = Get-PycocotoolsPath
    $env:COCOTOOLS_SHARED = $SharedDir

    $passed = 0; $failed = 0; $skipped = 0

    # 1. xunit engine tests; totals from the TRX result file, not from console text.
    if (Test-Path $TestResultsDir) { Remove-Item $TestResultsDir -Recurse -Force }
    New-Item -ItemType Directory -Path $TestResultsDir | Out-Null
    $trx = Join-Path $TestResultsDir 'engine.trx'
    $testProject = Join-Path $Root 'tests/CocoTools.Engine.Tests/CocoTools.Engine.Tests.csproj'
    & dotnet test $testProject -c $Configuration --nologo --logger 'trx;LogFileName=engine.trx' --results-directory $TestResultsDir | Out-Host
    $counts = Read-TrxTotals $trx
    if ($counts) {
        $passed += $counts.Passed; $failed += $counts.Failed; $skipped += $counts.Skipped
    } else {
        Write-Host "xunit wrote no result file $trx (build or run failure)."
        $failed += 1
    }

    # The bench project compiles against engine internals, so a refactor can break it unseen: building it is a test.
    & dotnet build (Join-Path $Root 'bench/CocoTools.Bench/CocoTools.Bench.csproj') -c $Configuration --nologo -v quiet -clp:NoSummary | Out-Host
    if ($LASTEXITCODE -eq 0) { $passed += 1 } else { Write-Host 'bench/CocoTools.Bench did not build (see the errors above).'; $failed += 1 }

    # 2. Pester, in a fresh child pwsh that imports the built module.
    $pester = Get-PesterModulePath
    $resultFile = Join-Path $TestResultsDir 'pester-totals.json'
    $childScript = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -RequiredVersion $PesterVersion
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $Root 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$env:COCOTOOLS_MODULE = '$(Join-Path $ModuleDir 'CocoTools.psd1')'
`$result = Invoke-Pester -Configuration `$config
[ordered]@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedContainersCount; Skipped = `$result.SkippedCount } | ConvertTo-Json | Set-Content -LiteralPath '$resultFile'
"@
    if (Test-Path $resultFile) { Remove-Item $resultFile }
    # pwsh runs here as a dotnet tool, so the child is started the same way: dotnet <PSHOME>/pwsh.dll.
    & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $childScript | Out-Host
    if (Test-Path $resultFile) {
        $counts = Get-Content $resultFile -Raw | ConvertFrom-Json
        $passed += [int]$counts.Passed; $failed += [int]$counts.Failed; $skipped += [int]$counts.Skipped
    } else {
        Write-Host 'Pester did not report totals (run failure).'
        $failed += 1
    }

    $line = "$passed passed, $failed failed"
    if ($skipped -gt 0) { $line += ", $skipped skipped" }
    Write-Output $line
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $demoOut = Join-Path $OutDir 'demo'
    # Each run starts clean, so what is in out/demo is what this run wrote.
    Remove-Item -LiteralPath $demoOut -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $demoOut -Force | Out-Null
    & (Join-Path $Root 'samples/Invoke-Demo.ps1') -ModulePath (Join-Path $ModuleDir 'CocoTools.psd1') -OutputDirectory $demoOut
    if (-not $?) { exit 1 }
}

function Invoke-Bench {
    Install-AptPackage $AptPackages
    Invoke-Build
    $env:COCOTOOLS_PYCOCOTOOLS = Get-PycocotoolsPath
    $env:COCOTOOLS_SHARED = $SharedDir
    & (Join-Path $Root 'bench/Invoke-Bench.ps1') -ModulePath (Join-Path $ModuleDir 'CocoTools.psd1') -Configuration $Configuration
    if (-not $?) { exit 1 }
}

function Invoke-Package {
    Invoke-Build
    $package = & (Join-Path $Root 'tools/package/New-CocoPackage.ps1') -ModulePath $ModuleDir -OutputPath $OutDir
    Write-Host "Package: $($package.FullName)"
}

function Invoke-Clean {
    if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj, BenchmarkDotNet.Artifacts |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
        Remove-Item -Recurse -Force
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Fuzz' { Invoke-Fuzz }
    'Clean' { Invoke-Clean }
    'Package' { Invoke-Package }
}
