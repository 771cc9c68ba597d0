# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the built module and defines small helpers.
$script:ModulePath = if ($env:COCOTOOLS_MODULE) { $env:COCOTOOLS_MODULE } else { [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/CocoTools/CocoTools.psd1')) }
Import-Module $script:ModulePath -Force -ErrorAction Stop

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SharedDir = if ($env:COCOTOOLS_SHARED) { $env:COCOTOOLS_SHARED } else { Join-Path (Split-Path $script:RepoRoot -Parent) 'shared' }
$script:SeedSample = Join-Path $script:RepoRoot 'samples/viewer/seed-export-sample.json'
$script:AllKinds = Join-Path $script:RepoRoot 'tests/fixtures/coco/all-kinds.json'

function Get-PycocotoolsPath {
    # The oracle's PYTHONPATH: from the build, else built here from ../shared/oracles.
    if ($env:COCOTOOLS_PYCOCOTOOLS -and (Test-Path $env:COCOTOOLS_PYCOCOTOOLS)) { return $env:COCOTOOLS_PYCOCOTOOLS }
    $path = & bash (Join-Path $script:SharedDir 'oracles/pycocotools/build.sh') 2>$null | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw 'The pycocotools oracle did not build.' }
    $env:COCOTOOLS_PYCOCOTOOLS = $path
    return $path
}

function Invoke-Python {
    # Runs Debian's python3 with the pycocotools oracle importable; returns stdout lines, throws on failure.
    param([Parameter(Mandatory)] [string] $Script, [string[]] $Arguments = @())
    $old = $env:PYTHONPATH
    $env:PYTHONPATH = Get-PycocotoolsPath
    try {
        $output = & /usr/bin/python3 -c $Script @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "python failed ($LASTEXITCODE): $($output -join "`n")" }
        # Always an array, so [-1] is the last line even when there is only one.
        Write-Output -NoEnumerate ([string[]]@($output | ForEach-Object { "$_" }))
    } finally {
        $env:PYTHONPATH = $old
    }
}

function Test-JsonFileEqual {
    # Python's == on parsed JSON: same members with equal values, arrays in order.
    param([Parameter(Mandatory)] [string] $Expected, [Parameter(Mandatory)] [string] $Actual)
    $result = Invoke-Python -Script 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8")) == json.load(open(sys.argv[2], encoding="utf-8")))' -Arguments @($Expected, $Actual)
    return ($result | Select-Object -Last 1) -eq 'True'
}
