"""Writes a COCO file with N images and a box list CSV of R rows naming them (NIH-style columns plus a reader
column), for the Add-CocoAnnotation benchmark. Usage: make_box_list.py <images.json> <boxes.csv> <rows> [images] [empty]
With 'empty', every row is a no-finding row (no box): nothing is kept, which shows memory does not grow with the file."""
import json
import random
import sys

images_path, csv_path, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
n_images = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
empty = len(sys.argv) > 5 and sys.argv[5] == "empty"
rng = random.Random(7)
with open(images_path, "w") as f:
    json.dump({"images": [{"id": i + 1, "file_name": f"images/{i + 1:08d}_000.png", "width": 1024, "height": 1024} for i in range(n_images)],
               "annotations": [], "categories": []}, f)
labels = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltrate", "Mass", "Nodule", "Pneumonia", "Pneumothorax"]
with open(csv_path, "w") as f:
    f.write("Image Index,Finding Label,Bbox [x,y,w,h],reader\n")
    for r in range(rows):
        image = f"{rng.randrange(n_images) + 1:08d}_000.png"
        if empty:
            f.write(f"{image},No Finding,,,,,R{r % 5}\n")
        else:
            w, h = rng.uniform(10, 300), rng.uniform(10, 300)
            x, y = rng.uniform(0, 1024 - w), rng.uniform(0, 1024 - h)
            # Fifteen significant digits, as the NIH list has them (225.084745762712).
            f.write(f"{image},{labels[r % len(labels)]},{x:.15g},{y:.15g},{w:.15g},{h:.15g},R{r % 5}\n")
