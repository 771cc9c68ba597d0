BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'DicomWebServers.ps1')
    $orthancSkip = Get-OrthancSkipReason
    if ($orthancSkip) { Write-Warning "DICOMweb tests against Orthanc skipped: $orthancSkip." }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'DicomWebServers.ps1')

    function ConvertTo-ImageTable {
        # The images of a dataset keyed by SOP Instance UID and frame, as compact JSON without what differs by source.
        param([Parameter(Mandatory)] $Dataset, [Parameter(Mandatory)] [string] $Folder)
        $json = Join-Path $Folder ("images-" + [guid]::NewGuid().ToString('N') + '.json')
        $Dataset | Export-CocoJson $json
        $table = @{}
        foreach ($image in (Get-Content -Raw $json | ConvertFrom-Json -AsHashtable).images) {
            $key = '{0}#{1}' -f $image.dicom.SOPInstanceUID, $image.dicom.frame
            foreach ($name in 'id', 'file_name', 'coco_url') { $image.Remove($name) }
            $image.dicom.Remove('TransferSyntaxUID')
            # Orthanc's metadata JSON writes DS values as tiny as 6.1E-17 (cosines of 90 degrees) as 0.
            $table[$key] = ($image | ConvertTo-Json -Depth 10 -Compress) -replace '-?\d+(\.\d+)?E-(1[0-9]|[2-9][0-9])\b', '0'
        }
        $table
    }

    function Get-PngTable {
        # PNG bytes (as SHA-256) of an exported dataset keyed by SOP Instance UID and frame.
        param([Parameter(Mandatory)] $Dataset, [Parameter(Mandatory)] [string] $Folder)
        $table = @{}
        foreach ($image in $Dataset.Images) {
            if ($image.FileName -notlike '*.png') { continue }
            $dicom = $image.Extra['dicom']
            $key = '{0}#{1}' -f $dicom.SOPInstanceUID, $dicom.frame
            $table[$key] = (Get-FileHash -Algorithm SHA256 (Join-Path $Folder $image.FileName)).Hash
        }
        $table
    }

    function Get-AllText {
        # Everything a run showed: output, errors (message, id, target), warnings, verbose lines.
        param($Records)
        ($Records | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { "$($_.Exception.Message) $($_.FullyQualifiedErrorId) $($_.TargetObject)" } else { "$_" }
        }) -join "`n"
    }
}

Describe 'DICOMweb against Orthanc' -Skip:($null -ne $orthancSkip) {
    BeforeAll {
        $work = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-dicomweb-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $cache = Join-Path $work 'cache'
        $local = Join-Path $work 'dicom'
        New-Item -ItemType Directory -Path $local -Force | Out-Null
        $server = Start-TestOrthanc
        $pacs = $server.DicomWeb
        $cred = $server.Credential

        # The readable samples, one file per SOP Instance UID (Orthanc keeps the first of equal UIDs).
        $candidates = @(Get-ChildItem (Join-Path $RepoRoot 'samples/dicom'), (Join-Path $SharedDir 'dicom-samples') -Filter *.dcm)
        $info = Invoke-Python -Script @'
import hashlib, json, sys, pydicom
out = []
for path in sys.argv[1:]:
    try:
        d = pydicom.dcmread(path, stop_before_pixels=True)
        sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
        out.append({"path": path, "sha": sha, "sop": str(d.get("SOPInstanceUID", "")), "study": str(d.get("StudyInstanceUID", "")),
                    "series": str(d.get("SeriesInstanceUID", "")), "modality": str(d.get("Modality", "")),
                    "date": str(d.get("StudyDate", "")), "patient": str(d.get("PatientID", "")),
                    "accession": str(d.get("AccessionNumber", "")), "sopclass": str(d.get("SOPClassUID", ""))})
    except Exception:
        pass
print(json.dumps(out))
'@ -Arguments $candidates.FullName
        $all = ($info[-1] | ConvertFrom-Json) | Where-Object { $_.sop -and $_.study -and $_.series }
        # A UID shared by different files cannot be compared (the server keeps one); copies of one file can.
        $unique = $all | Group-Object sop | Where-Object { @($_.Group.sha | Sort-Object -Unique).Count -eq 1 } | ForEach-Object { $_.Group[0] }
        $stored = @(Add-TestOrthancInstance -Server $server -Path $unique.path)
        $facts = @($unique | Where-Object { $stored -contains $_.path })
        foreach ($f in $facts) { Copy-Item $f.path (Join-Path $local (Split-Path $f.path -Leaf)) }
        $localDs = Add-CocoImage -Path $local -BasePath $local -PatientSalt test -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
    }
    AfterAll {
        Stop-TestServer $server
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }

    It 'loads enough samples to mean something' {
        $facts.Count | Should -BeGreaterThan 10
        $localDs.Images.Count | Should -BeGreaterThan 12
    }

    It 'builds the same images from the server as from the files on disk, apart from coco_url and file_name' {
        $found = @(Find-CocoDicomWeb $pacs -Credential $cred)
        $found.Count | Should -Be $facts.Count
        $webDs = $found | Add-CocoImage -CacheDirectory $cache -PatientSalt test -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $expected = ConvertTo-ImageTable $localDs $work
        $actual = ConvertTo-ImageTable $webDs $work
        $actual.Count | Should -Be $expected.Count
        foreach ($key in $expected.Keys) { $actual[$key] | Should -Be $expected[$key] -Because $key }
        $one = $webDs.Images | Where-Object { $_.Extra['dicom'].SOPInstanceUID -eq '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322' }
        $one.FileName | Should -Be '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322/1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322/1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322.dcm'
        $one.CocoUrl | Should -Be "$pacs/studies/1.3.6.1.4.1.5962.1.2.1.20040119072730.12322/series/1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322/instances/1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"
    }

    It 'exports byte-identical PNGs from the server and from the files, the refused JPEG Lossless frames from the whole instance, and a second time from the cache' {
        $localOut = Join-Path $work 'png-local'
        $webOut = Join-Path $work 'png-web'
        $exportCache = Join-Path $work 'cache-export'
        $localPngs = Get-PngTable ($localDs | Export-CocoImage $localOut -ImageRoot $local -ErrorAction SilentlyContinue) $localOut
        $webDs = Find-CocoDicomWeb $pacs -Credential $cred | Add-CocoImage -CacheDirectory $exportCache -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $lines = $webDs | Export-CocoImage $webOut -Credential $cred -CacheDirectory $exportCache -ErrorAction SilentlyContinue -Verbose 4>&1
        $webPngs = Get-PngTable $webDs $webOut
        $localPngs.Count | Should -BeGreaterThan 12
        foreach ($key in $localPngs.Keys) { $webPngs[$key] | Should -Be $localPngs[$key] -Because $key }
        ($lines | Where-Object { "$_" -like '*frames refused (400)*' }) | Should -Not -BeNullOrEmpty -Because 'Orthanc 1.10 refuses transfer-syntax=* for JPEG Lossless'
        ($lines | Where-Object { "$_" -like '*/frames/1: 200*' }) | Should -Not -BeNullOrEmpty

        # Second run: everything from the cache, no request at all; -NoCache fetches again.
        $again = Find-CocoDicomWeb $pacs -Credential $cred | Add-CocoImage -CacheDirectory $exportCache -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -Verbose 4>&1
        ($again | Where-Object { "$_" -like 'Read * instances (0 HTTP requests)*' }) | Should -Not -BeNullOrEmpty
        $ds2 = $again | Where-Object { $_ -is [CocoTools.Engine.Coco.CocoDataset] }
        $second = $ds2 | Export-CocoImage (Join-Path $work 'png-cached') -Credential $cred -CacheDirectory $exportCache -ErrorAction SilentlyContinue -Verbose 4>&1
        ($second | Where-Object { "$_" -like '*(0 HTTP requests)*' }) | Should -Not -BeNullOrEmpty
        (Get-PngTable $ds2 (Join-Path $work 'png-cached'))[$localPngs.Keys[0]] | Should -Be $localPngs[$localPngs.Keys[0]]
        $ds3 = Find-CocoDicomWeb $pacs -Credential $cred -Modality CT | Add-CocoImage -NoCache -CacheDirectory $exportCache -WarningAction SilentlyContinue
        $third = $ds3 | Export-CocoImage (Join-Path $work 'png-nocache') -Credential $cred -NoCache -CacheDirectory $exportCache -ErrorAction SilentlyContinue -Verbose 4>&1
        ($third | Where-Object { "$_" -like '*(0 HTTP requests)*' }) | Should -BeNullOrEmpty
    }

    It 'matches each filter as the files say' {
        $ct = @($facts | Where-Object modality -eq 'CT')
        @(Find-CocoDicomWeb $pacs -Credential $cred -Modality CT).Count | Should -Be $ct.Count
        $f = $facts | Where-Object { $_.date -match '^\d{8}$' -and $_.patient -and $_.accession } | Select-Object -First 1
        (Find-CocoDicomWeb $pacs -Credential $cred -StudyInstanceUID $f.study).SOPInstanceUID | Sort-Object | Should -Be (@($facts | Where-Object study -eq $f.study).sop | Sort-Object)
        (Find-CocoDicomWeb $pacs -Credential $cred -SeriesInstanceUID $f.series).SOPInstanceUID | Sort-Object | Should -Be (@($facts | Where-Object series -eq $f.series).sop | Sort-Object)
        (Find-CocoDicomWeb $pacs -Credential $cred -PatientID $f.patient).SOPInstanceUID | Sort-Object | Should -Be (@($facts | Where-Object patient -eq $f.patient).sop | Sort-Object)
        (Find-CocoDicomWeb $pacs -Credential $cred -AccessionNumber $f.accession).SOPInstanceUID | Sort-Object | Should -Be (@($facts | Where-Object accession -eq $f.accession).sop | Sort-Object)
        $d = [datetime]::ParseExact($f.date, 'yyyyMMdd', $null)
        $range = '{0:yyyyMMdd}-{1:yyyy-MM-dd}' -f $d.AddDays(-1), $d.AddDays(1)
        (Find-CocoDicomWeb $pacs -Credential $cred -StudyDate $range).SOPInstanceUID | Sort-Object |
            Should -Be (@($facts | Where-Object { $_.date -match '^\d{8}$' -and [int]$_.date -ge [int]$d.AddDays(-1).ToString('yyyyMMdd') -and [int]$_.date -le [int]$d.AddDays(1).ToString('yyyyMMdd') }).sop | Sort-Object)
        $sr = @($facts | Where-Object sopclass -eq '1.2.840.10008.5.1.4.1.1.88.33')
        (Find-CocoDicomWeb $pacs -Credential $cred -Filter @{ SOPClassUID = '1.2.840.10008.5.1.4.1.1.88.33' }).SOPInstanceUID | Sort-Object | Should -Be ($sr.sop | Sort-Object)
        $with = Find-CocoDicomWeb $pacs -Credential $cred -StudyInstanceUID $f.study -IncludeField PatientID | Select-Object -First 1
        $with.Attributes['PatientID'] | Should -Be $f.patient
        $without = Find-CocoDicomWeb $pacs -Credential $cred -StudyInstanceUID $f.study | Select-Object -First 1
        $without.Attributes.Count | Should -Be 0
        $without.PSObject.Properties.Name | Should -Not -Contain 'PatientID'
        { Find-CocoDicomWeb $pacs -StudyDate 2024-13-01 } | Should -Throw -ErrorId 'InvalidStudyDate,CocoTools.Commands.FindCocoDicomWebCommand'
    }

    It 'shards instances on the server by study, fetching only its own' {
        $all = @(Find-CocoDicomWeb $pacs -Credential $cred)
        $shards = 0, 1 | ForEach-Object { $all | Add-CocoImage -Shard "$_/2" -NoCache -PatientSalt test -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -Verbose 4>&1 }
        $sets = @($shards | Where-Object { $_ -is [CocoTools.Engine.Coco.CocoDataset] })
        $sets.Count | Should -Be 2
        $uids = $sets | ForEach-Object { , @($_.Images | ForEach-Object { $_.Extra['dicom'].StudyInstanceUID } | Sort-Object -Unique) }
        $uids[0] | Where-Object { $uids[1] -contains $_ } | Should -BeNullOrEmpty -Because 'a study is in one shard only'
        ($sets[0].Images.Count + $sets[1].Images.Count) | Should -Be $localDs.Images.Count
        $requests = $shards | Where-Object { "$_" -like 'Read * instances (* HTTP requests)*' } | ForEach-Object { [int]("$_" -replace '.*\((\d+) HTTP requests\).*', '$1') }
        # Annotation objects (SEG, RTSTRUCT, SR) are fetched whole after their metadata: one request more each.
        $objectCount = @($all | Where-Object { [CocoTools.Engine.Operations.DicomAnnotations.DicomAnnotationImporter]::IsAnnotationObject($_.SOPClassUID) }).Count
        ($requests | Measure-Object -Sum).Sum | Should -Be ($all.Count + $objectCount) -Because 'each instance is fetched by its own shard only'
    }

    It 'Find-CocoDicomWeb -Shard: the union of the shards is the unsharded search, a study in one shard, at every level' {
        foreach ($level in 'Instance', 'Series', 'Study') {
            $all = @(Find-CocoDicomWeb $pacs -Credential $cred -Level $level)
            $parts = 0, 1, 2 | ForEach-Object { , @(Find-CocoDicomWeb $pacs -Credential $cred -Level $level -Shard "$_/3") }
            $union = @($parts | ForEach-Object { $_ } | ForEach-Object Url | Sort-Object)
            $union | Should -Be @($all.Url | Sort-Object) -Because "$level level"
            @($parts | Where-Object { $_.Count -gt 0 }).Count | Should -BeGreaterThan 1 -Because 'the samples span several studies'
            $studies = $parts | ForEach-Object { , @($_.StudyInstanceUID | Sort-Object -Unique) }
            foreach ($i in 0..2) { foreach ($j in 0..2) {
                if ($i -lt $j) { $studies[$i] | Where-Object { $studies[$j] -contains $_ } | Should -BeNullOrEmpty } } }
        }
        # The same rule as Add-CocoImage -Shard: sharding the search keeps what sharding Add-CocoImage keeps.
        $viaFind = Find-CocoDicomWeb $pacs -Credential $cred -Shard 1/2 | Add-CocoImage -NoCache -PatientSalt test -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $viaAdd = Find-CocoDicomWeb $pacs -Credential $cred | Add-CocoImage -Shard 1/2 -NoCache -PatientSalt test -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        @($viaFind.Images.CocoUrl | Sort-Object) | Should -Be @($viaAdd.Images.CocoUrl | Sort-Object)
        # Without -Shard, a Kubernetes Indexed Job gives the shard.
        $env:JOB_COMPLETION_INDEX = '1'; $env:COCOTOOLS_SHARD_COUNT = '3'
        try { $fromEnv = @(Find-CocoDicomWeb $pacs -Credential $cred -Verbose 4>&1) }
        finally { Remove-Item Env:JOB_COMPLETION_INDEX, Env:COCOTOOLS_SHARD_COUNT -ErrorAction Ignore }
        @($fromEnv | Where-Object { $_ -is [CocoTools.Engine.DicomWeb.DicomWebResult] } | ForEach-Object Url) | Should -Be @(Find-CocoDicomWeb $pacs -Credential $cred -Shard 1/3 | ForEach-Object Url)
        ($fromEnv | Where-Object { "$_" -like 'Taking shard 1/3 *JOB_COMPLETION_INDEX=1*' }) | Should -Not -BeNullOrEmpty
        { Find-CocoDicomWeb $pacs -Credential $cred -Shard 3/3 } | Should -Throw -ErrorId 'InvalidShard,CocoTools.Commands.FindCocoDicomWebCommand'
    }

    It 'searches at study and series level' {
        $studies = @(Find-CocoDicomWeb $pacs -Credential $cred -Level Study)
        $studies.Count | Should -Be @($facts.study | Sort-Object -Unique).Count
        $studies[0].Level | Should -Be 'Study'
        $studies[0].Url | Should -Be "$pacs/studies/$($studies[0].StudyInstanceUID)"
        $series = @(Find-CocoDicomWeb $pacs -Credential $cred -Level Series)
        $series.Count | Should -Be @($facts.series | Sort-Object -Unique).Count
        $series[0].Url | Should -Be "$pacs/studies/$($series[0].StudyInstanceUID)/series/$($series[0].SeriesInstanceUID)"
        $series[0] | Add-CocoImage -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebInvalidUrl,CocoTools.Commands.AddCocoImageCommand'
    }

    It 'prints results as a table within 120 columns with the level''s own UID' {
        $text = Find-CocoDicomWeb $pacs -Credential $cred -Modality CT | Out-String -Width 120
        $text | Should -Match 'Level\s+Modality\s+StudyDate'
        $text | Should -Match ([regex]::Escape('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322'))
        (($text -split '\r?\n') | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        (Find-CocoDicomWeb $pacs -Credential $cred -Level Study | Out-String -Width 120) | Should -Match 'Study\s+CT'
    }

    It 'asks for no more than -Limit needs' {
        $lines = Find-CocoDicomWeb $pacs -Credential $cred -Limit 3 -Verbose 4>&1
        @($lines | Where-Object { $_ -is [CocoTools.Engine.DicomWeb.DicomWebResult] }).Count | Should -Be 3
        @($lines | Where-Object { "$_" -like 'GET *' }).Count | Should -Be 1
        ($lines | Where-Object { "$_" -like 'GET *' }) -like '*limit=3*' | Should -Not -BeNullOrEmpty
    }

    It 'reports 401 for a wrong password and 404 for a missing instance, per URL, without the secret' {
        $wrong = [pscredential]::new('cocotest', (ConvertTo-SecureString 'wrong-Secret-42' -AsPlainText -Force))
        $out = Find-CocoDicomWeb $pacs -Credential $wrong -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebUnauthorized,CocoTools.Commands.FindCocoDicomWebCommand'
        $err[0].Exception.Status | Should -Be 401
        $sop = '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322'
        $f = $facts | Where-Object sop -eq $sop
        $good = "$pacs/studies/$($f.study)/series/$($f.series)/instances/$($f.sop)"
        $missing = "$pacs/studies/$($f.study)/series/$($f.series)/instances/1.2.3.4.5.404"
        $ds = Add-CocoImage -Uri $missing, $good -Credential $cred -NoCache -ErrorVariable err2 -ErrorAction SilentlyContinue
        $ds.Images.Count | Should -Be 1 -Because 'one bad instance does not stop the batch'
        $err2[0].FullyQualifiedErrorId | Should -Be 'DicomWebNotFound,CocoTools.Commands.AddCocoImageCommand'
        $err2[0].TargetObject | Should -Be "$missing/metadata"
        Add-CocoImage -Uri $good -Credential $wrong -NoCache -ErrorVariable err3 -ErrorAction SilentlyContinue | Out-Null
        $err3[0].FullyQualifiedErrorId | Should -Be 'DicomWebUnauthorized,CocoTools.Commands.AddCocoImageCommand'
        (Get-AllText ($err + $err3)) | Should -Not -Match 'wrong-Secret-42'
    }

    It 'never shows the password or token: errors, verbose, debug, cache paths, exported JSON' {
        $secret = $server.Password
        $token = ConvertTo-SecureString 'tok-EN-secret-77' -AsPlainText -Force
        $secretCache = Join-Path $work 'cache-secret'
        $hostPort = ([uri]$pacs).Authority
        $withUser = $pacs.Replace("http://$hostPort", "http://cocotest:$secret@$hostPort")
        $records = @(
            Find-CocoDicomWeb $withUser -Limit 2 -Verbose -Debug -ErrorAction Continue 4>&1 5>&1 2>&1
            Find-CocoDicomWeb $pacs -Token $token -Header @{ 'X-Api-Key' = 'hdr-secret-55' } -Verbose -ErrorAction Continue 4>&1 2>&1
        )
        $results = @($records | Where-Object { $_ -is [CocoTools.Engine.DicomWeb.DicomWebResult] })
        $results.Count | Should -Be 2
        $results[0].Url | Should -Not -Match 'cocotest'
        $ds = $results | Add-CocoImage -CacheDirectory $secretCache -Verbose -ErrorAction Continue 4>&1 2>&1
        $dataset = $ds | Where-Object { $_ -is [CocoTools.Engine.Coco.CocoDataset] }
        $exported = $dataset | Export-CocoImage (Join-Path $work 'png-secret') -CacheDirectory $secretCache -Credential $cred -Verbose -ErrorAction Continue 4>&1 2>&1
        $json = Join-Path $work 'secret.json'
        $dataset | Export-CocoJson $json
        $text = (Get-AllText ($records + $ds + $exported)) + (Get-Content -Raw $json) + ((Get-ChildItem -Recurse $secretCache).FullName -join "`n")
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match 'tok-EN-secret-77'
        $text | Should -Not -Match 'hdr-secret-55'
        $text | Should -Match 'GET http://127\.0\.0\.1' -Because 'the verbose lines were searched'
        @(Get-ChildItem -Recurse -File $secretCache).Count | Should -BeGreaterThan 0
    }
}

Describe 'DICOMweb faults and DICOM files over plain HTTP' {
    BeforeAll {
        $work = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-dicomweb-faults-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $static = Join-Path $work 'static'
        New-Item -ItemType Directory -Path (Join-Path $static 'radiology/TCGA-CA-G4H2/DICOM') -Force | Out-Null
        Copy-Item (Join-Path $SharedDir 'dicom-samples/fodicom_D_CLUNIE_CT1_RLE_FRAGS.dcm') (Join-Path $static 'radiology/TCGA-CA-G4H2/DICOM/000045.dcm')
        Copy-Item (Join-Path $RepoRoot 'samples/dicom/pydicom_CT_small.dcm') (Join-Path $static 'ct.dcm')
        Copy-Item (Join-Path $RepoRoot 'samples/dicom/fodicom_mr_brucker.dcm') (Join-Path $static 'mr.dcm')
        Set-Content -LiteralPath (Join-Path $static 'not-dicom.dcm') -Value '<html>not found</html>'
        $fault = Start-TestFaultServer -Root $static
        $base = $fault.Root
        $hostPort = ([uri]$base).Authority
        $cache = Join-Path $work 'cache'
    }
    AfterAll {
        Stop-TestServer $fault
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }

    It 'waits for Retry-After after a 503 and then reads the answer' {
        $results = @(Find-CocoDicomWeb "$base/retry" -Verbose 4>&1)
        @($results | Where-Object { $_ -is [CocoTools.Engine.DicomWeb.DicomWebResult] }).Count | Should -Be 3
        ($results | Where-Object { "$_" -like '*: 503 *' }) | Should -Not -BeNullOrEmpty
        ($results | Where-Object { "$_" -like '*retry 1 of 3 in 1 s' }) | Should -Not -BeNullOrEmpty -Because 'Retry-After: 1 is honoured'
        Get-TestServerCount $fault 'retry' | Should -Be 2
        Find-CocoDicomWeb "$base/retry/x" -MaxRetry 0 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebUnavailable,CocoTools.Commands.FindCocoDicomWebCommand'
        $err[0].Exception.Status | Should -Be 503
    }

    It 'retries a connection dropped mid-answer, and reports it when retries are used up' {
        @(Find-CocoDicomWeb "$base/drop").Count | Should -Be 3
        Find-CocoDicomWeb "$base/drop/y" -MaxRetry 0 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebConnectionFailed,CocoTools.Commands.FindCocoDicomWebCommand'
    }

    It 'refuses an HTML page where DICOM JSON was asked for' {
        Find-CocoDicomWeb "$base/html" -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebBadAnswer,CocoTools.Commands.FindCocoDicomWebCommand'
        $err[0].Exception.Message | Should -BeLike '*text/html*'
    }

    It 'refuses truncated multipart frames and caches nothing of them' {
        $truncCache = Join-Path $work 'cache-trunc'
        $ds = Find-CocoDicomWeb "$base/trunc" -Limit 1 | Add-CocoImage -CacheDirectory $truncCache -WarningAction SilentlyContinue
        $ds.Images.Count | Should -Be 1
        $ds | Export-CocoImage (Join-Path $work 'png-trunc') -CacheDirectory $truncCache -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebBadAnswer,CocoTools.Commands.ExportCocoImageCommand'
        $err[0].Exception.Message | Should -BeLike '*truncated*'
        @(Get-ChildItem -Recurse -File $truncCache -Filter 'frame-*').Count | Should -Be 0
        @(Get-ChildItem -Recurse -File $truncCache -Filter 'metadata.json').Count | Should -Be 1
        # The same frames from the server that closes its multipart properly: a 2x2 PNG.
        $ok = Find-CocoDicomWeb "$base/retry/ok" -Limit 1 -MaxRetry 1 | Add-CocoImage -NoCache
        $ok | Export-CocoImage (Join-Path $work 'png-ok') -NoCache -MaxRetry 1 | Out-Null
        $ok.Images[0].FileName | Should -BeLike '*.png'
    }

    It 'pages with limit and offset while Warning: 299 says more exist, and stops at -Limit' {
        $lines = Find-CocoDicomWeb "$base/paged" -Verbose 4>&1
        @($lines | Where-Object { $_ -is [CocoTools.Engine.DicomWeb.DicomWebResult] }).InstanceNumber | Should -Be (1..12)
        @($lines | Where-Object { "$_" -like 'GET *' }).Count | Should -Be 3
        $limited = Find-CocoDicomWeb "$base/paged" -Limit 7 -Verbose 4>&1
        @($limited | Where-Object { $_ -is [CocoTools.Engine.DicomWeb.DicomWebResult] }).InstanceNumber | Should -Be (1..7)
        $gets = @($limited | Where-Object { "$_" -like 'GET *' })
        $gets.Count | Should -Be 2
        "$($gets[1])" | Should -BeLike '*limit=2&offset=5:*'
    }

    It 'reads dicomweb://, wadouri: and http URLs of DICOM files as the same images as the files, and caches them' {
        $urls = "dicomweb://$hostPort/static/ct.dcm", "wadouri:$base/static/mr.dcm", "$base/static/radiology/TCGA-CA-G4H2/DICOM/000045.dcm"
        $webDs = Add-CocoImage -Uri $urls -CacheDirectory $cache -PatientSalt test
        $localDs = Add-CocoImage -Path (Join-Path $static 'ct.dcm'), (Join-Path $static 'mr.dcm'), (Join-Path $static 'radiology/TCGA-CA-G4H2/DICOM/000045.dcm') -BasePath $static -PatientSalt test
        $expected = ConvertTo-ImageTable $localDs $work
        $actual = ConvertTo-ImageTable $webDs $work
        $actual.Count | Should -Be 6
        foreach ($key in $expected.Keys) { $actual[$key] | Should -Be $expected[$key] -Because $key }
        $webDs.Images[0].CocoUrl | Should -Be "dicomweb://$hostPort/static/ct.dcm"
        $webDs.Images[0].FileName | Should -Be 'static/ct.dcm'
        $before = Get-TestServerCount $fault 'static'
        Add-CocoImage -Uri $urls -CacheDirectory $cache | Out-Null
        Get-TestServerCount $fault 'static' | Should -Be $before -Because 'the second run reads the cache'
        Add-CocoImage -Uri $urls -NoCache -CacheDirectory $cache | Out-Null
        Get-TestServerCount $fault 'static' | Should -Be ($before + 3)

        $webOut = Join-Path $work 'png-static'; $localOut = Join-Path $work 'png-static-local'
        $webDs | Export-CocoImage $webOut -CacheDirectory $cache | Out-Null
        $localDs | Export-CocoImage $localOut -ImageRoot $static | Out-Null
        $w = Get-PngTable $webDs $webOut; $l = Get-PngTable $localDs $localOut
        $l.Count | Should -Be 6
        foreach ($key in $l.Keys) { $w[$key] | Should -Be $l[$key] -Because $key }
        Get-TestServerCount $fault 'static' | Should -Be ($before + 3) -Because 'the export reads the files from the cache'

        Add-CocoImage -Uri "$base/static/not-dicom.dcm", "$base/static/none.dcm", 'ftp://example/x.dcm' -NoCache -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err.FullyQualifiedErrorId | Should -Be @('DicomWebInvalidUrl,CocoTools.Commands.AddCocoImageCommand', 'DicomWebBadAnswer,CocoTools.Commands.AddCocoImageCommand', 'DicomWebNotFound,CocoTools.Commands.AddCocoImageCommand')
    }

    It 'trusts the system store for https, and -SkipCertificateCheck accepts a self-signed certificate' {
        $cert = Join-Path $work 'cert.pem'; $key = Join-Path $work 'key.pem'
        & openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $cert -days 1 -subj '/CN=127.0.0.1' 2>$null
        $LASTEXITCODE | Should -Be 0
        $tls = Start-TestFaultServer -Root $static -Certificate $cert -Key $key
        try {
            $tls.Root | Should -BeLike 'https://*'
            Find-CocoDicomWeb "$($tls.Root)/paged" -Limit 2 -MaxRetry 0 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'DicomWebConnectionFailed,CocoTools.Commands.FindCocoDicomWebCommand'
            @(Find-CocoDicomWeb "$($tls.Root)/paged" -Limit 2 -SkipCertificateCheck).Count | Should -Be 2
        } finally {
            Stop-TestServer $tls
        }
    }

    It 'does not fetch the http coco_url of an image that is not DICOM (a COCO photo on the web)' {
        $json = Join-Path $work 'photos.json'
        '{"images":[{"id":1,"file_name":"missing.jpg","width":2,"height":2,"coco_url":"' + $base + '/static/photo.jpg"}],"annotations":[],"categories":[]}' | Set-Content -LiteralPath $json
        $before = Get-TestServerCount $fault 'static'
        Import-CocoJson $json | Export-CocoImage (Join-Path $work 'png-photo') -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'ImageFileMissing,CocoTools.Commands.ExportCocoImageCommand'
        Get-TestServerCount $fault 'static' | Should -Be $before
    }

    It 'exports the viewer export''s image from the dicomweb:// URL it names' {
        $copy = Join-Path $work 'viewer.json'
        (Get-Content -Raw $SeedSample).Replace('dicomweb://localhost:8000/', "dicomweb://$hostPort/static/") | Set-Content -LiteralPath $copy -Encoding utf8
        $out = Join-Path $work 'png-viewer'
        $ds = Import-CocoJson $copy -WarningAction SilentlyContinue | Export-CocoImage $out -NoCache
        $ds.Images[0].FileName | Should -Be '000045.png'
        $local = Add-CocoImage -Path (Join-Path $static 'radiology/TCGA-CA-G4H2/DICOM/000045.dcm') -BasePath $static | Export-CocoImage (Join-Path $work 'png-viewer-local') -ImageRoot $static
        (Get-FileHash (Join-Path $out '000045.png')).Hash | Should -Be (Get-FileHash (Join-Path $work "png-viewer-local/$($local.Images[0].FileName)")).Hash
    }
}
