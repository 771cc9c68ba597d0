"""Times Python's json.dump (C encoder) writing a COCO file compactly: the baseline for Export-CocoJson."""
import json
import sys
import time

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
start = time.perf_counter()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(data, f, separators=(",", ":"))
elapsed = time.perf_counter() - start
print(f"RESULT\t{elapsed:.3f}\t{len(data['annotations'])} annotations written", flush=True)
