import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** An instance's metadata as kept (instance_metadata), or what is needed to keep it once computed. */
export interface KeptMetadata {
  readonly sopInstanceUid: string;
  /** The DICOM JSON text kept for the instance as it is now; null when there is none (compute it). */
  readonly json: string | null;
  /** Opaque: the instance row's version the JSON must be saved against (see save). */
  readonly version: { readonly id: string; readonly receivedAt: string; readonly fileSize: string };
}

/**
 * WADO-RS metadata kept per instance (migration 1768120000000): what a first request computed from
 * the files, answered from PostgreSQL by the next ones. A row is valid for the instance's
 * received_at and file_size it was computed against and the origin its URIs name.
 */
@Injectable()
export class InstanceMetadataStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The kept JSON of each instance (null where absent or stale), by SOP Instance UID. */
  async find(sopInstanceUids: readonly string[], origin: string): Promise<Map<string, KeptMetadata>> {
    const rows: { uid: string; id: string; received_at: string; file_size: string; json: string | null }[] = await this.ds.query(
      `SELECT i.sop_instance_uid AS uid, i.id, i.received_at::text AS received_at, i.file_size::text AS file_size, m.json
         FROM instance i
         LEFT JOIN instance_metadata m ON m.instance_fk = i.id AND m.origin = $2 AND m.received_at = i.received_at AND m.file_size = i.file_size
        WHERE i.sop_instance_uid = ANY($1::text[])`,
      [sopInstanceUids, origin],
    );
    return new Map(rows.map((r) => [r.uid, { sopInstanceUid: r.uid, json: r.json, version: { id: r.id, receivedAt: r.received_at, fileSize: r.file_size } }]));
  }

  /** Keeps computed JSON, each against the version `find` gave (so a row never outlives the object it describes). */
  async save(origin: string, computed: readonly { readonly version: KeptMetadata['version']; readonly json: string }[]): Promise<void> {
    if (!computed.length) return;
    await this.ds.query(
      `INSERT INTO instance_metadata (instance_fk, origin, received_at, file_size, json)
       SELECT (x->>'id')::bigint, $2, (x->>'receivedAt')::timestamptz, (x->>'fileSize')::bigint, x->>'json'
         FROM jsonb_array_elements($1::jsonb) AS x
       ON CONFLICT (instance_fk, origin) DO UPDATE SET received_at = EXCLUDED.received_at, file_size = EXCLUDED.file_size, json = EXCLUDED.json`,
      [JSON.stringify(computed.map((c) => ({ ...c.version, json: c.json }))), origin],
    );
  }
}
