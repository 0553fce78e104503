import { mkdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ZipFile } from 'yazl';
import { DeidInputError, parseOptionNames, Part10Deidentifier, removeInterruptedOutputs, writeByRename, writeDeidOutput } from '@krypton/deid';
import { DicomPeer, storeFiles } from '@krypton/dicom-network';
import type { ObjectStore } from '@krypton/storage';
import { ResearchProjectStore } from './research-project.store';

export interface ExtractionProgress {
  readonly total: number;
  readonly done: number;
  readonly quarantined: number;
  readonly failed: number;
  readonly remaining: number;
}

/** Research PACS to send deliveries to, with the hub's calling AE title. */
export interface ResearchPacs {
  readonly peer: DicomPeer;
  readonly callingAeTitle: string;
}

const MANIFEST_HEADER = 'patient_pseudonym,study_instance_uid,series_instance_uid,sop_instance_uid,sop_class_uid,modality';

/**
 * Runs a project's extraction: reads each frozen cohort instance from storage, de-identifies it
 * with the project's key and Options, writes it under `<outputDir>/<project>/files/` and records
 * the outcome. Idempotent: a retried batch skips recorded instances, and an instance written but
 * not yet recorded is written again to the same name with the same bytes (the engine is
 * deterministic), so a worker restart never duplicates output.
 */
export class ResearchExtractor {
  constructor(
    private readonly store: ResearchProjectStore,
    private readonly objects: ObjectStore,
    private readonly outputDir: string,
    private readonly pacs?: ResearchPacs,
  ) {}

  projectDir(projectId: string): string {
    return join(this.outputDir, projectId);
  }

  archivePath(projectId: string): string {
    return join(this.projectDir(projectId), 'delivery.zip');
  }

  manifestPath(projectId: string): string {
    return join(this.projectDir(projectId), 'manifest.csv');
  }

  async extractBatch(projectId: string, limit: number, heartbeat: (processed: number) => void, audit: (instanceFks: readonly string[]) => Promise<void>): Promise<ExtractionProgress> {
    const project = await this.store.get(projectId);
    if (!project) throw new Error(`no research project ${projectId}`);
    const engine = new Part10Deidentifier({ secret: await this.store.secret(projectId), options: parseOptionNames(project.options), pixelCleaning: project.pixelCleaning });
    const files = join(this.projectDir(projectId), 'files');
    let processed = 0;
    const items = await this.store.pending(projectId, limit);
    await audit(items.map((i) => i.instanceFk));
    for (const item of items) {
      let bytes: Buffer;
      try {
        bytes = await this.objects.get(item.storageKey);
      } catch (error) {
        await this.store.markItem(projectId, item.instanceFk, 'failed', `stored object unreadable: ${error.code ?? error.message}`);
        heartbeat(++processed);
        continue;
      }
      try {
        const outcome = engine.deidentify(bytes);
        if (outcome.status === 'quarantined') await this.store.markItem(projectId, item.instanceFk, 'quarantined', outcome.reason, outcome.ids);
        else {
          await writeDeidOutput(files, outcome.ids, outcome.part10);
          await this.store.markItem(projectId, item.instanceFk, 'exported', null, outcome.ids);
        }
      } catch (error) {
        if (!(error instanceof DeidInputError)) throw error;
        await this.store.markItem(projectId, item.instanceFk, 'failed', error.message);
      }
      heartbeat(++processed);
    }
    return this.store.refreshCounts(projectId);
  }

  /**
   * The delivery: manifest.csv (pseudonymous identifiers only) and delivery.zip (every file and
   * the manifest), each written to a temporary name and renamed; then, if a research PACS is
   * configured, every file by C-STORE (a retry resends, which a PACS treats as the same instance).
   */
  async deliver(projectId: string): Promise<{ archiveBytes: number; sent: number }> {
    const dir = this.projectDir(projectId);
    await mkdir(dir, { recursive: true });
    const rows = await this.store.manifest(projectId);
    const manifest = [MANIFEST_HEADER, ...rows.map((r) => [r.patientPseudonym, r.studyUid, r.seriesUid, r.sopInstanceUid, r.sopClassUid, r.modality].map(csvField).join(','))].join('\n') + '\n';
    await writeByRename(this.manifestPath(projectId), Buffer.from(manifest, 'utf8'));
    // A worker killed between writing a file's temporary and renaming it leaves the temporary
    // behind (an extracted file's, or a delivery's manifest or zip); the retry wrote it again
    // under another temporary name. Extraction is over when delivery runs, so every temporary
    // left in the project's directory is such an orphan.
    const { files } = await removeInterruptedOutputs(dir);
    const zip = new ZipFile();
    // Objects are only under files/: their path in the project is their name in the zip.
    for (const f of files) zip.addFile(f, relative(dir, f).split('\\').join('/'), { compress: false });
    zip.addBuffer(Buffer.from(manifest, 'utf8'), 'manifest.csv');
    zip.end();
    const archive = this.archivePath(projectId);
    await writeByRename(archive, zip.outputStream);
    const archiveBytes = (await stat(archive)).size;
    await this.store.setArchive(projectId, archiveBytes);
    let sent = 0;
    if (this.pacs && files.length) {
      const results = await storeFiles(
        this.pacs.peer,
        files.map((path) => ({
          sopInstanceUid: path
            .split('/')
            .pop()!
            .replace(/\.dcm$/, ''),
          path,
        })),
        { callingAeTitle: this.pacs.callingAeTitle },
      );
      sent = results.filter((r) => r.status === 0).length;
      if (sent < files.length) throw new Error(`research PACS ${this.pacs.peer.aeTitle} accepted ${sent} of ${files.length} files`);
    }
    return { archiveBytes, sent };
  }
}

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
