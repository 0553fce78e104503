export type QueryLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';

export const LEVEL_DEPTH: Record<QueryLevel, number> = { PATIENT: 0, STUDY: 1, SERIES: 2, IMAGE: 3 };

/** How a key is matched (PS3.4 C.2.2.2): by value representation. */
export type MatchKind = 'uid' | 'date' | 'time' | 'person' | 'string' | 'integer' | 'none';

export interface AttributeDef {
  readonly keyword: string;
  readonly tag: string;
  readonly vr: string;
  readonly level: QueryLevel;
  /** SQL expression over the aliases p (patient), st (study), se (series), i (instance). */
  readonly sql: string;
  readonly match: MatchKind;
}

const A = (keyword: string, tag: string, vr: string, level: QueryLevel, sql: string, match: MatchKind): AttributeDef => ({
  keyword,
  tag,
  vr,
  level,
  sql,
  match,
});

/**
 * The attributes the catalogue can match and return, at the level where they live. Counts and
 * ModalitiesInStudy are computed by sub-queries over the rows that are returned.
 */
export const ATTRIBUTES: readonly AttributeDef[] = [
  A('PatientName', '00100010', 'PN', 'PATIENT', 'p.name', 'person'),
  A('PatientID', '00100020', 'LO', 'PATIENT', 'p.patient_id', 'string'),
  A('IssuerOfPatientID', '00100021', 'LO', 'PATIENT', 'p.issuer', 'string'),
  A('PatientBirthDate', '00100030', 'DA', 'PATIENT', 'p.birth_date', 'date'),
  A('PatientSex', '00100040', 'CS', 'PATIENT', 'p.sex', 'string'),
  A('NumberOfPatientRelatedStudies', '00201200', 'IS', 'PATIENT', '(SELECT count(*) FROM study x WHERE x.patient_fk = p.id)', 'none'),
  A('StudyInstanceUID', '0020000D', 'UI', 'STUDY', 'st.study_uid', 'uid'),
  A('StudyDate', '00080020', 'DA', 'STUDY', 'st.study_date', 'date'),
  A('StudyTime', '00080030', 'TM', 'STUDY', 'st.study_time', 'time'),
  A('AccessionNumber', '00080050', 'SH', 'STUDY', 'st.accession_number', 'string'),
  A('StudyID', '00200010', 'SH', 'STUDY', 'st.study_id', 'string'),
  A('StudyDescription', '00081030', 'LO', 'STUDY', 'st.study_description', 'string'),
  A('ReferringPhysicianName', '00080090', 'PN', 'STUDY', 'st.referring_physician', 'person'),
  A('ModalitiesInStudy', '00080061', 'CS', 'STUDY', "(SELECT string_agg(DISTINCT x.modality, '\\' ORDER BY x.modality) FROM series x WHERE x.study_fk = st.id)", 'none'),
  A('NumberOfStudyRelatedSeries', '00201206', 'IS', 'STUDY', '(SELECT count(*) FROM series x WHERE x.study_fk = st.id)', 'none'),
  A('NumberOfStudyRelatedInstances', '00201208', 'IS', 'STUDY', '(SELECT count(*) FROM instance y JOIN series x ON y.series_fk = x.id WHERE x.study_fk = st.id)', 'none'),
  A('SeriesInstanceUID', '0020000E', 'UI', 'SERIES', 'se.series_uid', 'uid'),
  A('Modality', '00080060', 'CS', 'SERIES', 'se.modality', 'string'),
  A('SeriesNumber', '00200011', 'IS', 'SERIES', 'se.series_number', 'integer'),
  A('SeriesDescription', '0008103E', 'LO', 'SERIES', 'se.series_description', 'string'),
  A('BodyPartExamined', '00180015', 'CS', 'SERIES', 'se.body_part', 'string'),
  A('StationName', '00081010', 'SH', 'SERIES', 'se.station_name', 'string'),
  A('SeriesDate', '00080021', 'DA', 'SERIES', 'se.series_date', 'date'),
  A('NumberOfSeriesRelatedInstances', '00201209', 'IS', 'SERIES', '(SELECT count(*) FROM instance y WHERE y.series_fk = se.id)', 'none'),
  A('SOPInstanceUID', '00080018', 'UI', 'IMAGE', 'i.sop_instance_uid', 'uid'),
  A('SOPClassUID', '00080016', 'UI', 'IMAGE', 'i.sop_class_uid', 'uid'),
  A('InstanceNumber', '00200013', 'IS', 'IMAGE', 'i.instance_number', 'integer'),
  A('Rows', '00280010', 'US', 'IMAGE', 'i.rows', 'integer'),
  A('Columns', '00280011', 'US', 'IMAGE', 'i.columns', 'integer'),
  A('NumberOfFrames', '00280008', 'IS', 'IMAGE', 'i.number_of_frames', 'integer'),
  A('AvailableTransferSyntaxUID', '00083002', 'UI', 'IMAGE', 'i.transfer_syntax_uid', 'uid'),
];

export const BY_KEYWORD: ReadonlyMap<string, AttributeDef> = new Map(ATTRIBUTES.map((a) => [a.keyword, a]));
export const BY_TAG: ReadonlyMap<string, AttributeDef> = new Map(ATTRIBUTES.map((a) => [a.tag, a]));

/** Set-valued matching on ModalitiesInStudy is answered by the study's series. */
export const MODALITIES_IN_STUDY_FILTER = 'EXISTS (SELECT 1 FROM series x WHERE x.study_fk = st.id AND x.modality = ANY($))';
