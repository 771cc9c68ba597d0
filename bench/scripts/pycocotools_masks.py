"""Times pycocotools on every annotation of a COCO file, single-threaded: frPyObjects + merge (polygons to one
RLE per annotation), then decode of each RLE to a full mask. Loading the JSON is not timed. Prints two RESULT lines."""
import json
import sys
import time

import pycocotools.mask as mask_utils

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
images = {i["id"]: i for i in data["images"]}
anns = data["annotations"]

start = time.perf_counter()
rles = []
for a in anns:
    img = images[a["image_id"]]
    rles.append(mask_utils.merge(mask_utils.frPyObjects(a["segmentation"], img["height"], img["width"])))
encode = time.perf_counter() - start

start = time.perf_counter()
pixels = 0
for r in rles:
    pixels += int(mask_utils.decode(r).sum())
decode = time.perf_counter() - start
print(f"RESULT-ENCODE\t{encode:.3f}\t{len(rles)} annotations", flush=True)
print(f"RESULT-DECODE\t{decode:.3f}\t{pixels} foreground pixels", flush=True)
