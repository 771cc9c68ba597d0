BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $samples = Join-Path $SharedDir 'dicom-samples'
}

Describe 'Export-CocoImage' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-images-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path (Join-Path $dir 'dicom') -Force | Out-Null
        foreach ($file in 'pydicom_CT_small.dcm', 'fodicom_mr_brucker.dcm', 'pydicom_MR_small_RLE.dcm', 'fodicom_CR-MONO1-10-chest.dcm', 'pydicom_SC_rgb_jpeg_dcmtk.dcm', 'pydicom_JPEG2000.dcm') {
            Copy-Item (Join-Path $samples $file) (Join-Path $dir "dicom/$file")
        }
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'writes one PNG per image and frame, points file_name at it, and Export-CocoJson writes a set a trainer loads' {
        $ds = Add-CocoImage -Path (Join-Path $dir 'dicom') -BasePath $dir -WarningAction SilentlyContinue
        $ds.Images.Count | Should -Be 9   # 4 frames of the MR plus 5 single-frame images
        $out = $ds | Export-CocoImage (Join-Path $dir 'png') -ImageRoot $dir -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -Be $ds
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomCompressionUnsupported,CocoTools.Commands.ExportCocoImageCommand'
        $err[0].Exception.Message | Should -BeLike '*pydicom_JPEG2000.dcm, frame 1: *JPEG 2000*gdcmconv --raw*'
        $pngs = @($ds.Images.FileName | Where-Object { $_ -like '*.png' })
        $pngs.Count | Should -Be 8
        $pngs | Should -Contain 'fodicom_mr_brucker_frame0003.png'
        $pngs | Should -Contain 'pydicom_SC_rgb_jpeg_dcmtk.png' -Because 'lossy JPEG is decoded'
        Test-Path (Join-Path $dir 'png/pydicom_JPEG2000.png') | Should -BeFalse -Because 'a failed image leaves no PNG'
        ($ds.Images | Where-Object FileName -like '*.dcm').FileName | Should -Be 'dicom/pydicom_JPEG2000.dcm'

        $json = Join-Path $dir 'png/annotations.json'
        $ds | Export-CocoJson $json
        $sizes = Invoke-Python -Script @'
import json, os, sys
from PIL import Image
data = json.load(open(sys.argv[1]))
root = os.path.dirname(sys.argv[1])
print(" ".join("%s=%dx%d/%dx%d" % (i["file_name"], i["width"], i["height"], *Image.open(os.path.join(root, i["file_name"])).size) for i in data["images"] if i["file_name"].endswith(".png")))
'@ -Arguments $json
        foreach ($pair in $sizes[-1] -split ' ') {
            $name, $value = $pair -split '='
            $declared, $actual = $value -split '/'
            $actual | Should -Be $declared -Because "$name must have the size the dataset says"
        }
    }

    It 'gives masks that line up with the images pixel for pixel' {
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'dicom/pydicom_CT_small.dcm') -BasePath $dir
        Add-CocoAnnotation $ds -Image 1 -Category nodule -Bbox 40, 52, 18, 19
        $ds | Export-CocoImage (Join-Path $dir 'png') -ImageRoot $dir | Export-CocoMask (Join-Path $dir 'masks') -Kind Binary
        # The overlay: the mask is the box, and the box's pixels in the image are the CT's (not padding or shift).
        $check = Invoke-Python -Script @'
import sys
from PIL import Image
import numpy as np
image = np.array(Image.open(sys.argv[1]))
mask = np.array(Image.open(sys.argv[2]))
ys, xs = np.nonzero(mask)
print(image.shape == mask.shape, xs.min(), ys.min(), xs.max(), ys.max(), int(image[mask > 0].std() > 0))
'@ -Arguments (Join-Path $dir 'png/pydicom_CT_small.png'), (Join-Path $dir 'masks/pydicom_CT_small.png')
        $check[-1] | Should -Be 'True 40 52 57 70 1'
    }

    It 'windows as asked and writes 8 or 16 bits' {
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'dicom/pydicom_CT_small.dcm'), (Join-Path $dir 'dicom/fodicom_CR-MONO1-10-chest.dcm') -BasePath $dir
        $ds | Export-CocoImage (Join-Path $dir 'w') -ImageRoot $dir -Window 40,400 | Out-Null
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'dicom/pydicom_CT_small.dcm') -BasePath $dir
        $ds | Export-CocoImage (Join-Path $dir 'w16') -ImageRoot $dir -Window MinMax -BitDepth 16 | Out-Null
        $modes = Invoke-Python -Script @'
import sys
from PIL import Image
import numpy as np
print(" ".join("%s:%d" % (Image.open(p).mode, np.array(Image.open(p)).max()) for p in sys.argv[1:]))
'@ -Arguments (Join-Path $dir 'w/pydicom_CT_small.png'), (Join-Path $dir 'w16/pydicom_CT_small.png'), (Join-Path $dir 'w/fodicom_CR-MONO1-10-chest.png')
        # 40,400 saturates bone at 255; the 16-bit min-max render reaches 65535.
        $modes[-1] | Should -Match '^L:255 I(;16\S*)?:65535 L:\d+$'
    }

    It 'refuses a malformed -Window before writing anything' {
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'dicom/pydicom_CT_small.dcm') -BasePath $dir
        { $ds | Export-CocoImage (Join-Path $dir 'x') -Window 'soft tissue' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWindow,CocoTools.Commands.ExportCocoImageCommand'
        Test-Path (Join-Path $dir 'x') | Should -BeFalse
    }

    It 'names a missing source file and goes on' {
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'dicom/pydicom_CT_small.dcm'), (Join-Path $dir 'dicom/pydicom_MR_small_RLE.dcm') -BasePath $dir
        Remove-Item (Join-Path $dir 'dicom/pydicom_CT_small.dcm') -Force
        $ds | Export-CocoImage (Join-Path $dir 'png') -ImageRoot $dir -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -Be 'ImageFileMissing,CocoTools.Commands.ExportCocoImageCommand'
        $ds.Images[1].FileName | Should -Be 'pydicom_MR_small_RLE.png'
    }
}
