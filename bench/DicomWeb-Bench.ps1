<#
.SYNOPSIS
    The DICOMweb bench (issue 18): 1,000 instances on a local Orthanc started here. Find-CocoDicomWeb | Add-CocoImage
    against a Python urllib loop making the same QIDO and metadata requests one by one; Export-CocoImage from the
    server (cold frames, warm cache) against the same export from local files. Appends a section to bench/RESULTS.md.
.EXAMPLE
    dotnet pwsh bench/DicomWeb-Bench.ps1 -ModulePath out/CocoTools/CocoTools.psd1
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Count = 1000,
    [int] $Repeat = 3
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
. (Join-Path $root 'tests/Pester/DicomWebServers.ps1')
if ($reason = Get-OrthancSkipReason) { Write-Warning "DICOMweb bench skipped: $reason."; return }
$ModulePath = (Resolve-Path $ModulePath).Path
$python = '/usr/bin/python3'
$work = Join-Path $root 'out/bench/dicomweb'
Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
$files = Join-Path $work 'files'
& $python (Join-Path $PSScriptRoot 'scripts/make_dicomweb_instances.py') (Join-Path $root 'samples/dicom/pydicom_CT_small.dcm') $files $Count
if ($LASTEXITCODE) { throw 'Generating the instances failed.' }

$server = Start-TestOrthanc
try {
    # Upload (not measured) in parallel through the REST API.
    Get-ChildItem $files -Filter *.dcm | ForEach-Object -ThrottleLimit 8 -Parallel {
        Invoke-RestMethod "$($using:server.Root)/instances" -Method Post -InFile $_.FullName -ContentType 'application/dicom' -Credential $using:server.Credential -AllowUnencryptedAuthentication | Out-Null
    }

    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    function Invoke-Pwsh {
        # A fresh pwsh runs $Body with $pacs, $cred, $files, $work set; prints RESULT<tab>seconds of the measured part.
        param([string] $Body)
        $prelude = "`$ErrorActionPreference='Stop'; Import-Module '$ModulePath'; `$pacs='$($server.DicomWeb)'; `$files='$files'; `$work='$work'; `$cred=[pscredential]::new('cocotest', (ConvertTo-SecureString '$($server.Password)' -AsPlainText -Force)); "
        $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command ($prelude + $Body)
        if ($LASTEXITCODE) { throw "pwsh failed: $out" }
        Read-Result $out
    }
    function Invoke-PwshSeconds { param([string] $Body) (Invoke-Pwsh $Body)['RESULT'] }
    function Read-Result {
        # RESULT lines: the whole as RESULT, phases as RESULT-QIDO and RESULT-METADATA.
        param([string[]] $Lines)
        $r = @{}
        foreach ($line in $Lines | Where-Object { $_ -like 'RESULT*' }) { $p = $line -split "`t"; $r[$p[0]] = [double]$p[1] }
        $r
    }
    $measure = { param($script) "`$sw=[Diagnostics.Stopwatch]::StartNew(); $script; 'RESULT' + [char]9 + `$sw.Elapsed.TotalSeconds" }

    $find = [Collections.Generic.List[double]]::new(); $loop = [Collections.Generic.List[double]]::new()
    $findQido = [Collections.Generic.List[double]]::new(); $loopQido = [Collections.Generic.List[double]]::new()
    $findMeta = [Collections.Generic.List[double]]::new(); $loopMeta = [Collections.Generic.List[double]]::new()
    $local = [Collections.Generic.List[double]]::new(); $cold = [Collections.Generic.List[double]]::new(); $warm = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Repeat; $i++) {
        $r = Invoke-Pwsh ('$sw=[Diagnostics.Stopwatch]::StartNew(); $found = Find-CocoDicomWeb $pacs -Credential $cred; $q = $sw.Elapsed.TotalSeconds; $ds = $found | Add-CocoImage -NoCache; if ($ds.Images.Count -ne ' + $Count + ') { throw $ds }; "RESULT-QIDO`t$q"; "RESULT-METADATA`t$($sw.Elapsed.TotalSeconds - $q)"; "RESULT`t$($sw.Elapsed.TotalSeconds)"')
        $find.Add($r['RESULT']); $findQido.Add($r['RESULT-QIDO']); $findMeta.Add($r['RESULT-METADATA'])
        $r = Read-Result (& $python (Join-Path $PSScriptRoot 'scripts/dicomweb_urllib_loop.py') $server.DicomWeb 'cocotest' $server.Password)
        $loop.Add($r['RESULT']); $loopQido.Add($r['RESULT-QIDO']); $loopMeta.Add($r['RESULT-METADATA'])

        $local.Add((Invoke-PwshSeconds ('$ds = Add-CocoImage -Path $files -BasePath $files; ' + (& $measure '$ds | Export-CocoImage (Join-Path $work "png-local") -ImageRoot $files | Out-Null'))))
        # The pipeline as users run it: Add-CocoImage caches the metadata, the export fetches the frames (cold), then again (warm).
        $cache = Join-Path $work "cache-$i"
        $cold.Add((Invoke-PwshSeconds ("`$ds = Find-CocoDicomWeb `$pacs -Credential `$cred | Add-CocoImage -CacheDirectory '$cache'; " + (& $measure "`$ds | Export-CocoImage (Join-Path `$work 'png-web') -Credential `$cred -CacheDirectory '$cache' | Out-Null"))))
        Write-Host "run ${i}: find $($find[-1]) ($($findQido[-1]) + $($findMeta[-1])) loop $($loop[-1]) ($($loopQido[-1]) + $($loopMeta[-1])) local $($local[-1]) cold $($cold[-1])"
        $warm.Add((Invoke-PwshSeconds ("`$ds = Find-CocoDicomWeb `$pacs -Credential `$cred | Add-CocoImage -CacheDirectory '$cache'; " + (& $measure "`$ds | Export-CocoImage (Join-Path `$work 'png-warm') -Credential `$cred -CacheDirectory '$cache' | Out-Null"))))
    }

    # The PNGs from the server and from the files are the same bytes (named by file stem and by SOP UID).
    $hashes = { param($dir) ((Get-ChildItem $dir -Filter *.png | ForEach-Object { (Get-FileHash $_.FullName).Hash }) | Sort-Object) -join ',' }
    if ((& $hashes (Join-Path $work 'png-local')) -ne (& $hashes (Join-Path $work 'png-web'))) { throw 'The PNGs from the server differ from those from the files.' }
} finally {
    Stop-TestServer $server
}

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][Math]::Floor(($s.Count - 1) / 2)] }
$mFind = Median $find; $mLoop = Median $loop; $mFindQ = Median $findQido; $mLoopQ = Median $loopQido; $mFindM = Median $findMeta; $mLoopM = Median $loopMeta; $mLocal = Median $local; $mCold = Median $cold; $mWarm = Median $warm
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '.*:\s*', ''
$mem = [math]::Round((((Get-Content /proc/meminfo)[0] -split '\s+')[1]) / 1MB)
$os = ((Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME=*' }) -replace 'PRETTY_NAME=', '').Trim('"')
$load = (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ', '
$section = @"

## $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC: DICOMweb (issue 18)

Machine: $([Environment]::ProcessorCount) cores ($cpu), $mem GiB RAM, $os; .NET $([Environment]::Version), pwsh $($PSVersionTable.PSVersion), Orthanc $((& Orthanc --version 2>&1 | Select-Object -First 1) -replace '.*?(\d+\.\d+\.\d+).*', '$1') with DICOMweb plugin, on 127.0.0.1. $Count instances (copies of pydicom_CT_small.dcm, 128x128 16-bit, with new UIDs; 10 series). Medians of $Repeat interleaved runs, each a fresh process; seconds of the work itself (no start-up). Load average at the end: $load (the machine is shared; Orthanc's own CPU time bounds what parallel requests can gain).

| run | median s | vs baseline |
| --- | ---: | ---: |
| Python urllib loop: QIDO + $Count metadata requests one by one | $($mLoop.ToString('0.000')) | baseline |
| Find-CocoDicomWeb \| Add-CocoImage -NoCache (-ThrottleLimit default) | $($mFind.ToString('0.000')) | $(($mLoop / $mFind).ToString('0.00'))x faster |
| of which the QIDO search (one request each; the server's time) | $($mFindQ.ToString('0.000')) vs $($mLoopQ.ToString('0.000')) | $(($mLoopQ / $mFindQ).ToString('0.00'))x |
| of which the $Count metadata requests (4 in flight vs one by one) | $($mFindM.ToString('0.000')) vs $($mLoopM.ToString('0.000')) | $(($mLoopM / $mFindM).ToString('0.00'))x faster |
| Export-CocoImage from local files | $($mLocal.ToString('0.000')) | baseline |
| Export-CocoImage from the server (frames cold, metadata cached by Add-CocoImage) | $($mCold.ToString('0.000')) | $(($mCold / $mLocal).ToString('0.00'))x the local time |
| Export-CocoImage from the server, warm cache | $($mWarm.ToString('0.000')) | $(($mWarm / $mLocal).ToString('0.00'))x the local time |

The PNGs from the server are byte-identical to those from the files (checked by the script).
"@
Add-Content -LiteralPath (Join-Path $PSScriptRoot 'RESULTS.md') -Value $section
$section
