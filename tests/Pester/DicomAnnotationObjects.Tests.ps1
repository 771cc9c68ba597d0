# Add-CocoAnnotation -DicomPath and Add-CocoImage -AnnotationObjects: DICOM annotation objects (SEG ...) to annotations.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $objects = Join-Path $SharedDir 'dicom-annotations'
    $liverCt = 'dcmqi_ct-3slice_01.dcm', 'dcmqi_ct-3slice_02.dcm', 'dcmqi_ct-3slice_03.dcm'

    function New-CtDataset([string[]] $Names) {
        Get-ChildItem $objects | Where-Object Name -in $Names | Add-CocoImage
    }

    function Get-PatientText {
        # Every Patient Name and Patient ID of the shared objects, as pydicom reads them: none may leak.
        $script = 'import sys, glob, pydicom' + "`n" +
            'for f in glob.glob(sys.argv[1] + "/*.dcm"):' + "`n" +
            '    d = pydicom.dcmread(f, stop_before_pixels=True, force=True)' + "`n" +
            '    for v in (str(d.get("PatientName", "")), str(d.get("PatientID", ""))):' + "`n" +
            '        if len(v) > 3: print(v)'
        Invoke-Python -Script $script -Arguments @($objects) | Sort-Object -Unique
    }
}

Describe 'Add-CocoAnnotation -DicomPath' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'adds a SEG''s segments as RLE annotations on the images it names, with a verbose summary' {
        $ds = New-CtDataset $liverCt
        $verbose = Add-CocoAnnotation $ds -DicomPath (Join-Path $objects 'dcmqi_liver_seg.dcm') -Verbose 4>&1
        $ds.Annotations.Count | Should -Be 3
        $ds.Categories.Name | Should -Be 'Liver'
        $ds.Annotations | ForEach-Object { $_.Segmentation | Should -BeOfType ([CocoTools.Engine.Coco.CocoRleSegmentation]) }
        ($verbose | Out-String) | Should -Match 'Annotation objects: 1 SEG converted, 0 failed'
        ($verbose | Out-String) | Should -Match '3 RLE mask'
    }

    It 'reads folders, passes over what is not an annotation object with a verbose line, and pycocotools reads the result' {
        $ds = New-CtDataset $liverCt
        $folder = Join-Path $dir 'study'
        New-Item -ItemType Directory (Join-Path $folder 'seg') -Force | Out-Null
        Copy-Item (Join-Path $objects 'dcmqi_liver_seg.dcm') (Join-Path $folder 'seg/liver.dcm')
        Copy-Item (Join-Path $objects 'dcmqi_ct-3slice_01.dcm') (Join-Path $folder 'ct.dcm')
        Set-Content (Join-Path $folder 'notes.txt') 'not DICOM'
        $verbose = Add-CocoAnnotation $ds -DicomPath $folder -Verbose 4>&1 | Out-String
        $ds.Annotations.Count | Should -Be 3
        $verbose | Should -Match 'ct\.dcm: passed over, not an annotation object'
        $verbose | Should -Match 'notes\.txt: passed over, not DICOM'
        $json = Join-Path $dir 'out.json'
        $ds | Export-CocoJson $json
        $check = 'import sys; from pycocotools.coco import COCO' + "`n" +
            'c = COCO(sys.argv[1])' + "`n" +
            'print(all(int(c.annToMask(a).sum()) == a["area"] > 0 for a in c.dataset["annotations"]))'
        (Invoke-Python -Script $check -Arguments @($json))[-1] | Should -Be 'True'
    }

    It 'takes Get-ChildItem output from the pipeline, with and without -DicomPath options' {
        $ds = New-CtDataset $liverCt
        Get-ChildItem $objects -Filter 'dcmqi_liver_seg.dcm' | Add-CocoAnnotation $ds
        $ds.Annotations.Count | Should -Be 3
        $polygons = New-CtDataset $liverCt
        Get-ChildItem $objects -Filter 'dcmqi_liver_seg.dcm' | Add-CocoAnnotation $polygons -SegmentationFormat Polygon
        $polygons.Annotations.Count | Should -Be 3
        $polygons.Annotations[0].Segmentation | Should -BeOfType ([CocoTools.Engine.Coco.CocoPolygonSegmentation])
    }

    It 'reports an object whose images are missing as DicomAnnotationImageMissing and adds everything that can be placed' {
        $ds = New-CtDataset $liverCt
        Add-CocoAnnotation $ds -DicomPath (Join-Path $objects 'highdicom_seg_image_cr_binary.dcm'), (Join-Path $objects 'dcmqi_liver_seg.dcm') -ErrorVariable err -ErrorAction SilentlyContinue
        $ds.Annotations.Count | Should -Be 3
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DicomAnnotationImageMissing,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'highdicom_seg_image_cr_binary\.dcm'
        $err[0].Exception.Message | Should -Match '1 item\(s\) not placed'
        $err[0].Exception.Message | Should -Match '1\.3\.6\.1\.4\.1\.5962\.1\.1\.0\.0\.0\.1196527414\.5534\.0\.11'
    }

    It 'reports a truncated object by its stable id and adds nothing of it' {
        $ds = New-CtDataset $liverCt
        $bytes = [IO.File]::ReadAllBytes((Join-Path $objects 'dcmqi_liver_seg.dcm'))
        $cut = Join-Path $dir 'cut.dcm'
        [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 40000)])
        Add-CocoAnnotation $ds -DicomPath $cut -ErrorVariable err -ErrorAction SilentlyContinue
        $ds.Annotations.Count | Should -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DicomAnnotationTruncated,*'
        $err[0].TargetObject | Should -Be $cut
    }

    It 'writes no patient name or id into annotations, categories, errors or verbose lines' {
        $ds = Get-ChildItem $objects -Filter *.dcm | Where-Object Name -notmatch 'seg|rt|sr_' | Add-CocoImage
        $stream = Get-ChildItem $objects -Filter *.dcm | Add-CocoAnnotation $ds -Verbose -ErrorAction SilentlyContinue -ErrorVariable err -WarningVariable warn 4>&1 | Out-String
        $json = Join-Path $dir 'all.json'
        $ds | Export-CocoJson $json
        $text = (Get-Content $json -Raw) + $stream + ($err | Out-String) + ($warn | Out-String)
        $patients = @(Get-PatientText)
        $patients.Count | Should -BeGreaterThan 0
        foreach ($p in $patients) { $text.Contains($p) | Should -BeFalse -Because "'$p' is patient data" }
    }

    It 'refuses a fractional threshold outside 0 to 1 before any work' {
        $ds = New-CtDataset $liverCt
        { Add-CocoAnnotation $ds -DicomPath $objects -FractionalThreshold 1.5 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        $ds.Annotations.Count | Should -Be 0
    }

    It 'applies -FractionalThreshold to FRACTIONAL segmentations' {
        $low = New-CtDataset @('pydicom_CT2_17106.dcm', 'pydicom_CT2_17136.dcm', 'pydicom_CT2_17166.dcm', 'pydicom_CT2_17196.dcm')
        $high = New-CtDataset @('pydicom_CT2_17106.dcm', 'pydicom_CT2_17136.dcm', 'pydicom_CT2_17166.dcm', 'pydicom_CT2_17196.dcm')
        $seg = Join-Path $objects 'highdicom_seg_image_ct_binary_fractional.dcm'
        Add-CocoAnnotation $low -DicomPath $seg -FractionalThreshold 0.01
        Add-CocoAnnotation $high -DicomPath $seg -FractionalThreshold 1
        ($low.Annotations | Measure-Object -Property Area -Sum).Sum | Should -BeGreaterOrEqual ($high.Annotations | Measure-Object -Property Area -Sum).Sum
    }
}

Describe 'Add-CocoImage -AnnotationObjects' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        Copy-Item (Join-Path $objects 'dcmqi_23x38x3_*') $dir
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'turns annotation objects among the files into annotations at the end, whatever the order (Annotate, the default)' {
        $files = Get-ChildItem $dir | Sort-Object Name -Descending   # the SEG comes before its images
        $files[0].Name | Should -Be 'dcmqi_23x38x3_seg.dcm'
        $ds = $files | Add-CocoImage
        $ds.Images.Count | Should -Be 3
        $ds.Annotations.Count | Should -BeGreaterThan 0
        $ds.Images.FileName | Should -Not -Contain 'dcmqi_23x38x3_seg.dcm'
    }

    It 'leaves them out with one verbose line each (Skip)' {
        $verbose = Get-ChildItem $dir | Add-CocoImage -AnnotationObjects Skip -Verbose 4>&1
        $ds = $verbose | Where-Object { $_ -is [CocoTools.Engine.Coco.CocoDataset] }
        $ds.Annotations.Count | Should -Be 0
        $ds.Images.Count | Should -Be 3
        @($verbose | Where-Object { "$_" -match 'dcmqi_23x38x3_seg\.dcm: skipped, an annotation object' }).Count | Should -Be 1
    }

    It 'adds a SEG''s frames as images that Export-CocoImage renders as 0 and 255 (Image)' {
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'dcmqi_23x38x3_seg.dcm') -AnnotationObjects Image -BasePath $dir
        $ds.Images.Count | Should -Be 3
        $ds.Annotations.Count | Should -Be 0
        $ds | Export-CocoImage (Join-Path $dir 'png') -ImageRoot $dir | Out-Null
        $pngs = @(Get-ChildItem (Join-Path $dir 'png') -Filter *.png)
        $pngs.Count | Should -Be 3
        $check = 'import sys, numpy as np, pydicom; from PIL import Image' + "`n" +
            'd = pydicom.dcmread(sys.argv[1]); n, r, c = int(d.NumberOfFrames), d.Rows, d.Columns' + "`n" +
            'bits = np.unpackbits(np.frombuffer(d.PixelData, np.uint8), bitorder="little")[: n * r * c].reshape(n, r, c)' + "`n" +
            'pngs = sorted(sys.argv[2:])' + "`n" +
            'print(all(np.array_equal(np.array(Image.open(p)), bits[k] * 255) for k, p in enumerate(pngs)))'
        (Invoke-Python -Script $check -Arguments (@((Join-Path $dir 'dcmqi_23x38x3_seg.dcm')) + $pngs.FullName))[-1] | Should -Be 'True'
    }
}
