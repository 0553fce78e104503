import type { Decision } from './decide';

/**
 * What takes a patient's exam beyond the care team that holds it: a share with a professional, a
 * site or a pool, a patient link, a copy routed by a protocol, a prior gathered from a site PACS for
 * a reading elsewhere in the region.
 */
export type DisclosureKind = 'share' | 'link' | 'route' | 'prior-fetch';

/** What the disclosure decision needs, loaded by the caller (as exam facts are for `decide`). */
export interface DisclosureFacts {
  /** The patient objects to sharing (patient_opposition, by INS or by issuer and ID). */
  readonly opposed: boolean;
  /** The site that holds the exam (the study's source site); null when unknown. */
  readonly fromSite: string | null;
  /**
   * The site the exam goes to; null when the recipient is not one site (a professional, a pool,
   * a link, the region's reading): then it always counts as leaving.
   */
  readonly toSite: string | null;
}

const WHAT: Record<DisclosureKind, string> = {
  share: 'no share of their exams',
  link: 'no link to their exams',
  route: 'no copy routed to another site',
  'prior-fetch': 'no prior fetched from another site',
};

/**
 * Whether a patient's exam may leave for another party (issue #11: the patient's opposition to
 * sharing, RGPD and Code de la santé publique L.1110-4). Pure, like `decide`: every door that
 * discloses — sharing, links, protocol routing, priors — loads the facts and asks this, so the
 * rule and its wording are the same everywhere. A copy kept within the exam's own site is no
 * disclosure. Break-the-glass is not a disclosure either: it opens the exam to the one clinician
 * who asks (an emergency grant, which the `study_grant` view never silences), never onward.
 */
export function decideDisclosure(kind: DisclosureKind, f: DisclosureFacts): Decision {
  if (!f.opposed) return { allowed: true, reason: `${kind}:no-opposition` };
  if (f.fromSite !== null && f.toSite !== null && f.fromSite === f.toSite) return { allowed: true, reason: `${kind}:same-site` };
  return { allowed: false, reason: `the patient objects to sharing: ${WHAT[kind]}` };
}
