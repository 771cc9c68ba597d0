@{
    RootModule             = 'CocoTools.psm1'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core', 'Desktop')
    GUID                   = '5a0f2d63-3c1e-4b7e-9f51-0c2a9e7d4b18'
    Author                 = 'CocoTools contributors'
    CompanyName            = 'CocoTools'
    Copyright              = '(c) CocoTools contributors. MIT License.'
    Description            = 'Turns DICOM studies, raster images and annotation lists into COCO datasets; reads, repairs, validates and writes COCO JSON and PNG masks.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('CocoTools.format.ps1xml')
    TypesToProcess         = @('CocoTools.types.ps1xml')
    CmdletsToExport        = @(
        'New-CocoDataset'
        'Import-CocoJson'
        'Export-CocoJson'
        'Export-CocoMask'
        'Add-CocoImage'
        'Find-CocoDicomWeb'
        'Add-CocoAnnotation'
        'Test-CocoFile'
        'Get-CocoImage'
        'Get-CocoAnnotation'
        'Get-CocoCategory'
        'Get-CocoStatistic'
        'Merge-CocoDataset'
        'Split-CocoDataset'
        'Remove-CocoAnnotation'
        'Rename-CocoCategory'
        'Export-CocoImage'
        'Export-CocoGallery'
        'Show-CocoDataset'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    # No HelpInfoURI: the help ships inside the module (en-US), and Update-Help would fail on a URI without HelpInfo.xml.
    PrivateData            = @{
        PSData = @{
            Tags         = @('COCO', 'DICOM', 'Radiology', 'MedicalImaging', 'MachineLearning', 'Segmentation', 'Annotation',
                             'pycocotools', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/cocotools/CocoTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/cocotools/CocoTools'
            ReleaseNotes = 'First release: DICOM folders and annotation lists to COCO, COCO JSON read, repaired, validated and written, PNG masks and images, a static HTML gallery. See CHANGELOG.md.'
        }
    }
}
