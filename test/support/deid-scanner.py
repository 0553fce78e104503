"""Independent check of de-identified output (pydicom from Debian, not Krypton's code).

Usage: deid-scanner.py <output-folder> <seed>...
Walks every element of every file (nested sequences and private elements included) and the raw
bytes of every file for each seed, case-insensitively, and collects the UIDs and references
needed to check reference integrity. Prints one JSON report on stdout.
"""
import json
import os
import sys

import pydicom
from pydicom import config

config.settings.reading_validation_mode = config.IGNORE

REFERENCE_TAGS = {
    0x00081155: "sop",  # Referenced SOP Instance UID
    0x0020000E: "series",  # Series Instance UID (inside reference sequences)
    0x0020000D: "study",
    0x00200052: "frame",  # Frame of Reference UID
    0x30060024: "frame",  # Referenced Frame of Reference UID
}


def text_of(elem):
    value = elem.value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    if isinstance(value, (list, tuple, pydicom.multival.MultiValue)):
        return "\\".join(str(v) for v in value)
    return str(value)


def main():
    out_dir, seeds = sys.argv[1], [s.upper() for s in sys.argv[2:]]
    report = {"files": 0, "elements": 0, "hits": [], "rawHits": [], "problems": [], "objects": [], "references": []}
    for root, _dirs, files in os.walk(out_dir):
        for name in sorted(files):
            path = os.path.join(root, name)
            raw = open(path, "rb").read()
            report["files"] += 1
            upper = raw.upper()
            for seed in seeds:
                if seed.encode("latin-1") in upper:
                    report["rawHits"].append({"file": path, "seed": seed})
            if raw[:128] != b"\0" * 128:
                report["problems"].append({"file": path, "problem": "preamble not zero"})
            ds = pydicom.dcmread(path)
            if ds.file_meta.MediaStorageSOPInstanceUID != ds.SOPInstanceUID:
                report["problems"].append({"file": path, "problem": "Media Storage SOP Instance UID differs"})
            if ds.get("PatientIdentityRemoved") != "YES":
                report["problems"].append({"file": path, "problem": "(0012,0062) is not YES"})

            def visit(dataset, elem, depth=0):
                report["elements"] += 1
                if elem.VR == "SQ":
                    return
                text = text_of(elem).upper()
                for seed in seeds:
                    if seed in text:
                        report["hits"].append({"file": path, "tag": str(elem.tag), "seed": seed})
                kind = REFERENCE_TAGS.get(int(elem.tag))
                if kind and dataset is not ds:
                    report["references"].append({"file": path, "kind": kind, "uid": str(elem.value)})

            def walk(dataset):
                for elem in dataset:
                    visit(dataset, elem)
                    if elem.VR == "SQ":
                        for item in elem.value:
                            walk(item)

            walk(ds.file_meta)
            walk(ds)
            report["objects"].append({
                "file": path,
                "sopClass": str(ds.SOPClassUID),
                "sop": str(ds.SOPInstanceUID),
                "series": str(ds.SeriesInstanceUID),
                "study": str(ds.StudyInstanceUID),
                "frame": str(ds.get("FrameOfReferenceUID", "")),
                "patientId": str(ds.PatientID),
                "studyDate": str(ds.get("StudyDate", "")),
                "pixels": bytes(ds.PixelData).hex() if "PixelData" in ds else None,
            })
    json.dump(report, sys.stdout)


main()
