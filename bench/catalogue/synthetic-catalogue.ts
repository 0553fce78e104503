import { Client } from 'pg';

/** Size of the synthetic catalogue; recorded in the database so a later run can reuse it. */
export interface CatalogueSize {
  readonly studies: number;
  readonly seriesPerStudy: number;
  readonly instancesPerSeries: number;
}

const FAMILY_SYLLABLES = [
  'ber',
  'du',
  'mar',
  'lam',
  'gar',
  'ro',
  'fon',
  'chev',
  'bon',
  'mor',
  'le',
  'pe',
  'ti',
  'dar',
  'gi',
  'rou',
  'fa',
  'lo',
  'ma',
  'vi',
  'cha',
  'bri',
  'que',
  'na',
  'sa',
  'tel',
  'mont',
  'bel',
  'char',
  'pon',
];
const ENDINGS = ['t', 'nd', 'rd', 'in', 'on', 'et', 'el', 'ier', 'ard', 'eau', 'y', 'ot', 'ac', 'ès', 'oux', 'and'];
const GIVEN = ['JEAN', 'MARIE', 'PIERRE', 'ANNE', 'LOUIS', 'CLAIRE', 'PAUL', 'SOPHIE', 'LUC', 'JULIE', 'MARC', 'EMMA', 'HUGO', 'LÉA', 'NOAH', 'CHLOÉ', 'JULES', 'INÈS', 'ADAM', 'ZOÉ'];
/** Weighted like a regional mix: radiography and CT dominate, nuclear medicine is rare. */
const MODALITIES = ['CR', 'CR', 'DX', 'DX', 'DX', 'CT', 'CT', 'CT', 'MR', 'MR', 'US', 'US', 'MG', 'PT', 'NM', 'XA', 'RF', 'OT'];
const SITES = ['CHU-NORD', 'CLINIQUE-SUD', 'CIM-EST', 'CH-OUEST', 'CHU-CENTRE', 'IMAGERIE-LITTORAL', 'CH-MONTAGNE', 'CLINIQUE-VAL'];
export const STUDY_UID_ROOT = '1.2.826.0.1.3680043.10.1013.';

const arr = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/**
 * Fills the catalogue tables with generate_series (one INSERT … SELECT per table: nothing crosses
 * the socket, unlike COPY from the client). Values are
 * derived from the row number so that a search can be aimed at rows that exist: patient
 * `P<n>`, accession `A<n>`, Study UID root + n. Patients hold three studies on average.
 */
export async function loadSyntheticCatalogue(pg: Client, size: CatalogueSize, say: (m: string) => void): Promise<void> {
  const patients = Math.max(1, Math.floor(size.studies / 3));
  const series = size.studies * size.seriesPerStudy;
  // hashint8 spreads row numbers pseudo-randomly but reproducibly; masked to a non-negative int.
  const h = (expr: string) => `(hashint8(${expr}) & 2147483647)`;
  await pg.query("SET maintenance_work_mem = '512MB'");
  const steps: [string, string][] = [
    [
      `${patients.toLocaleString()} patients`,
      `INSERT INTO patient (id, patient_id, issuer, name, birth_date, sex, ins)
       SELECT i, 'P' || i, (${arr(SITES)})[1 + ${h('i')} % ${SITES.length}],
              upper((${arr(FAMILY_SYLLABLES)})[1 + ${h('i * 3')} % ${FAMILY_SYLLABLES.length}]
                 || (${arr(FAMILY_SYLLABLES)})[1 + ${h('i * 5')} % ${FAMILY_SYLLABLES.length}]
                 || (${arr(ENDINGS)})[1 + ${h('i * 7')} % ${ENDINGS.length}])
                 || '^' || (${arr(GIVEN)})[1 + ${h('i * 11')} % ${GIVEN.length}],
              to_char(date '1930-01-01' + (${h('i * 13')} % 33000)::int, 'YYYYMMDD'),
              CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END,
              CASE WHEN i % 4 = 0 THEN lpad((${h('i * 17')} % 1000000000000000)::text, 15, '1') END
         FROM generate_series(1, ${patients}) i`,
    ],
    [
      `${size.studies.toLocaleString()} studies`,
      `INSERT INTO study (id, study_uid, patient_fk, study_date, study_time, accession_number, study_id, study_description,
                          referring_physician, source_ae, received_at, updated_at, stable_at)
       SELECT i, '${STUDY_UID_ROOT}' || i, 1 + ${h('i * 19')} % ${patients},
              to_char(date '2006-01-01' + (${h('i * 23')} % 7300)::int, 'YYYYMMDD'),
              lpad((${h('i * 29')} % 24)::text, 2, '0') || lpad((${h('i * 31')} % 60)::text, 2, '0') || '00',
              'A' || i, (i % 100000)::text, 'EXAMEN ' || (${arr(MODALITIES)})[1 + ${h('i * 37')} % ${MODALITIES.length}],
              'DR^' || (${arr(GIVEN)})[1 + ${h('i * 41')} % ${GIVEN.length}], 'MODALITY' || (i % 40), now(), now(), now()
         FROM generate_series(1, ${size.studies}) i`,
    ],
    [
      `${series.toLocaleString()} series`,
      // The first series of a study has the study's main modality; the others are SR/PR/KO or
      // the same modality, as a dose report or key images would be.
      `INSERT INTO series (id, series_uid, study_fk, modality, series_number, series_description, body_part, station_name, series_date)
       SELECT j, '${STUDY_UID_ROOT}' || s || '.' || k, s,
              CASE WHEN k = 1 THEN (${arr(MODALITIES)})[1 + ${h('s * 37')} % ${MODALITIES.length}]
                   ELSE (ARRAY['SR','PR','KO',(${arr(MODALITIES)})[1 + ${h('s * 37')} % ${MODALITIES.length}]])[1 + ${h('j')} % 4] END,
              k, 'SERIE ' || k, NULL, 'STATION' || (s % 40), NULL
         FROM generate_series(1, ${series}) j, LATERAL (SELECT (j - 1) / ${size.seriesPerStudy} + 1 AS s, (j - 1) % ${size.seriesPerStudy} + 1 AS k) x`,
    ],
    [
      `${(series * size.instancesPerSeries).toLocaleString()} instances`,
      `INSERT INTO instance (id, sop_instance_uid, series_fk, sop_class_uid, instance_number, transfer_syntax_uid, storage_key, file_size, rows, columns)
       SELECT n, '${STUDY_UID_ROOT}9.' || n, (n - 1) / ${size.instancesPerSeries} + 1, '1.2.840.10008.5.1.4.1.1.2', (n - 1) % ${size.instancesPerSeries} + 1,
              '1.2.840.10008.1.2.1', 'instances/00/' || n || '.dcm', 525000, 512, 512
         FROM generate_series(1, ${series * size.instancesPerSeries}) n`,
    ],
  ];
  for (const [what, sql] of steps) {
    const t0 = performance.now();
    await pg.query(sql);
    say(`loaded ${what} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  for (const seq of ['patient', 'study', 'series', 'instance']) {
    await pg.query(`SELECT setval(pg_get_serial_sequence('${seq}', 'id'), (SELECT max(id) FROM ${seq}))`);
  }
  say('vacuum analyze (visibility map for index-only scans, planner statistics)');
  await pg.query('VACUUM ANALYZE patient, study, series, instance');
  await pg.query(`CREATE TABLE IF NOT EXISTS bench_catalogue_size (size jsonb NOT NULL)`);
  await pg.query('DELETE FROM bench_catalogue_size');
  await pg.query('INSERT INTO bench_catalogue_size VALUES ($1)', [JSON.stringify(size)]);
}

/** The size recorded by an earlier complete load, or null. */
export async function loadedSize(pg: Client): Promise<CatalogueSize | null> {
  const t = await pg.query(`SELECT to_regclass('bench_catalogue_size') AS t`);
  if (!t.rows[0].t) return null;
  const r = await pg.query('SELECT size FROM bench_catalogue_size');
  return r.rows[0]?.size ?? null;
}
