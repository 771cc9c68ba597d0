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

Write-Host "`n== 1. The DICOM viewer's export -> standard COCO" -ForegroundColor Cyan
$viewer = Import-CocoJson -LiteralPath (Join-Path $samples 'viewer/seed-export-sample.json') -WarningVariable repairs -WarningAction SilentlyContinue
$viewer.Repairs | Format-Table -AutoSize | Out-Host
$viewer | Export-CocoJson -Path (Join-Path $OutputDirectory 'viewer-export.coco.json') -PassThru | Select-Object FullName, Length | Format-Table -AutoSize | Out-Host
$viewer | Format-Table | Out-Host

Write-Host "`n== 2. Masks of the viewer export (pixel-exact with pycocotools)" -ForegroundColor Cyan
$viewer | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/binary') -Kind Binary -PassThru |
    Select-Object ImageId, SourceFileName, AnnotationCount, Path | Format-Table -AutoSize | Out-Host
$viewer | Export-CocoMask -OutputDirectory (Join-Path $OutputDirectory 'masks/semantic') -Kind Semantic
$viewer | Export-CocoJson -Path (Join-Path $OutputDirectory 'viewer-export.rle.json') -SegmentationFormat Rle
