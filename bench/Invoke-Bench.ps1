<#
.SYNOPSIS
    End-to-end comparisons of CocoTools with the reference tools, side by side on this machine, plus the
    BenchmarkDotNet micro-benchmarks; appends a dated section to bench/RESULTS.md.
.DESCRIPTION
    The runs being compared are interleaved (A, B, A, B, ...) so that a change in machine load hits both
    alike; each is a fresh process. A program may report its own timings as lines "RESULT[-KEY]<tab>seconds
    <tab>detail" (the time of the work itself, without start-up); otherwise the wall time counts. Tables show
    medians, and the median peak resident memory (GNU time %M). Run through `build.ps1 Bench`, which builds the
    module and the pycocotools oracle first.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $Configuration = 'Release',
    [int] $Repeat = 5,
    [switch] $SkipMicro,
    # Which comparisons to run (all by default).
    [ValidateSet('Json', 'Masks', 'Validate', 'Operations', 'Dicom', 'Images', 'Annotations', 'Segmentations', 'Micro')] [string[]] $Section = @('Json', 'Masks', 'Validate', 'Operations', 'Dicom', 'Images', 'Annotations', 'Segmentations', 'Micro')
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$work = Join-Path $root 'out/bench'
New-Item -ItemType Directory -Path $work -Force | Out-Null
$shared = if ($env:COCOTOOLS_SHARED) { $env:COCOTOOLS_SHARED } else { Join-Path (Split-Path $root -Parent) 'shared' }
$pycocotools = $env:COCOTOOLS_PYCOCOTOOLS
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$python = '/usr/bin/python3'

& dotnet build (Join-Path $PSScriptRoot 'CocoTools.Bench/CocoTools.Bench.csproj') -c $Configuration --nologo -v quiet | Out-Null
if ($LASTEXITCODE) { throw 'The bench project did not build.' }
$benchExe = Join-Path $PSScriptRoot "CocoTools.Bench/bin/$Configuration/net10.0/CocoTools.Bench"

function New-Run {
    # One command to measure: a display name, the program and its arguments, extra environment.
    param([string] $Name, [string] $File, [string[]] $Arguments, [hashtable] $Environment = @{})
    [pscustomobject]@{ Name = $Name; File = $File; Arguments = $Arguments; Environment = $Environment }
}

function Invoke-Once {
    # Runs a command under GNU time; returns @{ key = seconds } from its RESULT lines (or wall time), peak MiB, details.
    param($Run)
    $saved = @{}
    foreach ($k in $Run.Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Run.Environment[$k]) }
    $timeFile = Join-Path $work 'time.txt'
    try {
        $output = & /usr/bin/time -f '%e %M' -o $timeFile $Run.File @($Run.Arguments) 2>&1 | ForEach-Object { "$_" }
        $exit = $LASTEXITCODE
    } finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
    if ($exit -ne 0) { throw "$($Run.Name) failed: $($output -join "`n")" }
    $wall, $kb = (Get-Content $timeFile -Raw).Trim() -split '\s+'
    $times = [ordered]@{}; $details = @{}
    foreach ($line in $output | Where-Object { $_ -match '^RESULT(-\w+)?\t' }) {
        $parts = $line -split "`t"
        $key = if ($parts[0] -eq 'RESULT') { '' } else { $parts[0].Substring(7).ToLowerInvariant() }
        $times[$key] = [double]$parts[1]; $details[$key] = $parts[2]
    }
    if ($times.Count -eq 0) { $times[''] = [double]$wall }
    [pscustomobject]@{ Times = $times; PeakMiB = [double]$kb / 1024; Details = $details }
}

function Measure-Interleaved {
    # Runs every command once per round, $Repeat rounds; one row per (command, RESULT key) with medians.
    param([object[]] $Runs)
    $samples = @{}
    foreach ($round in 1..$Repeat) {
        foreach ($run in $Runs) {
            $r = Invoke-Once $run
            foreach ($key in $r.Times.Keys) {
                $id = "$($run.Name)|$key"
                if (-not $samples[$id]) { $samples[$id] = [pscustomobject]@{ Name = $run.Name; Key = $key; Seconds = @(); Peak = @(); Detail = '' } }
                $samples[$id].Seconds += $r.Times[$key]; $samples[$id].Peak += $r.PeakMiB; $samples[$id].Detail = $r.Details[$key]
            }
        }
    }
    $median = { param($v) $s = @($v | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
    foreach ($run in $Runs) {
        foreach ($s in $samples.Values | Where-Object Name -eq $run.Name | Sort-Object Key) {
            [pscustomobject]@{ Name = $s.Name; Key = $s.Key; Seconds = (& $median $s.Seconds); PeakMiB = [math]::Round((& $median $s.Peak), 0); Detail = $s.Detail }
        }
    }
}

$sections = [System.Collections.Generic.List[string]]::new()
function Add-Table {
    # Each row is compared with the baseline row of the same RESULT key.
    param([string] $Title, [string] $Note, [object[]] $Rows, [string] $Baseline)
    $lines = @("### $Title", '', $Note, '', '| run | median s | peak RSS MiB | vs baseline |', '| --- | ---: | ---: | ---: |')
    foreach ($r in $Rows) {
        $base = ($Rows | Where-Object { $_.Name -eq $Baseline -and $_.Key -eq $r.Key }).Seconds
        $ratio = if ($r.Name -eq $Baseline) { 'baseline' } elseif ($base -and $r.Seconds) { '{0:N2}x faster' -f ($base / $r.Seconds) } else { '' }
        $label = $(if ($r.Key) { "$($r.Name): $($r.Key)" } else { $r.Name }) -replace '\|', '\|'
        $lines += "| $label | $('{0:N3}' -f $r.Seconds) | $($r.PeakMiB) | $ratio |"
    }
    $sections.Add(($lines -join "`n"))
    $lines | Out-Host
}

if ($Section -contains 'Json' -or $Section -contains 'Masks' -or $Section -contains 'Validate' -or $Section -contains 'Operations') {
    # --- The synthetic COCO-scale file ---------------------------------------------------------------
    $synthetic = Join-Path $work 'synthetic-instances.json'
    if (-not (Test-Path $synthetic)) {
        & $python (Join-Path $shared 'bench/gen_synthetic_coco.py') $synthetic
    }
    $size = '{0:N0} MB' -f ((Get-Item $synthetic).Length / 1MB)
    $pyEnv = @{ PYTHONPATH = $pycocotools }
}

if ($Section -contains 'Json') {
    # --- COCO JSON import (issue 3) ------------------------------------------------------------------
    $rows = Measure-Interleaved @(
        New-Run 'pycocotools COCO(path)' $python @((Join-Path $PSScriptRoot 'scripts/pycocotools_load.py'), $synthetic) $pyEnv
        New-Run 'CocoTools engine, fresh process' $benchExe @('once', 'import', $synthetic)
        New-Run 'Import-CocoJson, fresh pwsh (cmdlet time)' 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; `$t = [Diagnostics.Stopwatch]::StartNew(); `$d = Import-CocoJson -LiteralPath '$synthetic'; 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + `$d")
    )
    Add-Table -Title 'Loading a COCO file (Import-CocoJson, issue 3)' -Note "File: ``gen_synthetic_coco.py`` default ($size, 20,000 images, 120,000 polygon annotations). Peak RSS is the whole process (the pwsh row includes PowerShell itself)." -Rows $rows -Baseline 'pycocotools COCO(path)'

    # --- COCO JSON export (issue 3) ------------------------------------------------------------------
    $written = Join-Path $work 'written.json'
    $rows = Measure-Interleaved @(
        New-Run 'Python json.dump (C encoder)' $python @((Join-Path $PSScriptRoot 'scripts/python_json_dump.py'), $synthetic, $written)
        New-Run 'CocoTools engine CocoJsonWriter.WriteFile' $benchExe @('once', 'roundtrip', $synthetic, $written)
    )
    Add-Table -Title 'Writing a COCO file (Export-CocoJson, issue 3)' -Note 'Same synthetic file, read first (not timed), then written compactly; the time is the write alone.' -Rows $rows -Baseline 'Python json.dump (C encoder)'
}

if ($Section -contains 'Validate') {
    # --- Validation (issue 7) --------------------------------------------------------------------------
    $rows = Measure-Interleaved @(
        New-Run 'pycocotools COCO(path), loading only' $python @((Join-Path $PSScriptRoot 'scripts/pycocotools_load.py'), $synthetic) $pyEnv
        New-Run 'CocoTools engine CocoValidator, fresh process' $benchExe @('once', 'validate', $synthetic)
        New-Run 'Test-CocoFile, fresh pwsh (cmdlet time)' 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; `$t = [Diagnostics.Stopwatch]::StartNew(); `$f = @(Test-CocoFile -LiteralPath '$synthetic'); 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + `$f.Count + ' findings'")
    )
    Add-Table -Title 'Validating a COCO file (Test-CocoFile, issue 7)' -Note "Same synthetic file ($size). pycocotools only loads it (no checks); CocoTools streams it through every rule (the file has no findings, so the locating pass does not run). Peak RSS is the whole process." -Rows $rows -Baseline 'pycocotools COCO(path), loading only'
}

if ($Section -contains 'Masks') {
    # --- Masks (issue 4) -----------------------------------------------------------------------------
    $rows = Measure-Interleaved @(
        New-Run 'pycocotools' $python @((Join-Path $PSScriptRoot 'scripts/pycocotools_masks.py'), $synthetic) $pyEnv
        New-Run 'CocoTools engine' $benchExe @('once', 'masks', $synthetic)
    )
    Add-Table -Title 'Polygons to RLE, and RLE to full masks (issue 4)' -Note 'All 120,000 annotations of the synthetic file, single-threaded, loading not timed. encode: one compressed RLE per annotation, kept (pycocotools: merge(frPyObjects(segmentation, h, w)); CocoTools: AnnotationGeometry.ToCompressedRle). decode: each RLE from its compressed form to a full h x w mask (pycocotools: mask.decode; CocoTools: Rle.TryDecode into a reused buffer).' -Rows $rows -Baseline 'pycocotools'
}

if ($Section -contains 'Operations') {
    # --- Dataset operations (issue 9) -----------------------------------------------------------------
    $rows = Measure-Interleaved @(
        New-Run 'CocoTools engine, one loaded dataset' $benchExe @('once', 'ops', $synthetic)
    )
    Add-Table -Title 'Query, statistics, merge, split, remove, rename (issue 9)' -Note "The synthetic file ($size, 20,000 images, 120,000 annotations), loaded once (not timed); each operation timed alone: images of one category whose file_name matches *1* and that category's annotations; all statistics; a merge of the dataset with itself (every image found twice); a stratified 80/10/10 split by study; removing one category's annotations; merging one category into another. No peer tool here does these on COCO files (Datumaro, kwcoco and FiftyOne are not installable), so the table has no baseline." -Rows $rows -Baseline 'CocoTools engine, one loaded dataset'
}

if ($Section -contains 'Dicom') {
    # --- DICOM header scan and Add-CocoImage (issue 5) -----------------------------------------------
    $corpus = Join-Path $work 'dicom-corpus'
    if (-not (Test-Path $corpus)) {
        # The 54 samples dcmdump reads, each copied 60 times: 3,240 files.
        $manifest = Import-Csv (Join-Path $shared 'dicom-samples/MANIFEST.tsv') -Delimiter "`t" | Where-Object dcmdump_exit -eq '0'
        foreach ($copy in 0..59) {
            $folder = Join-Path $corpus ('{0:D2}' -f $copy)
            New-Item -ItemType Directory -Path $folder -Force | Out-Null
            foreach ($row in $manifest) { Copy-Item (Join-Path $shared "dicom-samples/$($row.file)") $folder }
        }
    }
    $corpusFiles = @(Get-ChildItem $corpus -Recurse -File | Sort-Object FullName | ForEach-Object FullName)
    $dcmdumpArgs = @('-q', '+P', '0028,0010', '+P', '0028,0011', '+P', '0028,0008', '+P', '0008,0018', '+P', '0002,0010') + $corpusFiles
    $rows = Measure-Interleaved @(
        New-Run 'pydicom dcmread(stop_before_pixels=True)' $python @('-W', 'ignore', (Join-Path $PSScriptRoot 'scripts/pydicom_scan.py'), $corpus)
        New-Run 'dcmtk dcmdump, one process, wall time' 'dcmdump' $dcmdumpArgs
        New-Run 'CocoTools engine, 1 thread' $benchExe @('once', 'scan', $corpus, '1')
        New-Run 'CocoTools engine, 2 threads' $benchExe @('once', 'scan', $corpus, '2')
    )
    Add-Table -Title 'DICOM header scan (issue 5)' -Note "$($corpusFiles.Count) files: the 54 samples dcmdump reads, 60 copies each. pydicom and CocoTools report the time of the loop over the files; dcmdump's row is its wall time for one process over all files (dcmtk prints the five attributes of each)." -Rows $rows -Baseline 'dcmtk dcmdump, one process, wall time'

    $coco = Join-Path $work 'dicom.coco.json'
    $rows = Measure-Interleaved @(
        New-Run 'pydicom loop to COCO JSON' $python @('-W', 'ignore', (Join-Path $PSScriptRoot 'scripts/pydicom_to_coco.py'), $corpus, $coco)
        New-Run 'Get-ChildItem | Add-CocoImage | Export-CocoJson, fresh pwsh (pipeline time)' 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; Set-Location '$corpus'; `$t = [Diagnostics.Stopwatch]::StartNew(); Get-ChildItem -Recurse -Filter *.dcm | Add-CocoImage -WarningAction SilentlyContinue | Export-CocoJson '$coco'; 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + 'pipeline'")
    )
    Add-Table -Title 'DICOM folder to COCO JSON, end to end (issue 5)' -Note 'Same corpus. The pydicom loop reads each header and writes one COCO image per frame; Add-CocoImage does the same and also drops the repeated SOP instances of the 60 copies (with a warning each).' -Rows $rows -Baseline 'pydicom loop to COCO JSON'
}

if ($Section -contains 'Images') {
    # --- DICOM to training PNGs (issue 10) ------------------------------------------------------------
    $ctFolder = Join-Path $work 'ct-512'
    if (-not (Test-Path $ctFolder)) {
        # 200 copies of a 512 x 512 16-bit CT slice (dcmtk decompresses the RLE sample to native little endian).
        New-Item -ItemType Directory -Path $ctFolder | Out-Null
        $native = Join-Path $ctFolder 'native.tmp'
        & dcmdrle (Join-Path $shared 'dicom-samples/fodicom_D_CLUNIE_CT1_RLE_FRAGS.dcm') $native 2>$null
        foreach ($n in 1..200) {
            $copy = Join-Path $ctFolder ('ct{0:D3}.dcm' -f $n)
            Copy-Item $native $copy
            & dcmodify -nb -gin $copy 2>$null   # a SOP Instance UID of its own, so each copy is its own image
        }
        Remove-Item $native
    }
    $pngOut = Join-Path $work 'png-out'
    $rows = Measure-Interleaved @(
        New-Run 'pydicom + numpy + Pillow (Pillow''s default zlib level 6)' $python @((Join-Path $PSScriptRoot 'scripts/pydicom_to_png.py'), $ctFolder, "$pngOut-py6")
        New-Run 'pydicom + numpy + Pillow, zlib level 1' $python @((Join-Path $PSScriptRoot 'scripts/pydicom_to_png.py'), $ctFolder, "$pngOut-py1", '1')
        New-Run 'CocoTools engine, 1 thread' $benchExe @('once', 'png', $ctFolder, "$pngOut-cs1", '1')
        New-Run 'CocoTools engine, 2 threads' $benchExe @('once', 'png', $ctFolder, "$pngOut-cs2", '2')
        New-Run 'Add-CocoImage | Export-CocoImage, fresh pwsh (pipeline time)' 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; `$t = [Diagnostics.Stopwatch]::StartNew(); `$null = Add-CocoImage '$ctFolder' -BasePath '$ctFolder' -WarningAction SilentlyContinue | Export-CocoImage '$pngOut-pwsh' -ImageRoot '$ctFolder'; 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + 'pipeline'")
    )
    Add-Table -Title 'DICOM CT slices to windowed 8-bit PNGs (Export-CocoImage, issue 10)' -Note "200 copies of a 512 x 512 16-bit CT slice (native little endian, no window in the file, so min-max). The pydicom loop is what people write: dcmread, pixel_array, rescale, window with numpy, Pillow PNG. CocoTools writes Up-filtered PNGs with zlib-ng at level 2 (lossless like any PNG; 89.9 KiB a slice, against Pillow's 77.4 KiB at level 6 and 90.0 KiB at level 1, so the Pillow level-1 row is the comparison at equal size). Each copy has its own SOP Instance UID (dcmodify -gin). The pipeline row also scans the files (Add-CocoImage) and rewrites the dataset's file_names." -Rows $rows -Baseline 'pydicom + numpy + Pillow (Pillow''s default zlib level 6)'
}

if ($Section -contains 'Annotations') {
    # --- Annotation lists (issue 6) -----------------------------------------------------------------
    $listImages = Join-Path $work 'box-list-images.json'
    $boxList = Join-Path $work 'box-list-1m.csv'
    $emptyList = Join-Path $work 'box-list-1m-no-finding.csv'
    if (-not (Test-Path $boxList)) { & $python (Join-Path $PSScriptRoot 'scripts/make_box_list.py') $listImages $boxList 1000000 }
    if (-not (Test-Path $emptyList)) { & $python (Join-Path $PSScriptRoot 'scripts/make_box_list.py') $listImages $emptyList 1000000 20000 empty }
    function New-PwshRun {
        # A fresh pwsh that imports the module, reads the 20,000 images, then times one script block (RESULT line).
        param([string] $Name, [string] $Timed)
        New-Run $Name 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; `$ds = Import-CocoJson '$listImages'; `$t = [Diagnostics.Stopwatch]::StartNew(); $Timed; 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + `$ds")
    }
    $rows = Measure-Interleaved @(
        New-PwshRun 'Import-Csv | Add-CocoAnnotation' "Import-Csv '$boxList' | Add-CocoAnnotation `$ds"
        New-PwshRun 'Add-CocoAnnotation -CsvPath' "Add-CocoAnnotation `$ds -CsvPath '$boxList'"
        New-PwshRun 'Add-CocoAnnotation -CsvPath, 1M no-finding rows (nothing kept)' "Add-CocoAnnotation `$ds -CsvPath '$emptyList' -WarningAction SilentlyContinue"
        New-PwshRun 'the same pwsh with the images only (memory baseline)' "`$null = `$ds"
    )
    Add-Table -Title 'A 1,000,000-row box list into a dataset (Add-CocoAnnotation, issue 6)' -Note 'NIH ChestX-ray14 columns (Image Index, Finding Label, Bbox [x, y, w, h]) plus a reader column kept as an attribute; 1,000,000 rows naming 20,000 images in random order, values with 15 significant digits as in the NIH list (bench/scripts/make_box_list.py). Each run is a fresh pwsh that has read the images; the time is the cmdlet alone. The no-finding file has the same 1,000,000 rows with every box empty: its peak memory, next to the baseline, shows memory follows the annotations kept, not the file.' -Rows $rows -Baseline 'Import-Csv | Add-CocoAnnotation'
}

if ($Section -contains 'Segmentations') {
    # --- DICOM SEG to COCO RLE (issue 17) -----------------------------------------------------------
    $segWork = Join-Path $work 'seg'
    if (-not (Test-Path (Join-Path $segWork 'images.json'))) { & $python (Join-Path $PSScriptRoot 'scripts/make_seg_bench.py') $segWork }
    $segImages = Join-Path $segWork 'images.json'
    $runs = foreach ($kind in 'binary', 'labelmap') {
        $seg = Join-Path $segWork "seg-$kind.dcm"
        New-Run "pydicom + numpy + pycocotools: $kind" $python @((Join-Path $PSScriptRoot 'scripts/pydicom_seg_to_rle.py'), $seg) @{ PYTHONPATH = $pycocotools }
        foreach ($warm in $false, $true) {
            # Warmed: a 16 x 16 SEG converted first in the same pwsh, so the code is compiled, as pydicom's is imported.
            $warmUp = if ($warm) { "Add-CocoAnnotation (Import-CocoJson '$segImages') -DicomPath '$(Join-Path $shared 'dicom-annotations/highdicom_seg_image_ct_binary.dcm')' -ErrorAction SilentlyContinue; " } else { '' }
            New-Run "Add-CocoAnnotation -DicomPath$(if ($warm) { ', code warmed on a 16 x 16 SEG' } else { ', first call in a fresh pwsh' }): $kind" 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; $warmUp`$ds = Import-CocoJson '$segImages'; `$t = [Diagnostics.Stopwatch]::StartNew(); Add-CocoAnnotation `$ds -DicomPath '$seg'; if (-not `$ds.Annotations.Count) { throw 'nothing was added' }; 'RESULT' + `"``t`" + `$t.Elapsed.TotalSeconds + `"``t`" + `$ds")
        }
    }
    $runs += New-Run 'the same pwsh with the images only (memory baseline)' 'dotnet' @($pwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; `$ds = Import-CocoJson '$segImages'; 'RESULT' + `"``t`" + 0 + `"``t`" + `$ds")
    $rows = Measure-Interleaved $runs
    foreach ($kind in 'binary', 'labelmap') {
        Add-Table -Title "A 300-frame 512 x 512 SEG to COCO RLE, $kind (Add-CocoAnnotation -DicomPath, issue 17)" -Note "bench/scripts/make_seg_bench.py: $(if ($kind -eq 'binary') { 'BINARY, 1 bit, 60 slices x 5 segments' } else { 'LABELMAP, 16 bit, 300 slices, labels 1-5' }), random ellipses, native Explicit VR Little Endian ($('{0:N1}' -f ((Get-Item (Join-Path $segWork "seg-$kind.dcm")).Length / 1MB)) MB). The baseline reads pixel_array, splits each frame by segment with numpy and encodes with pycocotools (with area and toBbox); CocoTools streams the frames, one RLE per (segment, image), with categories and attributes. Times are the work alone (dcmread to the last RLE; the cmdlet call): the first call in a fresh pwsh includes compiling the engine's DICOM, SEG and RLE code (the JIT), which the warmed row has done on a 16 x 16 SEG before. Peak RSS is the whole process, next to a pwsh that only loaded the images." -Rows @($rows | Where-Object { $_.Name -like "*: $kind" -or $_.Name -like 'the same pwsh*' }) -Baseline "pydicom + numpy + pycocotools: $kind"
    }
}

# --- Micro-benchmarks ----------------------------------------------------------------------------
if ($Section -contains 'Micro' -and -not $SkipMicro) {
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
    "Machine: $([Environment]::ProcessorCount) cores ($cpu), $memGiB GiB RAM, $((Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME*' }) -replace 'PRETTY_NAME=|"', ''); .NET $([Environment]::Version), pwsh $($PSVersionTable.PSVersion), $(& $python --version 2>&1). Medians of $Repeat interleaved runs.",
    ''
)
$results = Join-Path $PSScriptRoot 'RESULTS.md'
if (-not (Test-Path $results)) {
    Set-Content $results "# Benchmark results`n`nAppended by ``dotnet pwsh ./build.ps1 Bench`` (bench/Invoke-Bench.ps1); newest last. Every comparison runs side by side, interleaved, on the same machine in the same run.`n"
}
Add-Content $results (($header + ($sections -join "`n`n") + '') -join "`n")
Write-Host "Appended to $results"
