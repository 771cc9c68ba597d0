<#
.SYNOPSIS
    Issue 21, section 1: the curve from 1 to 2 cores of Export-CocoImage, Export-CocoMask and Add-CocoImage, with
    what explains it; appends a dated section to bench/RESULTS.md.
.DESCRIPTION
    Each run is a fresh pwsh pinned with taskset to one core (-c 0) or two (-c 0,1), with -ThrottleLimit 1 or 2, so
    the table separates "more workers" from "more cores". Each run first warms the code up on a few items (the JIT),
    with the same throttle, then, inside the run, around the timed cmdlet only, it reads
    the collector's mode (GCSettings.IsServerGC, LatencyMode), the bytes allocated, the collections per generation,
    the collector's pause time and the process CPU time (CPU / wall = the cores actually kept busy). Runs are
    interleaved and repeated; the table shows medians. With -Counters, one more run per cmdlet (2 cores, 2 workers)
    is watched by dotnet-counters (a local dotnet tool, .config/dotnet-tools.json) for lock contention, thread-pool
    queue and GC figures.

    Inputs (made once under out/bench, as Invoke-Bench.ps1 makes its own):
    - Export-CocoImage: -Images copies of a 512 x 512 16-bit CT slice, each with its own SOP Instance UID.
    - Export-CocoMask: gen_synthetic_coco.py with -Images images and 6 polygons per image, semantic masks.
    - Add-CocoImage: the 54 DICOM samples dcmdump reads, copied until there are -Files files (3,240 = 60 copies).

    Run on a quiet machine: dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/Scale-Bench.ps1
    A quick check that it works: dotnet pwsh bench/Scale-Bench.ps1 -Images 40 -Files 108 -Repeat 1 -NoAppend
#>
param(
    [string] $ModulePath,
    [int] $Images = 2000,
    [int] $Files = 3240,
    [int] $Repeat = 3,
    [ValidateSet('ExportImage', 'ExportMask', 'AddImage')] [string[]] $Section = @('ExportImage', 'ExportMask', 'AddImage'),
    # Also watch one run per cmdlet with dotnet-counters.
    [switch] $Counters,
    # Print the tables without appending them to bench/RESULTS.md.
    [switch] $NoAppend
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/CocoTools/CocoTools.psd1' }
if (-not (Test-Path $ModulePath)) { throw "No module at ${ModulePath}: run 'dotnet pwsh ./build.ps1 Build' first." }
$work = Join-Path $root 'out/bench/scale'
New-Item -ItemType Directory -Path $work -Force | Out-Null
$shared = if ($env:COCOTOOLS_SHARED) { $env:COCOTOOLS_SHARED } else { Join-Path (Split-Path $root -Parent) 'shared' }
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$python = '/usr/bin/python3'
if (-not (Get-Command taskset -ErrorAction Ignore)) { throw 'taskset (util-linux) is needed to pin runs to cores.' }
$cores = [Environment]::ProcessorCount
if ($cores -lt 2) { Write-Warning "This machine has $cores processor(s): the two-core rows are the same as the one-core rows." }

# --- Inputs ---------------------------------------------------------------------------------------------------
function New-CtFolder {
    # $Images copies of one CT slice, native little endian, each with its own SOP Instance UID; and their dataset.
    $folder = Join-Path $work "ct-512-$Images"
    $json = Join-Path $work "ct-512-$Images.json"
    if (-not (Test-Path $json)) {
        if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
        New-Item -ItemType Directory -Path $folder | Out-Null
        $native = Join-Path $folder 'native.tmp'
        & dcmdrle (Join-Path $shared 'dicom-samples/fodicom_D_CLUNIE_CT1_RLE_FRAGS.dcm') $native 2>$null
        if ($LASTEXITCODE) { throw 'dcmdrle failed (apt package dcmtk).' }
        $copies = foreach ($n in 1..$Images) { $copy = Join-Path $folder ('ct{0:D5}.dcm' -f $n); Copy-Item $native $copy; $copy }
        Remove-Item $native
        for ($i = 0; $i -lt $copies.Count; $i += 200) {
            & dcmodify -nb -gin @($copies[$i..([math]::Min($i + 199, $copies.Count - 1))]) 2>$null
            if ($LASTEXITCODE) { throw 'dcmodify failed.' }
        }
        # The dataset, and one of the first four slices for warming the code up before the clock starts.
        & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; Add-CocoImage -LiteralPath '$folder' -BasePath '$folder' | Export-CocoJson '$json'; Add-CocoImage -LiteralPath @('$($copies[0..3] -join "','")') -BasePath '$folder' | Export-CocoJson '$json.warm.json'"
        if ($LASTEXITCODE) { throw 'Add-CocoImage of the CT folder failed.' }
    }
    [pscustomobject]@{ Folder = $folder; Json = $json; Warm = "$json.warm.json" }
}

function New-MaskDataset {
    # The synthetic COCO generator at $Images images, 6 polygon annotations each.
    $json = Join-Path $work "synthetic-$Images.json"
    if (-not (Test-Path $json)) {
        & $python (Join-Path $shared 'bench/gen_synthetic_coco.py') $json --images $Images --anns ($Images * 6)
        if ($LASTEXITCODE) { throw 'gen_synthetic_coco.py failed.' }
    }
    $json
}

function New-DicomCorpus {
    # The samples dcmdump reads, copied into numbered folders until there are $Files files.
    $corpus = Join-Path $work "dicom-corpus-$Files"
    if (-not (Test-Path $corpus)) {
        $manifest = @(Import-Csv (Join-Path $shared 'dicom-samples/MANIFEST.tsv') -Delimiter "`t" | Where-Object dcmdump_exit -eq '0')
        $made = 0
        for ($copy = 0; $made -lt $Files; $copy++) {
            $folder = Join-Path $corpus ('{0:D3}' -f $copy)
            New-Item -ItemType Directory -Path $folder -Force | Out-Null
            foreach ($row in $manifest) {
                if ($made -ge $Files) { break }
                Copy-Item (Join-Path $shared "dicom-samples/$($row.file)") $folder
                $made++
            }
        }
    }
    $corpus
}

# --- One measured run -------------------------------------------------------------------------------------------
# The script a run executes: $Setup (not timed), then $Timed between two readings of the GC and the CPU clock.
$probe = @'
Import-Module '{0}'
{1}
[GC]::Collect(); [GC]::WaitForPendingFinalizers()
$proc = [Diagnostics.Process]::GetCurrentProcess()
$before = @{{ Cpu = $proc.TotalProcessorTime.TotalSeconds; Alloc = [GC]::GetTotalAllocatedBytes($true); G0 = [GC]::CollectionCount(0); G1 = [GC]::CollectionCount(1); G2 = [GC]::CollectionCount(2); Pause = [GC]::GetTotalPauseDuration().TotalSeconds }}
$clock = [Diagnostics.Stopwatch]::StartNew()
{2}
$clock.Stop(); $proc.Refresh()
$facts = [ordered]@{{
    Seconds = $clock.Elapsed.TotalSeconds
    CpuSeconds = $proc.TotalProcessorTime.TotalSeconds - $before.Cpu
    AllocatedMiB = ([GC]::GetTotalAllocatedBytes($true) - $before.Alloc) / 1MB
    Gen0 = [GC]::CollectionCount(0) - $before.G0; Gen1 = [GC]::CollectionCount(1) - $before.G1; Gen2 = [GC]::CollectionCount(2) - $before.G2
    PauseSeconds = [GC]::GetTotalPauseDuration().TotalSeconds - $before.Pause
    ServerGC = [Runtime.GCSettings]::IsServerGC; LatencyMode = "$([Runtime.GCSettings]::LatencyMode)"
    Processors = [Environment]::ProcessorCount; Threads = $proc.Threads.Count
}}
'SCALE' + "`t" + ($facts | ConvertTo-Json -Compress)
'@

function Invoke-Run {
    # One fresh pwsh under taskset; returns its facts.
    param([string] $CpuList, [string] $Setup, [string] $Timed, [string] $CountersFile)
    $script = $probe -f $ModulePath, $Setup, $Timed
    $command = @('-c', $CpuList)
    if ($CountersFile) {
        $command += @('dotnet', 'dotnet-counters', 'collect', '--counters', 'System.Runtime', '--refresh-interval', '1', '--format', 'csv', '-o', $CountersFile, '--')
    }
    $command += @('dotnet', $pwshDll, '-NoProfile', '-NonInteractive', '-Command', $script)
    Push-Location $root   # dotnet-counters is a local tool of the repository
    try {
        $output = & taskset @command 2>&1 | ForEach-Object { "$_" }
    } finally {
        Pop-Location
    }
    if ($LASTEXITCODE) { throw "Run failed (taskset $($command[0..1] -join ' ')): $($output -join "`n")" }
    if ($CountersFile) { return }   # dotnet-counters does not pass the child's output on
    $line = $output | Where-Object { $_ -like "SCALE`t*" } | Select-Object -Last 1
    if (-not $line) { throw "No SCALE line: $($output -join "`n")" }
    $line.Substring(6) | ConvertFrom-Json
}

$combos = @(
    [pscustomobject]@{ Name = '1 core, -ThrottleLimit 1'; Cpus = '0'; Throttle = 1 }
    [pscustomobject]@{ Name = '1 core, -ThrottleLimit 2'; Cpus = '0'; Throttle = 2 }
    [pscustomobject]@{ Name = '2 cores, -ThrottleLimit 1'; Cpus = '0,1'; Throttle = 1 }
    [pscustomobject]@{ Name = '2 cores, -ThrottleLimit 2'; Cpus = '0,1'; Throttle = 2 }
)

$median = { param($v) $s = @($v | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
$sections = [System.Collections.Generic.List[string]]::new()
$gcFacts = $null

function Measure-Curve {
    # Every combination, interleaved, $Repeat rounds; one table, plus the counters of one 2-core run when asked.
    param([string] $Title, [string] $Note, [string] $Output, [scriptblock] $Setup, [scriptblock] $Timed)
    $samples = @{}
    foreach ($round in 1..$Repeat) {
        foreach ($combo in $combos) {
            if ($Output -and (Test-Path $Output)) { Remove-Item $Output -Recurse -Force }
            $facts = Invoke-Run -CpuList $combo.Cpus -Setup (& $Setup $combo.Throttle) -Timed (& $Timed $combo.Throttle)
            if (-not $samples[$combo.Name]) { $samples[$combo.Name] = [System.Collections.Generic.List[object]]::new() }
            $samples[$combo.Name].Add($facts)
            $script:gcFacts = $facts
        }
    }
    $base = & $median ($samples[$combos[0].Name] | ForEach-Object Seconds)
    $lines = @("### $Title", '', $Note, '',
        '| run | median s | vs 1 core, 1 worker | CPU s (CPU / wall) | allocated MiB | GCs gen0/1/2 | GC pause s |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    foreach ($combo in $combos) {
        $runs = $samples[$combo.Name]
        $s = & $median ($runs | ForEach-Object Seconds)
        $cpu = & $median ($runs | ForEach-Object CpuSeconds)
        $lines += '| {0} | {1:N3} | {2:N2}x | {3:N3} ({4:N2}) | {5:N0} | {6}/{7}/{8} | {9:N3} |' -f $combo.Name, $s, ($base / $s), $cpu, ($cpu / $s),
            (& $median ($runs | ForEach-Object AllocatedMiB)), (& $median ($runs | ForEach-Object Gen0)), (& $median ($runs | ForEach-Object Gen1)),
            (& $median ($runs | ForEach-Object Gen2)), (& $median ($runs | ForEach-Object PauseSeconds))
    }
    if ($Counters) {
        $csv = Join-Path $work "counters-$($Title -replace '\W+', '-').csv"
        if (Test-Path $csv) { Remove-Item $csv }
        if ($Output -and (Test-Path $Output)) { Remove-Item $Output -Recurse -Force }
        $null = Invoke-Run -CpuList '0,1' -Setup (& $Setup 2) -Timed (& $Timed 2) -CountersFile $csv
        $lines += '', "dotnet-counters over one 2-core, 2-worker run (whole process, import included): $(Get-CounterSummary $csv)"
    }
    $sections.Add(($lines -join "`n"))
    $lines | Out-Host
}

function Get-CounterSummary {
    # The largest value seen of the counters that tell contention, queueing and collection apart.
    param([string] $Csv)
    if (-not (Test-Path $Csv)) { return 'no counters file was written.' }
    $rows = @(Import-Csv $Csv)
    $wanted = 'lock_contention|lock-contention|queue.length|queue-length|gc.pause|time-in-gc|gc.collections|gen-2|heap.total_allocated|alloc'
    $names = $rows | ForEach-Object { $_.'Counter Name' } | Where-Object { $_ -match $wanted } | Select-Object -Unique
    if (-not $names) { return 'none of the counters looked for was reported.' }
    ($names | ForEach-Object {
        $name = $_
        $max = ($rows | Where-Object { $_.'Counter Name' -eq $name } | ForEach-Object { [double]$_.'Mean/Increment' } | Measure-Object -Maximum).Maximum
        "$name max $max"
    }) -join '; '
}

if ($Section -contains 'ExportImage') {
    $ct = New-CtFolder
    $out = Join-Path $work 'png-out'
    Measure-Curve -Title "Export-CocoImage, $Images CT slices to 8-bit PNGs, 1 and 2 cores (issue 21)" -Output $out `
        -Note "$Images copies of a 512 x 512 16-bit CT slice (native little endian, each its own SOP Instance UID), imported from their COCO file before the clock starts; the time is Export-CocoImage alone, writing into an empty folder. Each run is a fresh pwsh pinned by taskset, warmed up on 4 slices first." `
        -Setup { param($n) "`$ds = Import-CocoJson '$($ct.Json)'; `$null = Import-CocoJson '$($ct.Warm)' | Export-CocoImage '$out-warm' -ImageRoot '$($ct.Folder)' -ThrottleLimit $n" } -Timed { param($n) "`$null = `$ds | Export-CocoImage '$out' -ImageRoot '$($ct.Folder)' -ThrottleLimit $n" }
}

if ($Section -contains 'ExportMask') {
    $synthetic = New-MaskDataset
    $out = Join-Path $work 'mask-out'
    Measure-Curve -Title "Export-CocoMask -Kind Semantic, $Images images, 1 and 2 cores (issue 21)" -Output $out `
        -Note "gen_synthetic_coco.py --images $Images --anns $($Images * 6) (polygons; image sizes as the generator draws them), imported before the clock starts; the time is Export-CocoMask alone, into an empty folder." `
        -Setup { param($n) "`$ds = Import-CocoJson '$synthetic'; Export-CocoMask -InputObject `$ds '$out-warm' -Kind Semantic -ImageId 1, 2, 3, 4 -ThrottleLimit $n" } -Timed { param($n) "Export-CocoMask -InputObject `$ds '$out' -Kind Semantic -ThrottleLimit $n" }
}

if ($Section -contains 'AddImage') {
    $corpus = New-DicomCorpus
    Measure-Curve -Title "Add-CocoImage, $Files local DICOM files, 1 and 2 cores (issue 21)" -Output $null `
        -Note "The 54 samples dcmdump reads, copied into numbered folders up to $Files files (repeated SOP instances are dropped with a warning, silenced). The time is Add-CocoImage -Recurse on the folder." `
        -Setup { param($n) "`$null = Add-CocoImage -LiteralPath '$(Join-Path $corpus '000')' -ThrottleLimit $n -WarningAction SilentlyContinue -ErrorAction SilentlyContinue" } -Timed { param($n) "`$null = Add-CocoImage -LiteralPath '$corpus' -Recurse -ThrottleLimit $n -WarningAction SilentlyContinue -ErrorAction SilentlyContinue" }
}

# --- The finding (written by hand from profiles; see the report of issue 21) -------------------------------------
$finding = @'
Reading (issue 21). Why a second thread brought nothing before: (1) the batch loop (ParallelBatch) worked on a batch,
waited for its slowest item, and only then did the pipeline thread's part (adding images, writing errors) with every
worker idle, so the serial part and the batch barrier were paid on every batch; it now streams with an in-order
window (8 x throttle items in flight), the pipeline thread working while the workers go on. (2) Per slice the
export allocates its file's pixel data (512 KiB, a large-object-heap array) and the old engine bench a 1 MiB sample
array: one gen-2 collection per two files (60 for 120 slices, bench `once png`), each blocking every thread, and
the freed large-object memory comes back as page faults (system time grows with the thread count). pwsh cannot
switch to server or concurrent-off GC in process (GCSettings.IsServerGC is False and LatencyMode Interactive in
every run above), so the remedy is allocating less: the exporter rents its frame buffers and Export-CocoMask now
keeps one paint buffer per worker. (3) Export-CocoMask and Test-CocoFile had no parallel path at all. CPU / wall
in the table is the number of cores actually kept busy: near 2 on two cores means the work scales and any gap to
2x is the memory system or the collector, near 1 means something is serial.
'@
$sections.Add($finding.Trim())

$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$memGiB = [math]::Round(((Get-Content /proc/meminfo | Select-Object -First 1) -replace '\D', '') / 1MB, 0)
$smt = if (Test-Path /sys/devices/system/cpu/cpu0/topology/thread_siblings_list) { (Get-Content /sys/devices/system/cpu/cpu0/topology/thread_siblings_list) } else { '?' }
$load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$header = @(
    "## $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC (bench/Scale-Bench.ps1, issue 21)",
    '',
    "Machine: $cores cores ($cpu; cpu0 shares its core with: $smt), $memGiB GiB RAM, $((Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME*' }) -replace 'PRETTY_NAME=|"', ''); .NET $([Environment]::Version), pwsh $($PSVersionTable.PSVersion); load average before the runs $($load -join ' '). In the runs: server GC $($gcFacts.ServerGC), latency mode $($gcFacts.LatencyMode). Medians of $Repeat interleaved runs.",
    ''
)
$text = ($header + ($sections -join "`n`n") + '') -join "`n"
if ($NoAppend) {
    $text | Out-Host
} else {
    Add-Content (Join-Path $PSScriptRoot 'RESULTS.md') $text
    Write-Host "Appended to $(Join-Path $PSScriptRoot 'RESULTS.md')"
}
