import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dcmtk } from './dcmtk';
import { ROOT, TEST_TEMPORAL_ADDRESS } from './env';
import type { Hub } from './hub';
import type { OrthancPeer } from './orthanc';
import { waitFor } from './wait-for';

/**
 * A small synthetic CT study of `patientId` (bench/generate-ct.py) written to `dir`, each file's
 * attributes then set by dcmodify (`set`: tag as "(gggg,eeee)" → value, in order); with
 * `studyUid`, every file is moved into that study.
 */
export function syntheticCtStudy(dir: string, seed: number, patientId: string, set: Record<string, string>, count = 2, studyUid?: string): { uid: string; files: string[] } {
  const uid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(count), '--seed', String(seed), '--patient-id', patientId], { encoding: 'utf8' }).trim();
  const files = readdirSync(dir).map((f) => join(dir, f));
  const args = ['-nb', ...Object.entries(set).flatMap(([tag, value]) => ['-i', `${tag}=${value}`])];
  if (studyUid) args.push('-i', `(0020,000d)=${studyUid}`);
  for (const f of files) {
    const r = dcmtk('dcmodify', [...args, f]);
    if (r.status !== 0) throw new Error(`dcmodify: ${r.stderr}`);
  }
  return { uid: studyUid ?? uid, files };
}

/** Files put into an Orthanc (a site PACS of the suites) through its REST API. */
export async function postToOrthanc(pacs: OrthancPeer, files: readonly string[]): Promise<void> {
  for (const f of files) {
    const res = await fetch(`${pacs.url}/instances`, { method: 'POST', body: readFileSync(f) });
    if (!res.ok) throw new Error(`Orthanc POST /instances: ${res.status}`);
  }
}

/** Files C-STOREd into the hub by dcmtk storescu as `callingAe`. */
export function storeIntoHub(hub: Hub, files: readonly string[], callingAe = 'MODALITY1'): void {
  const r = dcmtk('storescu', [...hub.scu(callingAe), ...files]);
  if (r.status !== 0) throw new Error(`storescu: ${r.stderr}`);
}

/** A finished workflow, read from its history (Temporal CLI): its parent's id and its result. */
export async function finishedWorkflow(hub: Hub, workflowId: string, timeoutMs: number): Promise<{ parent: string | null; result: Record<string, unknown> }> {
  return waitFor(
    `${workflowId} to finish`,
    async () => {
      let out: string;
      try {
        out = execFileSync('temporal', ['workflow', 'show', '--address', TEST_TEMPORAL_ADDRESS, '--namespace', hub.namespace, '-w', workflowId, '-o', 'json'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch {
        return null; // not started yet
      }
      const events = JSON.parse(out).events as any[];
      const done = events.find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
      if (!done) return null;
      const started = events[0].workflowExecutionStartedEventAttributes;
      return { parent: started.parentWorkflowExecution?.workflowId ?? null, result: JSON.parse(Buffer.from(done.result.payloads[0].data, 'base64').toString('utf8')) };
    },
    timeoutMs,
    1000,
  );
}
