<#
.SYNOPSIS
    End-to-end comparisons of CocoTools with the reference tools, side by side on this machine, plus the
    BenchmarkDotNet micro-benchmarks; appends a dated section to bench/RESULTS.md.
.DESCRIPTION
    Each measurement runs a fresh process several times; the table shows the median wall time and the
    median peak resident memory (GNU time %M). Run through `build.ps1 Bench`, which builds the module and
    the pycocotools oracle first.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $Configuration = 'Release',
    [int] $Repeat = 5,
    [switch] $SkipMicro
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$work = Join-Path $root 'out/bench'
New-Item -ItemType Directory -Path $work -Force | Out-Null
$shared = if ($env:COCOTOOLS_SHARED) { $env:COCOTOOLS_SHARED } else { Join-Path (Split-Path $root -Parent) 'shared' }
$pycocotools = $env:COCOTOOLS_PYCOCOTOOLS
$pwshDll = Join-Path $PSHOME 'pwsh.dll'

& dotnet build (Join-Path $PSScriptRoot 'CocoTools.Bench/CocoTools.Bench.csproj') -c $Configuration --nologo -v quiet | Out-Null
if ($LASTEXITCODE) { throw 'The bench project did not build.' }
$benchExe = Join-Path $PSScriptRoot "CocoTools.Bench/bin/$Configuration/net10.0/CocoTools.Bench"

function Measure-Process {
    # Runs a command $Repeat times under GNU time; returns median seconds (from the RESULT line when the
    # program reports its own timing, else wall time) and median peak RSS in MiB.
    param([string] $Name, [string] $File, [string[]] $Arguments, [hashtable] $Environment = @{}, [switch] $WallTime)
    $times = @(); $rss = @(); $detail = ''
    foreach ($i in 1..$Repeat) {
        $saved = @{}
        foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
        $timeFile = Join-Path $work 'time.txt'
        $output = & /usr/bin/time -f '%e %M' -o $timeFile $File @Arguments 2>&1 | ForEach-Object { "$_" }
        $exit = $LASTEXITCODE
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        if ($exit -ne 0) { throw "$Name failed: $($output -join "`n")" }
        $wall, $kb = (Get-Content $timeFile -Raw).Trim() -split '\s+'
        $result = $output | Where-Object { $_ -like 'RESULT*' } | Select-Object -Last 1
        if ($result -and -not $WallTime) {
            $parts = $result -split "`t"
            $times += [double]$parts[1]; $detail = $parts[2]
        } else {
            $times += [double]$wall
        }
        $rss += [double]$kb / 1024
    }
    $median = { param($v) $s = $v | Sort-Object; $s[[int][math]::Floor(($s.Count - 1) / 2)] }
    [pscustomobject]@{ Name = $Name; Seconds = (& $median $times); PeakMiB = [math]::Round((& $median $rss), 0); Detail = $detail; Runs = $Repeat }
}

$sections = [System.Collections.Generic.List[string]]::new()
function Add-Table {
    param([string] $Title, [string] $Note, [object[]] $Rows, [string] $Baseline)
    $base = ($Rows | Where-Object Name -eq $Baseline).Seconds
    $lines = @("### $Title", '', $Note, '', '| run | median s | peak RSS MiB | vs baseline |', '| --- | ---: | ---: | ---: |')
    foreach ($r in $Rows) {
        $ratio = if ($base -and $r.Seconds) { '{0:N2}x faster' -f ($base / $r.Seconds) } else { '' }
        if ($r.Name -eq $Baseline) { $ratio = 'baseline' }
        $lines += "| $($r.Name) | $('{0:N3}' -f $r.Seconds) | $($r.PeakMiB) | $ratio |"
    }
    $sections.Add(($lines -join "`n"))
    $lines | Out-Host
}

# --- COCO JSON import (issue 3) ------------------------------------------------------------------
$synthetic = Join-Path $work 'synthetic-instances.json'
if (-not (Test-Path $synthetic)) {
    & /usr/bin/python3 (Join-Path $shared 'bench/gen_synthetic_coco.py') $synthetic
}
$size = '{0:N0} MB' -f ((Get-Item $synthetic).Length / 1MB)
$rows = @(
    Measure-Process -Name 'pycocotools COCO(path)' -File '/usr/bin/python3' -Arguments @((Join-Path $PSScriptRoot 'scripts/pycocotools_load.py'), $synthetic) -Environment @{ PYTHONPATH = $pycocotools }
    Measure-Process -Name 'CocoTools engine CocoJsonReader.ReadFile (fresh process)' -File $benchExe -Arguments @('once', 'import', $synthetic)
    Measure-Process -Name 'Import-CocoJson in pwsh (cmdlet time, fresh pwsh)' -File 'dotnet' -Arguments @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; `$t = [Diagnostics.Stopwatch]::StartNew(); `$d = Import-CocoJson -LiteralPath '$synthetic'; 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + `$d")
)
Add-Table -Title 'Loading a COCO file (Import-CocoJson, issue 3)' -Note "File: ``gen_synthetic_coco.py`` default ($size, 20,000 images, 120,000 polygon annotations). Peak RSS is the whole process (the pwsh row includes PowerShell itself)." -Rows $rows -Baseline 'pycocotools COCO(path)'

# --- COCO JSON export (issue 3) ------------------------------------------------------------------
$written = Join-Path $work 'written.json'
$rows = @(
    Measure-Process -Name 'Python json.dump (C encoder)' -File '/usr/bin/python3' -Arguments @((Join-Path $PSScriptRoot 'scripts/python_json_dump.py'), $synthetic, $written)
    Measure-Process -Name 'CocoTools engine CocoJsonWriter.WriteFile' -File $benchExe -Arguments @('once', 'roundtrip', $synthetic, $written)
)
Add-Table -Title 'Writing a COCO file (Export-CocoJson, issue 3)' -Note 'Same synthetic file, read first (not timed), then written compactly; the time is the write alone.' -Rows $rows -Baseline 'Python json.dump (C encoder)'

# --- Micro-benchmarks ----------------------------------------------------------------------------
if (-not $SkipMicro) {
    Push-Location $work
    try {
        & $benchExe --filter '*' --join --artifacts (Join-Path $work 'bdn') | Out-Host
        $report = Get-ChildItem (Join-Path $work 'bdn/results') -Filter '*-report-github.md' | Sort-Object LastWriteTime | Select-Object -Last 1
        if ($report) { $sections.Add("### BenchmarkDotNet`n`n" + ((Get-Content $report.FullName -Raw) -replace '(?s)^.*?(\|)', '$1')) }
    } finally {
        Pop-Location
    }
}

# --- Append to RESULTS.md ------------------------------------------------------------------------
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$memGiB = [math]::Round(((Get-Content /proc/meminfo | Select-Object -First 1) -replace '\D', '') / 1MB, 0)
$header = @(
    "## $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC",
    '',
    "Machine: $([Environment]::ProcessorCount) cores ($cpu), $memGiB GiB RAM, $((Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME*' }) -replace 'PRETTY_NAME=|"', ''); .NET $([Environment]::Version), pwsh $($PSVersionTable.PSVersion), $(& /usr/bin/python3 --version 2>&1). Median of $Repeat runs each.",
    ''
)
$results = Join-Path $PSScriptRoot 'RESULTS.md'
if (-not (Test-Path $results)) {
    Set-Content $results "# Benchmark results`n`nAppended by ``dotnet pwsh ./build.ps1 Bench`` (bench/Invoke-Bench.ps1); newest last. Every comparison runs side by side on the same machine in the same run.`n"
}
Add-Content $results (($header + ($sections -join "`n`n") + '') -join "`n")
Write-Host "Appended to $results"
