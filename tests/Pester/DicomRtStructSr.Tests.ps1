# Add-CocoAnnotation -DicomPath and Add-CocoImage with RT Structure Sets and TID 1500 measurement reports.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $objects = Join-Path $SharedDir 'dicom-annotations'
    function Get-Shared([string[]] $Names) { Get-ChildItem $objects | Where-Object Name -in $Names }
}

Describe 'RTSTRUCT and SR annotation objects' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'turns the rt-utils structure set into one even-odd RLE mask that pycocotools reads, warning once about its Frame of Reference' {
        $ds = Get-Shared 'rtutils_ct_1.dcm' | Add-CocoImage
        Add-CocoAnnotation $ds -DicomPath (Join-Path $objects 'rtutils_rt.dcm') -WarningVariable warn -WarningAction SilentlyContinue
        $ds.Annotations.Count | Should -Be 1
        $ds.Annotations[0].Segmentation | Should -BeOfType ([CocoTools.Engine.Coco.CocoRleSegmentation])
        $ds.Categories.Name | Should -Be 'ROI-1'
        @($warn).Count | Should -Be 1
        "$($warn[0])" | Should -Match 'rtutils_rt\.dcm.*Frame of Reference'
        $json = Join-Path $dir 'rt.json'
        $ds | Export-CocoJson $json
        # The outer square (-51 to -27 mm) less the inner one (about -47 to -32 mm): pycocotools' mask has the
        # annotation's area, the ring at -49 mm and the hole at -39 mm (CT: first pixel at -125 mm, 0.488281 mm pixels).
        $check = 'import sys; from pycocotools.coco import COCO' + "`n" +
            'c = COCO(sys.argv[1]); a = c.dataset["annotations"][0]; m = c.annToMask(a)' + "`n" +
            'px = lambda mm: int((mm + 125) / 0.488281 + 0.5)' + "`n" +
            'print(int(m.sum()) == a["area"] > 0 and m[px(-49), px(-49)] == 1 and m[px(-39), px(-39)] == 0)'
        (Invoke-Python -Script $check -Arguments @($json))[-1] | Should -Be 'True'
    }

    It 'adds the measurement report''s circle with its measurements, and reports a structure set whose images are absent' {
        $ds = Get-Shared 'highdicom_ct_image.dcm', 'rtutils_ct_1.dcm' | Add-CocoImage
        $verbose = Add-CocoAnnotation $ds -DicomPath (Join-Path $objects 'highdicom_sr_document.dcm'), (Join-Path $objects 'pydicom_rtstruct.dcm') -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1 | Out-String
        $ds.Annotations.Count | Should -Be 1
        $ds.Categories.Name | Should -Be 'Spinal cord'
        $ds.Annotations[0].Segmentation | Should -BeOfType ([CocoTools.Engine.Coco.CocoPolygonSegmentation])
        $ds.Annotations[0].Extra.GetRawJson('attributes') | Should -Match '"measurements":\[\{"name":"Area of defined region","unit":"cm2","value":1.7\}\]'
        $verbose | Should -Match '1 SR'
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DicomAnnotationImageMissing,*'
        $err[0].Exception.Message | Should -Match 'pydicom_rtstruct\.dcm.*5 item\(s\) not placed \(5 whose image is not in the dataset'
    }

    It 'converts a study folder of images, RTSTRUCT and SR in any order through Add-CocoImage' {
        $study = Join-Path $dir 'study'
        New-Item -ItemType Directory $study | Out-Null
        Get-Shared 'rtutils_ct_1.dcm', 'rtutils_rt.dcm', 'highdicom_ct_image.dcm', 'highdicom_sr_document.dcm' | Copy-Item -Destination $study
        $ds = Get-ChildItem $study | Sort-Object Name -Descending | Add-CocoImage -WarningAction SilentlyContinue
        $ds.Images.Count | Should -Be 2
        ($ds.Categories.Name | Sort-Object) | Should -Be @('ROI-1', 'Spinal cord')
        $ds.Annotations.Count | Should -Be 2
    }

    It 'refuses a structure set whose contour lies off the image it names, as DicomAnnotationOffPlane, adding nothing of it' {
        # rt-utils' contours are at z = 60 mm, its CT too; the same file with its CT moved 10 mm away along z.
        $moved = Join-Path $dir 'ct.dcm'
        $script = 'import sys, pydicom' + "`n" +
            'd = pydicom.dcmread(sys.argv[1]); p = d.ImagePositionPatient; d.ImagePositionPatient = [p[0], p[1], float(p[2]) + 10]; d.save_as(sys.argv[2])'
        Invoke-Python -Script $script -Arguments @((Join-Path $objects 'rtutils_ct_1.dcm'), $moved) | Out-Null
        $ds = Add-CocoImage -LiteralPath $moved
        Add-CocoAnnotation $ds -DicomPath (Join-Path $objects 'rtutils_rt.dcm') -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $ds.Annotations.Count | Should -Be 0
        $ds.Categories.Count | Should -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DicomAnnotationOffPlane,*'
        $err[0].Exception.Message | Should -Match 'rtutils_rt\.dcm: ROI Contour Sequence item 1, Contour Sequence item 1: the contour lies up to 10 mm off the plane'
    }
}
