BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $moduleDir = Split-Path $ModulePath -Parent
}

Describe 'The built module' {
    It 'exports exactly the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile $ModulePath
        $exported = (Get-Command -Module CocoTools).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'is version 0.1.0 and declares both editions' {
        $manifest = Import-PowerShellDataFile $ModulePath
        $manifest.ModuleVersion | Should -Be '0.1.0'
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'never ships System.Management.Automation.dll' {
        Test-Path (Join-Path $moduleDir 'System.Management.Automation.dll') | Should -BeFalse
    }

    It 'ships the engine, ImageSharp, System.Text.Json and the format file' {
        foreach ($file in 'CocoTools.dll', 'CocoTools.Engine.dll', 'SixLabors.ImageSharp.dll', 'System.Text.Json.dll', 'CocoTools.format.ps1xml') {
            Test-Path (Join-Path $moduleDir $file) | Should -BeTrue -Because "$file belongs in the module folder"
        }
    }

    It 'loads the engine from the module folder' {
        $engine = [CocoTools.Engine.Coco.CocoDataset].Assembly.Location
        Split-Path $engine -Parent | Should -Be $moduleDir
    }
}
