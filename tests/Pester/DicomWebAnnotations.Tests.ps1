# DICOM annotation objects (SEG, RTSTRUCT, SR) on a DICOMweb server: Find-CocoDicomWeb | Add-CocoImage and
# Add-CocoAnnotation give the same annotations as the same files on disk, against a real Orthanc with authentication.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'DicomWebServers.ps1')
    $orthancSkip = Get-OrthancSkipReason
    if ($orthancSkip) { Write-Warning "DICOMweb annotation object tests against Orthanc skipped: $orthancSkip." }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'DicomWebServers.ps1')
    $objects = Join-Path $SharedDir 'dicom-annotations'

    function ConvertTo-AnnotationList {
        # A dataset's annotations as sorted compact JSON lines: image by SOP Instance UID and frame, category by name,
        # without ids (which follow the order images came in).
        param([Parameter(Mandatory)] $Dataset, [Parameter(Mandatory)] [string] $Folder)
        $json = Join-Path $Folder ("ann-" + [guid]::NewGuid().ToString('N') + '.json')
        $Dataset | Export-CocoJson $json
        $coco = Get-Content -Raw $json | ConvertFrom-Json -AsHashtable
        $images = @{}; foreach ($i in $coco.images) { $images[$i.id] = '{0}#{1}' -f $i.dicom.SOPInstanceUID, $i.dicom.frame }
        $categories = @{}; foreach ($c in $coco.categories) { $categories[$c.id] = $c.name }
        @(foreach ($a in $coco.annotations) {
            $a['image'] = $images[$a.image_id]; $a['category'] = $categories[$a.category_id]
            foreach ($name in 'id', 'image_id', 'category_id') { $a.Remove($name) }
            $a | ConvertTo-Json -Depth 10 -Compress
        }) | Sort-Object
    }

    function Get-AllText {
        param($Records)
        ($Records | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { "$($_.Exception.Message) $($_.FullyQualifiedErrorId) $($_.TargetObject)" } else { "$_" }
        }) -join "`n"
    }
}

Describe 'DICOM annotation objects on a DICOMweb server' -Skip:($null -ne $orthancSkip) {
    BeforeAll {
        $work = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-dwann-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $work -Force | Out-Null
        $server = Start-TestOrthanc
        $pacs = $server.DicomWeb
        $cred = $server.Credential
        $files = @(Get-ChildItem $objects -Filter *.dcm)
        $stored = @(Add-TestOrthancInstance -Server $server -Path $files.FullName)
        $found = @(Find-CocoDicomWeb $pacs -Credential $cred)
        $segClass = '1.2.840.10008.5.1.4.1.1.66.4'
        # The same from disk: images and objects together, and objects added to the images afterwards.
        $localDs = $files | Add-CocoImage -PatientSalt test -ErrorVariable localErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $localImages = $files | Add-CocoImage -PatientSalt test -AnnotationObjects Skip
        $segFiles = @($files | Where-Object Name -like '*seg*')
        Add-CocoAnnotation $localImages -DicomPath $segFiles.FullName -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    }
    AfterAll {
        Stop-TestServer $server
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }

    It 'serves every object and image, the annotation objects among them' {
        $stored.Count | Should -Be $files.Count
        $found.Count | Should -Be $files.Count
        @($found | Where-Object Modality -in 'SEG', 'RTSTRUCT', 'SR').Count | Should -Be 8
        $localDs.Annotations.Count | Should -BeGreaterThan 10
    }

    It 'Find | Add-CocoImage fetches the objects whole and gives the same annotations as the files on disk' {
        $cache = Join-Path $work 'cache-image'
        $records = $found | Add-CocoImage -PatientSalt test -CacheDirectory $cache -ErrorVariable webErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1
        $webDs = $records | Where-Object { $_ -is [CocoTools.Engine.Coco.CocoDataset] }
        $webDs.Images.Count | Should -Be $localDs.Images.Count
        $actual = ConvertTo-AnnotationList $webDs $work
        $expected = ConvertTo-AnnotationList $localDs $work
        $actual.Count | Should -Be $expected.Count
        for ($i = 0; $i -lt $expected.Count; $i++) { $actual[$i] | Should -Be $expected[$i] }
        # The objects whose images are not on the server say so, as from disk: same ids, the URL instead of the path.
        @($webErrors.FullyQualifiedErrorId) | Should -Be @($localErrors.FullyQualifiedErrorId)
        $webErrors[0].TargetObject | Should -BeLike "$pacs/studies/*"
        $seg = $found | Where-Object Modality -eq 'SEG' | Select-Object -First 1
        ($records | Where-Object { "$_" -like "GET $($seg.Url): 200 multipart/related*" }) | Should -Not -BeNullOrEmpty -Because 'a SEG is fetched whole, not as metadata only'
        Test-Path (Join-Path $cache '*') | Should -BeTrue
    }

    It 'Find -Modality SEG | Add-CocoAnnotation gives the same annotations as -DicomPath with the files' {
        $ds = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache
        $ds.Annotations.Count | Should -Be 0
        Find-CocoDicomWeb $pacs -Modality SEG -Credential $cred | Add-CocoAnnotation $ds -NoCache -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $actual = ConvertTo-AnnotationList $ds $work
        $expected = ConvertTo-AnnotationList $localImages $work
        $actual.Count | Should -BeGreaterThan 3
        $actual.Count | Should -Be $expected.Count
        for ($i = 0; $i -lt $expected.Count; $i++) { $actual[$i] | Should -Be $expected[$i] }
    }

    It 'passes over instances whose SOP class is not an annotation object without fetching them' {
        $ds = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache
        $lines = $found | Add-CocoAnnotation $ds -NoCache -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1
        $ct = $found | Where-Object Modality -eq 'CT' | Select-Object -First 1
        ($lines | Where-Object { "$_" -eq "$($ct.Url): passed over, not an annotation object (SOP Class $($ct.SOPClassUID), modality CT)." }) | Should -Not -BeNullOrEmpty
        ($lines | Where-Object { "$_" -like "GET $($ct.Url)*" }) | Should -BeNullOrEmpty
        @($lines | Where-Object { "$_" -like 'GET *: 200*' }).Count | Should -Be 8 -Because 'only the 8 annotation objects are fetched'
        $ds.Annotations.Count | Should -Be $localDs.Annotations.Count
    }

    It 'takes URLs to -DicomPath with -Credential, through the cache' {
        $seg = @($found | Where-Object SOPClassUID -eq $segClass)
        $cache = Join-Path $work 'cache-urls'
        $ds = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache
        Add-CocoAnnotation $ds -DicomPath $seg.Url -Credential $cred -CacheDirectory $cache -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        (ConvertTo-AnnotationList $ds $work) | Should -Be (ConvertTo-AnnotationList $localImages $work)
        $again = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache
        $lines = Add-CocoAnnotation $again -DicomPath $seg.Url -Credential $cred -CacheDirectory $cache -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1
        $again.Annotations.Count | Should -Be $ds.Annotations.Count
        ($lines | Where-Object { "$_" -like 'GET *' }) | Should -BeNullOrEmpty -Because 'the second run reads the cache'
    }

    It 'reports a missing annotation object once, naming the URL, and goes on with the rest' {
        $seg = @($found | Where-Object SOPClassUID -eq $segClass)
        $missing = $seg[0].Url -replace '/instances/[^/]+$', '/instances/1.2.3.4.5.404'
        $ds = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache
        Add-CocoAnnotation $ds -DicomPath (@($missing) + $seg.Url) -Credential $cred -NoCache -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $notFound = @($err | Where-Object FullyQualifiedErrorId -like 'DicomWebNotFound,*')
        $notFound.Count | Should -Be 1
        $notFound[0].FullyQualifiedErrorId | Should -Be 'DicomWebNotFound,CocoTools.Commands.AddCocoAnnotationCommand'
        $notFound[0].TargetObject | Should -Be $missing
        (ConvertTo-AnnotationList $ds $work) | Should -Be (ConvertTo-AnnotationList $localImages $work)
    }

    It 'handles annotation objects from a server as -AnnotationObjects Skip and Image say' {
        $skipped = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache -Verbose 4>&1
        $skipDs = $skipped | Where-Object { $_ -is [CocoTools.Engine.Coco.CocoDataset] }
        $skipDs.Annotations.Count | Should -Be 0
        @($skipped | Where-Object { "$_" -like '*skipped, an annotation object*' }).Count | Should -Be 8
        ($skipped | Where-Object { "$_" -like 'GET *' -and "$_" -notlike '*/metadata: *' }) | Should -BeNullOrEmpty -Because 'nothing is fetched whole'
        $webImages = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Image -NoCache -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $diskImages = $files | Add-CocoImage -PatientSalt test -AnnotationObjects Image -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $webImages.Images.Count | Should -Be $diskImages.Images.Count
        $webImages.Images.Count | Should -BeGreaterThan $localDs.Images.Count -Because 'SEG frames are images too'
        $webImages.Annotations.Count | Should -Be 0
    }

    It 'never shows the password in errors or verbose lines of annotation object fetches' {
        $secret = $server.Password
        $hostPort = ([uri]$pacs).Authority
        $seg = @($found | Where-Object SOPClassUID -eq $segClass)
        $withUser = $seg.Url | ForEach-Object { $_.Replace("http://$hostPort", "http://cocotest:$secret@$hostPort") }
        $missing = $withUser[0] -replace '/instances/[^/]+$', '/instances/1.2.3.4.5.404'
        $ds = $found | Add-CocoImage -PatientSalt test -AnnotationObjects Skip -NoCache
        $records = Add-CocoAnnotation $ds -DicomPath (@($missing) + $withUser) -CacheDirectory (Join-Path $work 'cache-secret') -Verbose -ErrorAction Continue -WarningAction Continue 4>&1 3>&1 2>&1
        $wrong = [pscredential]::new('cocotest', (ConvertTo-SecureString 'wrong-Secret-42' -AsPlainText -Force))
        $records += $seg | Add-CocoAnnotation $ds -Credential $wrong -NoCache -Verbose -ErrorAction Continue 4>&1 2>&1
        $ds.Annotations.Count | Should -Be $localImages.Annotations.Count
        $text = (Get-AllText $records) + ((Get-ChildItem -Recurse (Join-Path $work 'cache-secret')).FullName -join "`n")
        $text | Should -Match 'DicomWebNotFound'
        $text | Should -Match 'DicomWebUnauthorized'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match 'wrong-Secret-42'
        $text | Should -Not -Match 'cocotest:'
    }
}
