import type { Hub } from '../../test/support/hub';

export const REFERRER = 'demo-referrer';
const TOKENS = {
  referrer: 'Bearer demo-referrer-token',
  coordinator: 'Bearer demo-coordinator-token',
  radiologist: 'Bearer demo-radiologist-token',
} as const;

export type Priority = 'routine' | 'urgent' | 'emergency';

export interface Slot {
  readonly site: string;
  readonly aeTitle: string;
}

/** A REST call the hub answered with an unexpected status: the benchmark stops and says which. */
export class UnexpectedStatusError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'UnexpectedStatusError';
  }
}

/** The REST calls the benchmark makes, each as the user who would make it. */
export class HubRest {
  constructor(private readonly hub: Hub) {}

  private async call<T>(who: keyof typeof TOKENS, method: string, path: string, body: unknown, ok: number[]): Promise<T> {
    const res = await this.hub.api(path, {
      method,
      headers: { Authorization: TOKENS[who], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!ok.includes(res.status)) throw new UnexpectedStatusError(method, path, res.status, text);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** POST /requests as the referrer: its principal name is the request's placer system (see NewRequestDto.toNewRequest). */
  async createRequest(n: string, priority: Priority, targetSite: string, procedureCode = 'ZBQK002'): Promise<string> {
    const body = {
      placerOrderNumber: `BENCH-${n}`,
      patient: { identifiers: [{ value: `IPP-${n}`, issuer: '000000001' }], familyName: 'BENCH', givenName: `P${n}`, birthDate: '19800101', sex: 'O' },
      referrer: { rpps: '10000000001', name: 'Dr BENCH', organisation: 'Clinique du Sud' },
      procedureCode,
      priority,
      clinicalInformation: 'Benchmark pathway',
      targetSite,
    };
    return (await this.call<{ id: string }>('referrer', 'POST', '/requests', body, [201])).id;
  }

  /** POST /requests/{id}/schedule as the coordinator (a Temporal Update); answers the Study Instance UID it allocated. */
  async schedule(id: string, slot: Slot, scheduledAt: string): Promise<string> {
    const r = await this.call<{ studyInstanceUid: string }>('coordinator', 'POST', `/requests/${id}/schedule`, { ...slot, scheduledAt }, [200]);
    return r.studyInstanceUid;
  }

  async claim(id: string): Promise<void> {
    await this.call('radiologist', 'POST', `/reading/tasks/${id}/claim`, {}, [200]);
  }

  async sign(id: string): Promise<void> {
    await this.call('radiologist', 'POST', `/reading/tasks/${id}/sign`, { findings: 'Pas de lésion pleuro-parenchymateuse.', conclusion: 'Examen normal.' }, [200]);
  }

  /** GET on the coordinator's list; answers the number of rows. */
  async list(query: string): Promise<number> {
    return (await this.call<unknown[]>('coordinator', 'GET', `/pathways?${query}`, undefined, [200])).length;
  }
}
