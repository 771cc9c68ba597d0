<#
.SYNOPSIS
    The main job on the bundled samples: what `build.ps1 Demo` runs, in a fresh pwsh on the built module.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$samples = $PSScriptRoot

Write-Host "`n== 1. A folder of DICOM files -> COCO images (bad files reported, the rest kept)" -ForegroundColor Cyan
Push-Location $samples
try {
    # file_name relative to samples/, one image per file (first frame of multi-frame objects).
    $dicom = Get-ChildItem (Join-Path $samples 'dicom') -Filter *.dcm |
        Add-CocoImage -Frame First -ErrorVariable bad -ErrorAction SilentlyContinue -WarningVariable notes -WarningAction SilentlyContinue
} finally {
    Pop-Location
}
$dicom.Images | Format-Table | Out-Host
Write-Host "Reported $($bad.Count) bad file(s):"
$bad | ForEach-Object { Write-Host "  [$($_.FullyQualifiedErrorId.Split(',')[0])] $($_.Exception.Message)" }
Write-Host "Notes ($($notes.Count)):"
$notes | ForEach-Object { Write-Host "  $($_.Message)" }

Write-Host "`n== 2. A findings list (boxes and polygons, CSV) -> COCO annotations" -ForegroundColor Cyan
$findings = Join-Path $samples 'annotations/findings.csv'
Add-CocoAnnotation $dicom -CsvPath $findings -WarningVariable noFinding -WarningAction SilentlyContinue
$noFinding | ForEach-Object { Write-Host "  $($_.Message)" }
$dicom.Annotations | Format-Table | Out-Host
$dicom.Categories | Format-Table | Out-Host
$dicom | Format-Table | Out-Host
$dicom | Export-CocoJson -Path (Join-Path $OutputDirectory 'dicom.coco.json') -PassThru | Select-Object FullName, Length | Format-Table -AutoSize | Out-Host

Write-Host "`n== 3. Masks of the DICOM dataset (pixel-exact with pycocotools)" -ForegroundColor Cyan
$dicom | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/dicom-binary') -Kind Binary -PassThru |
    Select-Object ImageId, SourceFileName, AnnotationCount, Path | Format-Table -AutoSize | Out-Host
$dicom | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/dicom-semantic') -Kind Semantic

Write-Host "`n== 4. Training images: DICOM pixels to PNG, windowed, with annotations.json beside them" -ForegroundColor Cyan
$training = Join-Path $OutputDirectory 'training'
$dicom | Export-CocoImage $training -ImageRoot $samples -ErrorAction SilentlyContinue -ErrorVariable undecoded |
    Export-CocoJson (Join-Path $training 'annotations.json')
$dicom.Images | Format-Table | Out-Host
$undecoded | ForEach-Object { Write-Host "  [$($_.FullyQualifiedErrorId.Split(',')[0])] $($_.Exception.Message)" }

Write-Host "`n== 5. The DICOM viewer's export -> standard COCO, its masks and an RLE copy" -ForegroundColor Cyan
$viewer = Import-CocoJson -LiteralPath (Join-Path $samples 'viewer/seed-export-sample.json') -WarningVariable repairs -WarningAction SilentlyContinue
$viewer.Repairs | Format-Table -AutoSize | Out-Host
$viewer | Export-CocoJson -Path (Join-Path $OutputDirectory 'viewer-export.coco.json') -PassThru | Select-Object FullName, Length | Format-Table -AutoSize | Out-Host
$viewer | Format-Table | Out-Host
$viewer | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/viewer-binary') -Kind Binary
$viewer | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/viewer-semantic') -Kind Semantic
$viewer | Export-CocoJson -Path (Join-Path $OutputDirectory 'viewer-export.rle.json') -SegmentationFormat Rle
Write-Host "`n== 6. A study folder with segmentations (SEG, RTSTRUCT, SR) -> COCO annotations on its images" -ForegroundColor Cyan
# Images and annotation objects in any order: the objects become annotations at the end of the pipeline. Two objects
# name images that are not in the folder (on purpose): each is one error naming it; everything else is added.
$studyOut = Join-Path $OutputDirectory 'study'
Push-Location $samples
try {
    $study = Get-ChildItem (Join-Path $samples 'dicom-annotations') -Filter *.dcm | Sort-Object Name -Descending |
        Add-CocoImage -Verbose -ErrorVariable unplaced -ErrorAction SilentlyContinue -WarningVariable studyNotes -WarningAction SilentlyContinue 4>&1 |
        ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -like 'Annotation objects:*') { Write-Host "  $($_.Message)" } } else { $_ } }
} finally {
    Pop-Location
}
$unplaced | ForEach-Object { Write-Host "  [$($_.FullyQualifiedErrorId.Split(',')[0])] $($_.Exception.Message)" }
$studyNotes | ForEach-Object { Write-Host "  $($_.Message)" }
$study.Categories | Format-Table | Out-Host
$study.Annotations | Format-Table | Out-Host
$study | Export-CocoJson -Path (Join-Path $studyOut 'study.coco.json') -PassThru | Select-Object FullName, Length | Format-Table -AutoSize | Out-Host
# The images as PNG (windowed) and the masks beside them, named alike, to look at side by side.
$annotated = $study.Annotations.ImageId | Sort-Object -Unique
$study | Export-CocoMask -OutputDirectory (Join-Path $studyOut 'masks') -Kind Binary -ImageId $annotated
$study | Export-CocoImage (Join-Path $studyOut 'images') -ImageRoot $samples -Window MinMax | Out-Null

Write-Host "Wrote:"
Get-ChildItem $OutputDirectory -Recurse -File | ForEach-Object { Write-Host "  $([IO.Path]::GetRelativePath($OutputDirectory, $_.FullName))" }
