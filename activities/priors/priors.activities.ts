import { ApplicationFailure, log } from '@temporalio/activity';
import { findDestination, type KryptonConfig } from '@krypton/config';
import { moveStudyScu, QueryRetrieveFailedError, AssociationRejectedError } from '@krypton/dicom-network';
import { requestOrFail, requestPatientSelectors, selectRelevantPriors, type PriorCandidate, type PriorStore, type RequestStore } from '@krypton/pathway';
import { PRIOR_NOT_INDEXED, type PriorsActivities } from '@krypton/workflows/priors';
import { decideDisclosure, type PatientOppositionStore } from '@krypton/access';
import { siteCandidates } from './site-pacs-query';

export interface PriorsDeps {
  readonly cfg: Pick<KryptonConfig, 'aes' | 'dicom' | 'pathway'>;
  readonly priors: PriorStore;
  readonly requests: RequestStore;
  readonly opposition: Pick<PatientOppositionStore, 'opposedAny'>;
}

const YEAR_MS = 365.25 * 86_400_000;

/** The priors' side effects: catalogue and site PACS searches, C-MOVE into the hub, the `exam_prior` rows. */
export function createPriorsActivities({ cfg, priors, requests, opposition }: PriorsDeps): PriorsActivities {
  const rule = () => cfg.pathway.priors;
  const source = (name: string) => {
    const dest = findDestination(cfg as KryptonConfig, name);
    if (!dest) throw ApplicationFailure.create({ type: 'UnknownPriorSource', message: `"${name}" is not a configured AE with host and port`, nonRetryable: true });
    return dest;
  };

  return {
    async findPriors({ requestId, studyUid, trigger, requestedBy }) {
      const r = rule();
      // Off for the pathway's own searches; a protocol's fetchPriors action still asks for its studies.
      if (!r.enabled && !requestedBy) return { attached: 0, toFetch: [], sourceErrors: [] };
      const request = await requestOrFail(requests, requestId);
      const selectors = requestPatientSelectors(request.patient);
      if (!selectors.length) return { attached: 0, toFetch: [], sourceErrors: [] };
      // A patient who objects to sharing (issue #11): priors are gathered for a reading the region's
      // pools may do, anywhere — a disclosure beyond the site (toSite null) that only break-the-glass passes.
      const keys = [...(request.patient.ins ? [`ins:${request.patient.ins}`] : []), ...request.patient.identifiers.map((i) => `pid:${i.issuer ?? ''}|${i.value}`)];
      const verdict = decideDisclosure('prior-fetch', { opposed: await opposition.opposedAny(keys), fromSite: null, toSite: null });
      if (!verdict.allowed) {
        log.info('priors not gathered', { requestId, reason: verdict.reason });
        return { attached: 0, toFetch: [], sourceErrors: [], withheld: verdict.reason };
      }
      const modality = request.procedure.modality;
      const today = new Date().toISOString().slice(0, 10);
      const years = (modality && r.maxAgeYearsByModality[modality]) || r.maxAgeYears;
      const since = new Date(Date.parse(`${today}T00:00:00Z`) - years * YEAR_MS).toISOString().slice(0, 10);
      // The catalogue first: a study the hub holds is never fetched again from a site PACS.
      const candidates: PriorCandidate[] = await priors.catalogueCandidates(selectors, since);
      const sourceErrors: { source: string; error: string }[] = [];
      for (const name of r.sources) {
        try {
          candidates.push(...(await siteCandidates(source(name), selectors, since.replace(/-/g, ''), cfg.dicom.aeTitle, r.moveTimeoutSeconds * 1000)));
        } catch (e) {
          // A site PACS down must not hold the reading: the search goes on and says which source was missed.
          sourceErrors.push({ source: name, error: (e as Error).message });
          log.warn('prior source not queried', { requestId, source: name, error: (e as Error).message });
        }
      }
      const relevant = selectRelevantPriors({ studyUid: studyUid ?? request.acquiredStudyUid ?? request.studyInstanceUid, modality, bodyPart: request.procedure.bodyPart, date: today }, candidates, r);
      await priors.attach(requestId, relevant);
      const chosen = new Set(relevant.map((p) => p.studyUid));
      const toFetch = (await priors.list(requestId)).filter((p) => p.state === 'to-fetch' && chosen.has(p.studyInstanceUid)).map((p) => ({ studyUid: p.studyInstanceUid, source: p.source }));
      log.info('priors found', { requestId, trigger, candidates: candidates.length, attached: relevant.length, toFetch: toFetch.length });
      return { attached: relevant.length, toFetch, sourceErrors };
    },

    async fetchPrior({ requestId, studyUid, source: name }) {
      const peer = source(name);
      await priors.mark(requestId, studyUid, 'fetching');
      try {
        const moved = await moveStudyScu(peer, studyUid, cfg.dicom.aeTitle, { callingAeTitle: cfg.dicom.aeTitle, timeoutMs: rule().moveTimeoutSeconds * 1000, connectTimeoutMs: 30_000 });
        if (moved.completed === 0) {
          throw ApplicationFailure.create({ type: 'PriorNotSent', message: `${name} sent no instance of ${studyUid} (${moved.failed} failed sub-operations)` });
        }
        return { completed: moved.completed, failed: moved.failed };
      } catch (e) {
        // The PACS refused the request itself (unknown destination AE, identifier refused): retrying cannot help.
        if ((e instanceof QueryRetrieveFailedError || e instanceof AssociationRejectedError) && e.permanent) {
          throw ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true });
        }
        throw e;
      }
    },

    async awaitPriorIndexed({ requestId, studyUid, expected }) {
      const held = await priors.instanceCount(studyUid);
      if (held === 0 || held < expected) throw ApplicationFailure.create({ type: PRIOR_NOT_INDEXED, message: `${held} of ${expected} instances of ${studyUid} indexed` });
      await priors.mark(requestId, studyUid, 'available', { instances: held });
    },

    async markPriorFailed({ requestId, studyUid, error }) {
      await priors.mark(requestId, studyUid, 'failed', { error });
    },
  };
}
