/** The Authorization header of a bearer token. */
export const bearer = (token: string): { Authorization: string } => ({ Authorization: `Bearer ${token}` });

// The demo users of config/krypton.yaml, whose static tokens the README documents (refused when
// KRYPTON_ENV=production), as the headers the suites send.
export const ADMIN = bearer('demo-admin-token');
export const AUDITOR = bearer('demo-auditor-token');
export const COORDINATOR = bearer('demo-coordinator-token');
export const PATIENT = bearer('demo-patient-token');
export const PHYSICIST = bearer('demo-physicist-token');
export const RADIOLOGIST = bearer('demo-radiologist-token');
export const REFERRER = bearer('demo-referrer-token');
export const RESEARCHER = bearer('demo-researcher-token');
