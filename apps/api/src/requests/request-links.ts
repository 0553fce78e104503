import type { RequestView } from '@krypton/pathway';

/** The request with the links an integrator follows (detail, timeline). */
export function withLinks<T extends Pick<RequestView, 'id'>>(r: T): T & { links: { self: string; timeline: string } } {
  return { ...r, links: { self: `/requests/${r.id}`, timeline: `/pathways/${r.id}/timeline` } };
}
