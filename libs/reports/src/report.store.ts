import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogService } from '@krypton/catalog';
import { ReportIdempotencyError, ReportRequestNotFoundError } from './report-errors';
import type { ArchivePatient, ReportView } from './sign-report-input';
import type { ReportStudy } from './encapsulated-pdf';

/** The request row as seen under its lock while a report is signed. */
export interface LockedRequest {
  readonly id: string;
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  /** The study the pathway matched (absent in callers that predate acquisition matching). */
  readonly acquiredStudyUid?: string | null;
}

export interface NewReportRow {
  readonly id: string;
  readonly radiologist: string;
  readonly radiologistId: string | null;
  readonly signedAt: Date;
  readonly technique: string | null;
  readonly findings: string;
  readonly conclusion: string;
  readonly renderedText: string;
  readonly pdf: Buffer;
  readonly pdfSha256: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
}

/** What the catalogue files for a study: the patient and study values the report's DICOM copy repeats. */
export interface ArchiveStudy {
  readonly patient: ArchivePatient;
  readonly study: Omit<ReportStudy, 'studyInstanceUid' | 'accessionNumber'> & { readonly accessionNumber: string | null };
}

const VIEW_COLUMNS = `
  id, request_id AS "requestId", version, status, radiologist, radiologist_id AS "radiologistId",
  signed_at AS "signedAt", technique, findings, conclusion, rendered_text AS "renderedText",
  pdf_sha256 AS "pdfSha256", octet_length(pdf) AS "pdfBytes", study_instance_uid AS "studyInstanceUid",
  series_instance_uid AS "seriesInstanceUid", sop_instance_uid AS "sopInstanceUid", created_at AS "createdAt"`;

type ViewRow = Omit<ReportView, 'radiologist' | 'signedAt' | 'createdAt' | 'pdfBytes'> & {
  radiologist: string;
  radiologistId: string | null;
  signedAt: Date;
  createdAt: Date;
  pdfBytes: number | string;
};

function toView(r: ViewRow): ReportView {
  const { radiologist, radiologistId, signedAt, createdAt, pdfBytes, ...rest } = r;
  return {
    ...rest,
    radiologist: { name: radiologist, id: radiologistId },
    signedAt: new Date(signedAt).toISOString(),
    createdAt: new Date(createdAt).toISOString(),
    pdfBytes: Number(pdfBytes),
  };
}

/**
 * The `report` table. Signing is one transaction that holds the request row locked: versions of
 * one request are numbered without gaps or races, and a concurrent retry of the same signature
 * waits, then finds the first one's row instead of signing again.
 */
@Injectable()
export class ReportStore {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogService,
  ) {}

  async findByIdemKey(idemKey: string, m: EntityManager = this.ds.manager): Promise<ReportView | null> {
    const [row] = await m.query(`SELECT ${VIEW_COLUMNS} FROM report WHERE idem_key = $1`, [idemKey]);
    return row ? toView(row) : null;
  }

  /** The latest version when `version` is not given. */
  async get(requestId: string, version?: number): Promise<ReportView | null> {
    const [row] = await this.ds.query(`SELECT ${VIEW_COLUMNS} FROM report WHERE request_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`, [requestId, version ?? null]);
    return row ? toView(row) : null;
  }

  async list(requestId: string): Promise<ReportView[]> {
    const rows = await this.ds.query(`SELECT ${VIEW_COLUMNS} FROM report WHERE request_id = $1 ORDER BY version`, [requestId]);
    return rows.map(toView);
  }

  async pdf(requestId: string, version?: number): Promise<Buffer | null> {
    const [row] = await this.ds.query(`SELECT pdf FROM report WHERE request_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`, [requestId, version ?? null]);
    return row ? (row.pdf as Buffer) : null;
  }

  /** The catalogue's patient and study values for a Study Instance UID; null when no image of it arrived yet. */
  async archiveStudy(studyUid: string): Promise<ArchiveStudy | null> {
    const s = await this.catalog.study(studyUid);
    if (!s) return null;
    return {
      patient: { patientId: s.patient.patientId, issuer: s.patient.issuer, patientName: s.patient.name, birthDate: s.patient.birthDate, sex: s.patient.sex, ins: s.patient.ins },
      study: { studyDate: s.studyDate, studyTime: s.studyTime, studyId: s.studyId, referringPhysicianName: s.referringPhysician, accessionNumber: s.accessionNumber },
    };
  }

  /**
   * Signs once per idempotency key. Under the request's row lock: answers the report the key
   * already made (`created: false`), or calls `produce` with the next version and inserts what it
   * returns. `produce` stores the DICOM copy; if it or the insert fails, nothing is recorded and
   * the caller may retry — the DICOM copy it stored has name-based UIDs, so the retry stores the
   * same object again rather than a second one.
   *
   * @throws ReportRequestNotFoundError, ReportIdempotencyError (the key signed another request).
   */
  async signOnce(
    requestId: string,
    idemKey: string,
    produce: (ctx: { readonly version: number; readonly request: LockedRequest }) => Promise<NewReportRow>,
  ): Promise<{ report: ReportView; created: boolean }> {
    return this.ds.transaction(async (m) => {
      const [req] = await m.query(
        `SELECT id, accession_number AS "accessionNumber", study_instance_uid AS "studyInstanceUid", acquired_study_uid AS "acquiredStudyUid"
           FROM exam_request WHERE id = $1 FOR UPDATE`,
        [requestId],
      );
      if (!req) throw new ReportRequestNotFoundError(requestId);
      // Read again under the lock: a concurrent attempt with this key may have committed meanwhile.
      const done = await this.findByIdemKey(idemKey, m);
      if (done) {
        if (done.requestId !== requestId) throw new ReportIdempotencyError(idemKey, requestId, done.requestId);
        return { report: done, created: false };
      }
      const [{ next }] = await m.query('SELECT coalesce(max(version), 0) + 1 AS next FROM report WHERE request_id = $1', [requestId]);
      const row = await produce({ version: Number(next), request: req });
      await m.query(
        `INSERT INTO report (id, request_id, version, status, idem_key, radiologist, radiologist_id, signed_at, technique, findings,
           conclusion, rendered_text, pdf, pdf_sha256, study_instance_uid, series_instance_uid, sop_instance_uid)
         VALUES ($1, $2, $3, 'final', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          row.id,
          requestId,
          Number(next),
          idemKey,
          row.radiologist,
          row.radiologistId,
          row.signedAt,
          row.technique,
          row.findings,
          row.conclusion,
          row.renderedText,
          row.pdf,
          row.pdfSha256,
          row.studyInstanceUid,
          row.seriesInstanceUid,
          row.sopInstanceUid,
        ],
      );
      return { report: (await this.findByIdemKey(idemKey, m)) as ReportView, created: true };
    });
  }
}
