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

Write-Host "`n== 1. A folder of DICOM files -> COCO images (bad files reported, the rest exported)" -ForegroundColor Cyan
Push-Location $samples
try {
    $dicom = Get-ChildItem (Join-Path $samples 'dicom') -Filter *.dcm |
        Add-CocoImage -ErrorVariable bad -ErrorAction SilentlyContinue -WarningVariable notes -WarningAction SilentlyContinue
} finally {
    Pop-Location
}
$dicom | Export-CocoJson -Path (Join-Path $OutputDirectory 'dicom.coco.json') -PassThru | Select-Object FullName, Length | Format-Table -AutoSize | Out-Host
$dicom | Format-Table | Out-Host
$dicom.Images | Format-Table | Out-Host
Write-Host "Reported $($bad.Count) bad file(s):"
$bad | ForEach-Object { Write-Host "  [$($_.FullyQualifiedErrorId.Split(',')[0])] $($_.Exception.Message)" }
Write-Host "Notes ($($notes.Count)):"
$notes | ForEach-Object { Write-Host "  $($_.Message)" }

Write-Host "`n== 2. The DICOM viewer's export -> standard COCO" -ForegroundColor Cyan
$viewer = Import-CocoJson -LiteralPath (Join-Path $samples 'viewer/seed-export-sample.json') -WarningVariable repairs -WarningAction SilentlyContinue
$viewer.Repairs | Format-Table -AutoSize | Out-Host
$viewer | Export-CocoJson -Path (Join-Path $OutputDirectory 'viewer-export.coco.json') -PassThru | Select-Object FullName, Length | Format-Table -AutoSize | Out-Host
$viewer | Format-Table | Out-Host

Write-Host "`n== 3. Masks of the viewer export (pixel-exact with pycocotools)" -ForegroundColor Cyan
$viewer | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/binary') -Kind Binary -PassThru |
    Select-Object ImageId, SourceFileName, AnnotationCount, Path | Format-Table -AutoSize | Out-Host
$viewer | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/semantic') -Kind Semantic
$viewer | Export-CocoJson -Path (Join-Path $OutputDirectory 'viewer-export.rle.json') -SegmentationFormat Rle
