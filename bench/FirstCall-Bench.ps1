<#
.SYNOPSIS
    The first call (issue 21, section 3): Import-CocoJson, Add-CocoImage and Export-CocoJson in fresh pwsh processes,
    ReadyToRun build against the IL build and runtime settings, Import against pycocotools' COCO() and Export against
    json.dump / orjson in the same run; appends a dated section to bench/RESULTS.md.
.DESCRIPTION
    Every run is a fresh process; the variants are interleaved (A, B, C, A, B, C, ...) so that machine load hits them
    alike, and the tables show medians. A pwsh run reports: Import-Module time; the first call of the cmdlet; the same
    call again in the same process (warm); what the JIT compiled on the pipeline thread during the first call
    (System.Runtime.JitInfo: milliseconds and methods; tier-1 recompiles on the background thread are not in it);
    the gen-0 collections of the first call; and the process's peak RSS (GNU time). The variants say where the
    first-call time goes:
      ReadyToRun            the default build on pwsh 7.6 (.NET 10): net10.0/<rid>, precompiled
      IL                    COCOTOOLS_ASSEMBLY=IL: the portable netstandard2.0 build, every method JIT-compiled
      ReadyToRun, no PGO    DOTNET_TieredPGO=0: no instrumented tier 0 before tier 1
      ReadyToRun, no tiers  DOTNET_TieredCompilation=0: everything JIT-compiled fully optimized at once
      no ReadyToRun at all  DOTNET_ReadyToRun=0: pwsh and .NET JIT-compile everything too (what precompiling buys)
      ReadyToRun, non-concurrent GC   DOTNET_gcConcurrent=0 (a host setting pwsh users cannot set per module)
    On .NET 10 the net8.0 build is not measurable as ReadyToRun: .NET 10 ignores .NET 8's precompiled code (see
    docs/about_CocoTools_Assemblies.md), so net8.0 there is IL like the IL row.
.EXAMPLE
    dotnet pwsh bench/FirstCall-Bench.ps1 -ModulePath out/CocoTools/CocoTools.psd1
.EXAMPLE
    dotnet pwsh bench/FirstCall-Bench.ps1 -ModulePath out/CocoTools/CocoTools.psd1 -InputPath tests/fixtures/coco/all-kinds.json -Repeat 1 -NoAppend
    A check that the script works, on a small file, without touching RESULTS.md.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # The COCO file to import and export; by default the 62 MB synthetic file (../shared/bench/gen_synthetic_coco.py).
    [string] $InputPath,
    [int] $Repeat = 5,
    [ValidateSet('Import', 'Scan', 'Export')] [string[]] $Section = @('Import', 'Scan', 'Export'),
    # Print the tables only.
    [switch] $NoAppend
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$ModulePath = (Resolve-Path $ModulePath).Path
$work = Join-Path $root 'out/bench/first-call'
New-Item -ItemType Directory -Path $work -Force | Out-Null
$shared = if ($env:COCOTOOLS_SHARED) { $env:COCOTOOLS_SHARED } else { Join-Path (Split-Path $root -Parent) 'shared' }
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$python = '/usr/bin/python3'
if (-not $InputPath) {
    $InputPath = Join-Path $root 'out/bench/synthetic-instances.json'
    if (-not (Test-Path $InputPath)) {
        & $python (Join-Path $shared 'bench/gen_synthetic_coco.py') $InputPath
        if ($LASTEXITCODE) { throw 'gen_synthetic_coco.py failed.' }
    }
}
$InputPath = (Resolve-Path $InputPath).Path
# The pycocotools oracle (build.ps1 Bench sets it; otherwise built here from ../shared/oracles).
if (-not $env:COCOTOOLS_PYCOCOTOOLS) {
    $env:COCOTOOLS_PYCOCOTOOLS = & bash (Join-Path $shared 'oracles/pycocotools/build.sh') 2>$null | Select-Object -Last 1
    if ($LASTEXITCODE) { throw 'The pycocotools oracle did not build (../shared/oracles/pycocotools/build.sh).' }
}
$inputNote = '{0} ({1:N1} MB)' -f (Split-Path $InputPath -Leaf), ((Get-Item $InputPath).Length / 1MB)

$variants = [ordered]@{
    'ReadyToRun'                      = @{}
    'IL'                              = @{ COCOTOOLS_ASSEMBLY = 'IL' }
    'ReadyToRun, no PGO'              = @{ DOTNET_TieredPGO = '0' }
    'ReadyToRun, no tiers'            = @{ DOTNET_TieredCompilation = '0' }
    'no ReadyToRun at all'            = @{ DOTNET_ReadyToRun = '0' }
    'ReadyToRun, non-concurrent GC'   = @{ DOTNET_gcConcurrent = '0' }
}

function Invoke-Measured {
    # Runs one process under GNU time with extra environment; returns its RESULT-KEY<tab>value lines as a hashtable,
    # plus PeakMiB and Wall.
    param([string] $File, [string[]] $Arguments, [hashtable] $Environment = @{})
    $saved = @{}
    foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
    $timeFile = Join-Path $work 'time.txt'
    try {
        $output = & /usr/bin/time -f '%e %M' -o $timeFile $File @Arguments 2>&1 | ForEach-Object { "$_" }
        $exit = $LASTEXITCODE
    } finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
    if ($exit -ne 0) { throw "$File failed ($exit): $($output -join "`n")" }
    $wall, $kb = (Get-Content $timeFile -Raw).Trim() -split '\s+'
    $r = @{ PeakMiB = [double]$kb / 1024; Wall = [double]$wall }
    foreach ($line in $output | Where-Object { $_ -match '^RESULT(-[\w]+)?\t' }) {
        $parts = $line -split "`t"
        $r[$parts[0]] = $(if ($parts[1] -match '^[\d.eE+-]+$') { [double]$parts[1] } else { $parts[1] })
        if ($parts.Count -gt 2) { $r["$($parts[0])-DETAIL"] = $parts[2] }
    }
    $r
}

function Get-PwshFirstCall {
    # The pwsh side of one run: $Setup (not timed, after Import-Module), then $Call twice, the first one observed.
    param([string] $Setup, [string] $Call)
    @"
`$ErrorActionPreference = 'Stop'
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModulePath'
'RESULT-IMPORTMODULE' + "``t" + `$clock.Elapsed.TotalSeconds
$Setup
`$jitMs = [System.Runtime.JitInfo]::GetCompilationTime(`$true).TotalMilliseconds
`$jitCount = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$true)
`$gen0 = [GC]::CollectionCount(0)
`$clock.Restart()
$Call
'RESULT-FIRST' + "``t" + `$clock.Elapsed.TotalSeconds
'RESULT-JITMS' + "``t" + ([System.Runtime.JitInfo]::GetCompilationTime(`$true).TotalMilliseconds - `$jitMs)
'RESULT-JITCOUNT' + "``t" + ([System.Runtime.JitInfo]::GetCompiledMethodCount(`$true) - `$jitCount)
'RESULT-GEN0' + "``t" + ([GC]::CollectionCount(0) - `$gen0)
'RESULT-ASSEMBLY' + "``t" + ([CocoTools.Engine.Coco.CocoDataset].Assembly.Location -replace [regex]::Escape('$(Split-Path $ModulePath -Parent)'), '')
`$clock.Restart()
$Call
'RESULT-WARM' + "``t" + `$clock.Elapsed.TotalSeconds
"@
}

function Measure-Runs {
    # $Runs: name -> @{ File; Arguments; Environment }. Interleaved, $Repeat rounds; returns name -> hashtable of medians.
    param([System.Collections.Specialized.OrderedDictionary] $Runs)
    $samples = @{}
    foreach ($round in 1..$Repeat) {
        foreach ($name in $Runs.Keys) {
            $run = $Runs[$name]
            $r = Invoke-Measured $run.File $run.Arguments $run.Environment
            if (-not $samples[$name]) { $samples[$name] = [Collections.Generic.List[hashtable]]::new() }
            $samples[$name].Add($r)
        }
    }
    $medians = [ordered]@{}
    foreach ($name in $Runs.Keys) {
        $all = $samples[$name]
        $m = @{}
        foreach ($key in $all[0].Keys) {
            $values = @($all | ForEach-Object { $_[$key] })
            $m[$key] = if ($values[0] -is [double]) { $s = @($values | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] } else { $values[-1] }
        }
        $medians[$name] = $m
    }
    $medians
}

function Format-Number { param($Value, [string] $Format = 'N3') if ($null -eq $Value) { '' } else { $Value.ToString($Format, [Globalization.CultureInfo]::InvariantCulture) } }

function Format-PwshTable {
    # One row per pwsh variant, plus optional baseline rows (name -> medians with RESULT and PeakMiB).
    param([System.Collections.Specialized.OrderedDictionary] $Rows, [string] $Baseline)
    $base = if ($Baseline) { $Rows[$Baseline] } else { $null }
    $lines = @(
        '| run | Import-Module s | first call s | warm call s | JIT on the call''s thread ms (methods) | gen-0 GCs | peak RSS MiB | whole process s | speed-up vs baseline (baseline s / first call s) | RSS vs baseline |'
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
    )
    foreach ($name in $Rows.Keys) {
        $r = $Rows[$name]
        $first = if ($r.ContainsKey('RESULT-FIRST')) { $r['RESULT-FIRST'] } else { $r['RESULT'] }
        $speed = if ($base -and $name -ne $Baseline -and $first) { '{0}x' -f (Format-Number ($base['RESULT'] / $first) 'N2') } elseif ($name -eq $Baseline) { 'baseline' } else { '' }
        $rss = if ($base -and $name -ne $Baseline) { '{0}x' -f (Format-Number ($r.PeakMiB / $base.PeakMiB) 'N2') } else { '' }
        $jit = if ($r.ContainsKey('RESULT-JITMS')) { '{0} ({1})' -f (Format-Number $r['RESULT-JITMS'] 'N0'), $r['RESULT-JITCOUNT'] } else { '' }
        $lines += '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} | {9} |' -f $name, (Format-Number $r['RESULT-IMPORTMODULE']), (Format-Number $first), (Format-Number $r['RESULT-WARM']), $jit, $r['RESULT-GEN0'], (Format-Number $r.PeakMiB 'N0'), (Format-Number $r.Wall 'N2'), $speed, $rss
    }
    $lines
}

function New-PwshRuns {
    # The pwsh variants of one measurement, each a fresh pwsh running the first-call script.
    param([string] $Setup, [string] $Call)
    $script = Get-PwshFirstCall -Setup $Setup -Call $Call
    $runs = [ordered]@{}
    foreach ($name in $variants.Keys) {
        $runs["pwsh, $name"] = @{ File = 'dotnet'; Arguments = @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', $script); Environment = $variants[$name] }
    }
    $runs
}

$report = [Collections.Generic.List[string]]::new()
$machine = "Machine: $([Environment]::ProcessorCount) cores, $((Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME=*' }) -replace 'PRETTY_NAME=|\"', ''); .NET $([Environment]::Version), pwsh $($PSVersionTable.PSVersion). Medians of $Repeat interleaved runs, each a fresh process."
$report.Add("## $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC: the first call (FirstCall-Bench.ps1, issue 21)")
$report.Add('')
$report.Add($machine)

if ($Section -contains 'Import') {
    $runs = [ordered]@{ 'pycocotools COCO(path)' = @{ File = $python; Arguments = @((Join-Path $PSScriptRoot 'scripts/pycocotools_load.py'), $InputPath); Environment = @{ PYTHONPATH = $env:COCOTOOLS_PYCOCOTOOLS } } }
    $runs += New-PwshRuns -Setup '' -Call "`$d = Import-CocoJson -LiteralPath '$InputPath'"
    $rows = Measure-Runs $runs
    $report.Add('')
    $report.Add('### Import-CocoJson, first call in a fresh process, against pycocotools COCO() (targets: >= 6x, RSS <= 0.45x)')
    $report.Add('')
    $report.Add("File: $inputNote. ""first call"" is the cmdlet alone (pwsh start and Import-Module apart); for pycocotools, COCO(path) alone (interpreter start apart). Peak RSS is the whole process, pwsh itself included. Loaded engine: $($rows['pwsh, ReadyToRun']['RESULT-ASSEMBLY']) (default), $($rows['pwsh, IL']['RESULT-ASSEMBLY']) (IL).")
    $report.Add('')
    Format-PwshTable $rows 'pycocotools COCO(path)' | ForEach-Object { $report.Add($_) }
}

if ($Section -contains 'Scan') {
    $samples = Join-Path $root 'samples/dicom'
    $rows = Measure-Runs (New-PwshRuns -Setup '' -Call "`$d = Add-CocoImage -Path '$samples' -Recurse -WarningAction SilentlyContinue -ErrorAction SilentlyContinue")
    $report.Add('')
    $report.Add('### Add-CocoImage over samples/dicom, first call in a fresh process')
    $report.Add('')
    $report.Add("Folder: samples/dicom ($(@(Get-ChildItem $samples -Filter *.dcm).Count) files; the broken ones are reported, not read). Mostly JIT and first-use cost: the files are small.")
    $report.Add('')
    Format-PwshTable $rows | ForEach-Object { $report.Add($_) }
}

if ($Section -contains 'Export') {
    $out = Join-Path $work 'export.json'
    $runs = [ordered]@{ 'Python json.dump (C encoder)' = @{ File = $python; Arguments = @((Join-Path $PSScriptRoot 'scripts/python_json_dump.py'), $InputPath, (Join-Path $work 'python.json')); Environment = @{} } }
    # orjson is no Debian package; measured when the python3 on PATH has it.
    $orjsonPython = (Get-Command python3 -ErrorAction Ignore).Source
    if ($orjsonPython) { & $orjsonPython -c 'import orjson' 2>$null }
    if ($orjsonPython -and $LASTEXITCODE -eq 0) {
        $runs['orjson.dumps'] = @{ File = $orjsonPython; Arguments = @('-c', "import orjson, sys, time; d = orjson.loads(open(sys.argv[1], 'rb').read()); t = time.perf_counter(); open(sys.argv[2], 'wb').write(orjson.dumps(d)); print('RESULT\t%.3f' % (time.perf_counter() - t))", $InputPath, (Join-Path $work 'orjson.json')); Environment = @{} }
    }
    $runs += New-PwshRuns -Setup "`$d = Import-CocoJson -LiteralPath '$InputPath'" -Call "Export-CocoJson -InputObject `$d -Path '$out' -Compress -Force"
    $rows = Measure-Runs $runs
    $report.Add('')
    $report.Add('### Export-CocoJson -Compress, first call in a fresh process (moonshot: >= 2x orjson)')
    $report.Add('')
    $report.Add("File: $inputNote, read first (not timed), then written compactly; the time is the write alone. orjson only where the python3 on PATH has it (not a Debian package).")
    $report.Add('')
    Format-PwshTable $rows 'Python json.dump (C encoder)' | ForEach-Object { $report.Add($_) }
}

$report | Out-Host
if (-not $NoAppend) {
    $results = Join-Path $PSScriptRoot 'RESULTS.md'
    Add-Content -LiteralPath $results -Value ("`n" + ($report -join "`n"))
    Write-Host "Appended to $results"
}
