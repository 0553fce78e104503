import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ProtocolDocument, ProtocolValidationError, validateProtocol } from '@krypton/protocol';
import { protocolReferences } from './protocol-references';
import { ProtocolIdMismatchError, ProtocolNotFoundError } from './routing-errors';

export interface ProtocolVersionView {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly live: boolean;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly publishedBy: string | null;
  readonly publishedAt: string | null;
  readonly source: string;
  readonly document: ProtocolDocument;
}

/** A live version, as routing evaluates it. */
export interface LiveProtocol {
  readonly id: string;
  readonly version: number;
  readonly document: ProtocolDocument;
}

const COLUMNS = `protocol_id AS id, version, name, live, created_by AS "createdBy", created_at AS "createdAt",
  published_by AS "publishedBy", published_at AS "publishedAt", source, document`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
const view = (r: any): ProtocolVersionView => ({
  ...r,
  createdAt: new Date(r.createdAt).toISOString(),
  publishedAt: r.publishedAt ? new Date(r.publishedAt).toISOString() : null,
});

/**
 * Versions of the inter-site protocols. Saving never changes what runs: it appends a version;
 * publishing makes one version live. Routings record the version they started with.
 */
@Injectable()
export class ProtocolStore {
  private readonly log = new Logger('ProtocolStore');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  validate(input: unknown) {
    return validateProtocol(input, protocolReferences(this.cfg));
  }

  /** Appends a version (not live). The YAML text is kept as written, for the administrator's next edit. */
  async save(id: string, input: unknown, actor: string | null): Promise<ProtocolVersionView> {
    const result = this.validate(input);
    if (!result.ok) throw new ProtocolValidationError(result.issues);
    if (result.protocol.id !== id) throw new ProtocolIdMismatchError(id, result.protocol.id);
    const source = typeof input === 'string' ? input : JSON.stringify(input, null, 2);
    // The version number comes from the rows under a lock on the protocol id, so two saves never collide.
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`protocol:${id}`]);
      const [{ next }] = await m.query('SELECT coalesce(max(version), 0) + 1 AS next FROM routing_protocol_version WHERE protocol_id = $1', [id]);
      const [row] = await m.query(
        `INSERT INTO routing_protocol_version (protocol_id, version, name, source, document, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [id, next, result.protocol.name, source, JSON.stringify(result.protocol), actor],
      );
      return view(row);
    });
  }

  async publish(id: string, version: number | undefined, actor: string | null): Promise<ProtocolVersionView> {
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`protocol:${id}`]);
      const [target] = await m.query(
        `SELECT version FROM routing_protocol_version WHERE protocol_id = $1 ${version === undefined ? '' : 'AND version = $2'} ORDER BY version DESC LIMIT 1`,
        version === undefined ? [id] : [id, version],
      );
      if (!target) throw new ProtocolNotFoundError(id, version);
      await m.query('UPDATE routing_protocol_version SET live = false WHERE protocol_id = $1 AND live', [id]);
      const res = await m.query(
        `UPDATE routing_protocol_version SET live = true, published_at = coalesce(published_at, now()), published_by = coalesce(published_by, $3)
          WHERE protocol_id = $1 AND version = $2 RETURNING ${COLUMNS}`,
        [id, target.version, actor],
      );
      // TypeORM's postgres driver answers an UPDATE with [rows, affected].
      return view(Array.isArray(res[0]) ? res[0][0] : res[0]);
    });
  }

  async versions(id: string): Promise<ProtocolVersionView[]> {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM routing_protocol_version WHERE protocol_id = $1 ORDER BY version DESC`, [id]);
    if (!rows.length) throw new ProtocolNotFoundError(id);
    return rows.map(view);
  }

  async version(id: string, version: number): Promise<ProtocolVersionView> {
    const [row] = await this.ds.query(`SELECT ${COLUMNS} FROM routing_protocol_version WHERE protocol_id = $1 AND version = $2`, [id, version]);
    if (!row) throw new ProtocolNotFoundError(id, version);
    return view(row);
  }

  /** The latest version of every protocol, live or not. */
  async list(): Promise<ProtocolVersionView[]> {
    const rows = await this.ds.query(`SELECT DISTINCT ON (protocol_id) ${COLUMNS} FROM routing_protocol_version ORDER BY protocol_id, version DESC`);
    return rows.map(view);
  }

  async live(): Promise<LiveProtocol[]> {
    return this.ds.query('SELECT protocol_id AS id, version, document FROM routing_protocol_version WHERE live ORDER BY protocol_id');
  }

  /**
   * Files of `config/protocols/` seed the store: a file whose protocol is not stored yet becomes
   * version 1, published. Afterwards the API is where protocols change (each save a version); the
   * files are not rewritten, so an edit of a file for a protocol already stored is logged and ignored.
   * An invalid file stops the process with its issues, like any configuration error.
   */
  async importDirectory(dir: string): Promise<string[]> {
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
    } catch {
      return [];
    }
    const imported: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const result = this.validate(text);
      if (!result.ok) throw new ProtocolValidationError(result.issues.map((i) => ({ ...i, path: `${f}: ${i.path}` })));
      const id = result.protocol.id;
      const [exists] = await this.ds.query('SELECT 1 FROM routing_protocol_version WHERE protocol_id = $1 LIMIT 1', [id]);
      if (exists) continue;
      try {
        await this.save(id, text, `file:${f}`);
        await this.publish(id, 1, `file:${f}`);
        imported.push(id);
      } catch (e) {
        // Another process imported it at the same moment: the primary key says so.
        if (!/duplicate key/.test(e.message)) throw e;
      }
    }
    if (imported.length) this.log.log(`imported protocols ${imported.join(', ')} from ${dir}`);
    return imported;
  }
}
