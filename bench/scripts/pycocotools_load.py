"""Times pycocotools' COCO(path), the baseline for Import-CocoJson and Test-CocoFile. Prints seconds."""
import sys
import time

from pycocotools.coco import COCO

start = time.perf_counter()
coco = COCO(sys.argv[1])
elapsed = time.perf_counter() - start
print(f"RESULT\t{elapsed:.3f}\t{len(coco.imgs)} images, {len(coco.anns)} annotations", flush=True)
