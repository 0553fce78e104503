/**
 * The attributes the catalogue needs from each received object, by tag, with the VR used when the
 * data set is implicit VR. Keyword names match dcmjs's naturalized names so both readers feed
 * toInstanceRecord the same shape.
 */
export const HEADER_TAGS: Readonly<Record<number, { keyword: string; vr: string }>> = {
  0x00080005: { keyword: 'SpecificCharacterSet', vr: 'CS' },
  0x00080016: { keyword: 'SOPClassUID', vr: 'UI' },
  0x00080018: { keyword: 'SOPInstanceUID', vr: 'UI' },
  0x00080020: { keyword: 'StudyDate', vr: 'DA' },
  0x00080021: { keyword: 'SeriesDate', vr: 'DA' },
  0x00080030: { keyword: 'StudyTime', vr: 'TM' },
  0x00080050: { keyword: 'AccessionNumber', vr: 'SH' },
  0x00080060: { keyword: 'Modality', vr: 'CS' },
  0x00080090: { keyword: 'ReferringPhysicianName', vr: 'PN' },
  0x00081010: { keyword: 'StationName', vr: 'SH' },
  0x00081030: { keyword: 'StudyDescription', vr: 'LO' },
  0x0008103e: { keyword: 'SeriesDescription', vr: 'LO' },
  0x00100010: { keyword: 'PatientName', vr: 'PN' },
  0x00100020: { keyword: 'PatientID', vr: 'LO' },
  0x00100021: { keyword: 'IssuerOfPatientID', vr: 'LO' },
  0x00100022: { keyword: 'TypeOfPatientID', vr: 'CS' },
  0x00100024: { keyword: 'IssuerOfPatientIDQualifiersSequence', vr: 'SQ' },
  0x00100030: { keyword: 'PatientBirthDate', vr: 'DA' },
  0x00100040: { keyword: 'PatientSex', vr: 'CS' },
  0x00101002: { keyword: 'OtherPatientIDsSequence', vr: 'SQ' },
  0x00180015: { keyword: 'BodyPartExamined', vr: 'CS' },
  0x0020000d: { keyword: 'StudyInstanceUID', vr: 'UI' },
  0x0020000e: { keyword: 'SeriesInstanceUID', vr: 'UI' },
  0x00200010: { keyword: 'StudyID', vr: 'SH' },
  0x00200011: { keyword: 'SeriesNumber', vr: 'IS' },
  0x00200013: { keyword: 'InstanceNumber', vr: 'IS' },
  0x00280008: { keyword: 'NumberOfFrames', vr: 'IS' },
  0x00280010: { keyword: 'Rows', vr: 'US' },
  0x00280011: { keyword: 'Columns', vr: 'US' },
  0x00400032: { keyword: 'UniversalEntityID', vr: 'UT' },
  // Dose attributes of image headers: only their presence is needed here (see hasHeaderDose).
  0x00189345: { keyword: 'CTDIvol', vr: 'FD' },
  0x0018115e: { keyword: 'ImageAndFluoroscopyAreaDoseProduct', vr: 'DS' },
  0x00408302: { keyword: 'EntranceDoseInmGy', vr: 'DS' },
  0x00400316: { keyword: 'OrganDose', vr: 'DS' },
  0x00181411: { keyword: 'ExposureIndex', vr: 'DS' },
  0x00181412: { keyword: 'TargetExposureIndex', vr: 'DS' },
  0x00181413: { keyword: 'DeviationIndex', vr: 'DS' },
  0x00400302: { keyword: 'EntranceDose', vr: 'US' },
  0x0040030e: { keyword: 'ExposureDoseSequence', vr: 'SQ' },
};

/** Header attributes that make an image worth a dose extraction when no RDSR covers it. */
export const HEADER_DOSE_KEYWORDS = [
  'CTDIvol',
  'ExposureDoseSequence',
  'ImageAndFluoroscopyAreaDoseProduct',
  'EntranceDoseInmGy',
  'EntranceDose',
  'OrganDose',
  'ExposureIndex',
  'TargetExposureIndex',
  'DeviationIndex',
] as const;

/** Specific Character Set defined terms to WHATWG encoding labels (PS3.3 C.12.1.1.2). */
export const CHARSETS: Readonly<Record<string, string>> = {
  '': 'latin1',
  ISO_IR_6: 'latin1',
  ISO_IR_100: 'latin1',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'windows-1254',
  ISO_IR_166: 'windows-874',
  ISO_IR_13: 'shift_jis',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};
