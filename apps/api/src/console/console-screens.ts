import type { AccessAction, ResourceType } from '@krypton/config';
import { AccessPolicy, identifierValues, permits, userSubject } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { PATIENT_SCREENS } from './patient/patient.screens';
import { REFERRER_SCREENS } from './referrer/referrer.screens';
import { COORDINATOR_SCREENS } from './coordinator/coordinator.screens';
import { RADIOLOGIST_SCREENS } from './radiologist/radiologist.screens';
import { PHYSICIST_SCREENS } from './physicist/physicist.screens';
import { ADMIN_SCREENS } from './admin/admin.screens';
import { RESEARCHER_SCREENS } from './researcher/researcher.screens';

/** What a screen needs from the decision point: every permission listed (role level, libs/access). */
export interface ScreenPermission {
  readonly resource: ResourceType;
  readonly action: AccessAction;
}

/**
 * One screen of the console, as the home page and the navigation list it. A screen is shown only
 * when the caller's roles permit everything in `requires` (the same `permits` the API's access
 * guard asks); its routes carry the same @Access, so a hidden screen is also a refused one.
 */
export interface ConsoleScreen {
  readonly id: string;
  /** The role family it belongs to: the home page groups tiles by it. */
  readonly area: string;
  readonly path: string;
  readonly titleKey: string;
  readonly summaryKey: string;
  readonly requires: readonly ScreenPermission[];
  /** A screen about the caller's own data needs that identifier (`ins` for a patient's own exams). */
  readonly identifier?: 'ins' | 'rpps';
  /** The role's main screen: `npm run console:screenshots` signs in as this demo user and captures it. */
  readonly screenshot?: { readonly user: string; readonly file: string };
}

/** Every screen, area by area: a new area adds its own `<area>/<area>.screens.ts` and one entry here. */
export const CONSOLE_SCREENS: readonly ConsoleScreen[] = [
  ...REFERRER_SCREENS,
  ...COORDINATOR_SCREENS,
  ...PATIENT_SCREENS,
  ...RADIOLOGIST_SCREENS,
  ...PHYSICIST_SCREENS,
  ...ADMIN_SCREENS,
  ...RESEARCHER_SCREENS,
];

/** Whether the principal may use the screen: the decision point's role-level answer for each need. */
export function mayUseScreen(policy: AccessPolicy, who: Principal, screen: ConsoleScreen): boolean {
  const subject = userSubject(who);
  if (screen.identifier && identifierValues(subject, screen.identifier).length === 0) return false;
  return screen.requires.every((p) => permits(policy, subject, p.resource, p.action));
}

export function screensFor(policy: AccessPolicy, who: Principal): ConsoleScreen[] {
  return CONSOLE_SCREENS.filter((s) => mayUseScreen(policy, who, s));
}
