#!/usr/bin/python3
"""Generates a synthetic CT study: N instances of 512x512 16-bit (about 0.5 MB each), one series.

Fake patient, generated UIDs; used by the ingest benchmark and by tests that need many or large
instances. Usage: generate-ct.py OUT_DIR COUNT [--frames F] [--seed S]
"""
import argparse
import os
import random

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("count", type=int)
    p.add_argument("--frames", type=int, default=1, help="frames per instance (multi-frame when > 1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--patient-id", default="SYNTH-0001")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    study_uid, series_uid = generate_uid(), generate_uid()
    # One noisy slice, reused: generation speed matters more than realistic anatomy here.
    pixels = np.random.default_rng(args.seed).integers(0, 4096, size=(args.frames, 512, 512), dtype=np.uint16)
    for i in range(args.count):
        sop_uid = generate_uid()
        sop_class = CT_IMAGE_STORAGE if args.frames == 1 else ENHANCED_CT_STORAGE
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = sop_class
        meta.MediaStorageSOPInstanceUID = sop_uid
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.SOPClassUID, ds.SOPInstanceUID = sop_class, sop_uid
        ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "SYNTHETIC^CT", args.patient_id, "19700101", "O"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
        ds.StudyDate, ds.StudyTime, ds.AccessionNumber, ds.StudyID = "20260101", "120000", f"SYN{args.seed:06d}", "1"
        ds.StudyDescription, ds.SeriesDescription = "Synthetic CT", "Synthetic axial"
        ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "CT", 1, i + 1
        ds.ReferringPhysicianName = "REFERRER^TEST"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SliceThickness, ds.ImagePositionPatient = 1.0, [0, 0, float(i)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.7, 0.7]
        ds.Rows = ds.Columns = 512
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
        if args.frames > 1:
            ds.NumberOfFrames = args.frames
        frame = pixels if args.frames > 1 else pixels[0]
        # Vary one value per instance so no two objects are byte-identical.
        frame = frame.copy()
        frame.flat[0] = rng.randrange(4096)
        ds.PixelData = frame.tobytes()
        ds.save_as(os.path.join(args.out, f"CT{i + 1:05d}.dcm"), write_like_original=False)
    print(study_uid)


if __name__ == "__main__":
    main()
