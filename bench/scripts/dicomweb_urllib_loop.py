"""The baseline for Find-CocoDicomWeb | Add-CocoImage: the same QIDO-RS search (paged with limit/offset) and one
WADO-RS metadata request per instance, one by one with urllib. Usage: dicomweb_urllib_loop.py root user password
Prints RESULT<tab>seconds<tab>instances for the whole, and RESULT-QIDO and RESULT-METADATA for the two phases."""
import base64
import json
import sys
import time
import urllib.request

root, user, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def get(url, accept):
    request = urllib.request.Request(url, headers={"Authorization": auth, "Accept": accept})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


start = time.perf_counter()
offset, found = 0, []
while True:
    page = get(f"{root}/instances?limit=1000&offset={offset}", "application/dicom+json")
    found.extend(page)
    offset += len(page)
    if len(page) < 1000:
        break
searched = time.perf_counter()
rows = 0
for item in found:
    st, se, so = (item[t]["Value"][0] for t in ("0020000D", "0020000E", "00080018"))
    meta = get(f"{root}/studies/{st}/series/{se}/instances/{so}/metadata", "application/dicom+json")
    rows += meta[0]["00280010"]["Value"][0] > 0
end = time.perf_counter()
print(f"RESULT-QIDO\t{searched - start:.3f}\t{len(found)}")
print(f"RESULT-METADATA\t{end - searched:.3f}\t{rows}")
print(f"RESULT\t{end - start:.3f}\t{rows}")
