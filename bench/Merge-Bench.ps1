<#
.SYNOPSIS
    Merging partial files (issue 21): Merge-CocoDataset -Path ... -OrderBy FileName piped to Export-CocoJson (in
    memory) against Merge-CocoDataset ... -OutFile (streaming): time and peak RSS, and that the bytes agree.
.DESCRIPTION
    Makes -Count partials with ../shared/bench/gen_synthetic_coco.py (one seed each), each shaped as a shard of
    Add-CocoImage -Shard writes it: file_names prefixed part<i>/ (no image in two partials), images in file_name
    order, annotations grouped by image. Then runs each merge -Repeat times, interleaved, each in a fresh
    `dotnet pwsh` under GNU time (`%e %M`), checks the two outputs are the same bytes and that the streaming run
    streamed, prints a table and, with -Record, appends a dated section to bench/RESULTS.md.
    Partials are kept in -Work between runs (delete the folder to remake them).
.EXAMPLE
    dotnet pwsh bench/Merge-Bench.ps1 -Count 10 -Record                          # 10 x 62 MB
    dotnet pwsh bench/Merge-Bench.ps1 -Count 100 -Images 2000 -Annotations 12000 -Record   # 100 x 6 MB
    dotnet pwsh bench/Merge-Bench.ps1 -Count 3 -Images 200 -Annotations 1200 -Repeat 1      # a quick check
#>
param(
    [string] $ModulePath = (Join-Path (Split-Path $PSScriptRoot -Parent) 'out/CocoTools/CocoTools.psd1'),
    [int] $Count = 10,
    [int] $Images = 20000,
    [int] $Annotations = 120000,
    [int] $Repeat = 1,
    [string] $Work = (Join-Path (Split-Path $PSScriptRoot -Parent) 'out/bench/merge'),
    [switch] $Record
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$shared = if ($env:COCOTOOLS_SHARED) { $env:COCOTOOLS_SHARED } else { Join-Path (Split-Path $root -Parent) 'shared' }
$generator = Join-Path $shared 'bench/gen_synthetic_coco.py'
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$ModulePath = (Resolve-Path $ModulePath).Path
$set = Join-Path $Work "$Count-x-$Images-$Annotations"
New-Item -ItemType Directory -Path $set -Force | Out-Null

# 1. The partials, shaped as shards: prefixed file_names, annotations grouped by image (a stable sort by image id,
#    which is the file_name order here).
$shape = @'
import json, sys
path, prefix = sys.argv[1], sys.argv[2]
with open(path) as f:
    ds = json.load(f)
for image in ds["images"]:
    image["file_name"] = prefix + image["file_name"]
ds["annotations"].sort(key=lambda a: a["image_id"])
with open(path, "w") as f:
    json.dump(ds, f, separators=(",", ":"))
'@
foreach ($i in 0..($Count - 1)) {
    $part = Join-Path $set ('part-{0:D3}.json' -f $i)
    if (Test-Path $part) { continue }
    $raw = "$part.tmp"
    & /usr/bin/python3 $generator $raw --images $Images --anns $Annotations --seed (7 + $i)
    if ($LASTEXITCODE) { throw "gen_synthetic_coco.py failed for partial $i." }
    & /usr/bin/python3 -c $shape $raw "part$i/"
    if ($LASTEXITCODE) { throw "Shaping partial $i failed." }
    Move-Item -LiteralPath $raw -Destination $part -Force
}
$partBytes = (Get-ChildItem (Join-Path $set 'part-*.json') | Measure-Object Length -Sum).Sum

# 2. The two merges, each in a fresh pwsh under GNU time.
$parts = Join-Path $set 'part-*.json'
$inMemory = Join-Path $set 'in-memory.json'
$streamed = Join-Path $set 'streamed.json'
$runs = [ordered]@{
    'Merge-CocoDataset -Path part-*.json -OrderBy FileName \| Export-CocoJson -Compress (in memory)' =
        "Import-Module '$ModulePath'; Merge-CocoDataset -Path '$parts' -OrderBy FileName | Export-CocoJson '$inMemory' -Compress"
    'Merge-CocoDataset -Path part-*.json -OrderBy FileName -OutFile merged.json -Compress (streaming)' =
        "Import-Module '$ModulePath'; Merge-CocoDataset -Path '$parts' -OrderBy FileName -OutFile '$streamed' -Compress -Verbose 4>&1 | Where-Object { `$_ -is [Management.Automation.VerboseRecord] } | ForEach-Object { `"`$_`" }"
}
$samples = @{}
$timeFile = Join-Path $set 'time.txt'
foreach ($round in 1..$Repeat) {
    foreach ($name in $runs.Keys) {
        $output = & /usr/bin/time -f '%e %M' -o $timeFile dotnet $pwshDll -NoProfile -NonInteractive -Command $runs[$name] 2>&1 | ForEach-Object { "$_" }
        if ($LASTEXITCODE) { throw "$name failed: $($output -join "`n")" }
        if ($name -like '*(streaming)' -and -not ($output -match ', streaming:')) { throw "The streaming merge did not stream: $($output -join "`n")" }
        $wall, $kb = (Get-Content $timeFile -Raw).Trim() -split '\s+'
        if (-not $samples[$name]) { $samples[$name] = @() }
        $samples[$name] += [pscustomobject]@{ Seconds = [double]$wall; PeakMiB = [double]$kb / 1024 }
    }
}
if ((Get-FileHash $inMemory).Hash -ne (Get-FileHash $streamed).Hash) { throw 'The streaming merge wrote other bytes than the in-memory merge.' }
$outBytes = (Get-Item $streamed).Length

# 3. The table (medians).
$median = { param($v) $s = @($v | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
$rows = foreach ($name in $runs.Keys) {
    '| {0} | {1:N1} | {2:N0} |' -f $name, (& $median $samples[$name].Seconds), (& $median $samples[$name].PeakMiB)
}
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$section = @"
## $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC (bench/Merge-Bench.ps1)

Machine: $([Environment]::ProcessorCount) cores ($cpu), .NET $([Environment]::Version), pwsh $($PSVersionTable.PSVersion).

### Merging partial files: in memory against streaming (issue 21)

$Count partials from ``gen_synthetic_coco.py --images $Images --anns $Annotations`` (one seed each), shaped as shards
(file_names prefixed ``part<i>/``, annotations grouped by image): $('{0:N0}' -f $partBytes) bytes in, $('{0:N0}' -f $outBytes) bytes
out (compact), the same bytes both ways. Each run a fresh ``dotnet pwsh`` under ``/usr/bin/time -f '%e %M'``, median of $Repeat.

| run | wall s | peak RSS MiB |
| --- | ---: | ---: |
$($rows -join "`n")

"@
Write-Output $section
if ($Record) {
    Add-Content -LiteralPath (Join-Path $PSScriptRoot 'RESULTS.md') -Value $section
}
