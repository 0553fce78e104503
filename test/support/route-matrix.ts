import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { accessConfigSchema } from '@krypton/config';
import { IS_PUBLIC } from '@krypton/auth';
import { ACCESS_POLICY, AccessPolicy, permits, RoutePolicy } from '@krypton/access';
import { AppModule } from '../../apps/api/src/app.module';

export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  /** The path with its parameters filled by harmless values (a UID that exists nowhere). */
  readonly samplePath: string;
  readonly policy: RoutePolicy;
}

type Ctor = new (...args: never[]) => unknown;

/** Every controller the api module tree registers, as Nest's router discovers them. */
function controllersOf(mod: unknown, seen = new Set<unknown>()): Ctor[] {
  const m = (mod as { module?: unknown })?.module ?? mod;
  if (!m || seen.has(m)) return [];
  seen.add(m);
  const own: Ctor[] = [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m as object) ?? []), ...((mod as { controllers?: Ctor[] }).controllers ?? [])];
  const imports: unknown[] = [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, m as object) ?? []), ...((mod as { imports?: unknown[] }).imports ?? [])];
  return [...own, ...imports.flatMap((i) => controllersOf(i, seen))];
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;
const sample = (path: string) => path.replace(/:[A-Za-z]+/g, '1.2.826.0.1.3680043.10.99999').replace(/\*[A-Za-z]+/g, 'x');

/**
 * The api's route table, read from the same controller metadata Nest's router reads, with each
 * route's access policy. `missing` lists routes with neither a policy nor @Public: the e2e suite
 * fails on any, so a new route without a policy fails `npm test`.
 */
export function accessRouteMatrix(): { routes: ApiRoute[]; missing: string[]; expectAllowed: (role: string, r: ApiRoute) => boolean } {
  const routes: ApiRoute[] = [];
  const missing: string[] = [];
  for (const ctrl of new Set(controllersOf(AppModule))) {
    const base: string | string[] = Reflect.getMetadata(PATH_METADATA, ctrl) ?? '';
    const proto = ctrl.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const paths: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
      const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
      if (paths === undefined || method === undefined) continue;
      const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, ctrl);
      const policy: RoutePolicy | undefined = Reflect.getMetadata(ACCESS_POLICY, handler) ?? Reflect.getMetadata(ACCESS_POLICY, ctrl);
      for (const b of [base].flat()) {
        for (const p of [paths].flat()) {
          const path = join(b, p);
          const verb = RequestMethod[method];
          if (isPublic) continue;
          if (!policy) missing.push(`${verb} ${path}`);
          else routes.push({ method: verb, path, samplePath: sample(path), policy });
        }
      }
    }
  }
  const policy = new AccessPolicy(accessConfigSchema.parse({}));
  const expectAllowed = (role: string, r: ApiRoute) => permits(policy, { kind: 'user', id: 'x', roles: [role], sites: [], pools: [], identifiers: [] }, r.policy.resource, r.policy.action);
  return { routes, missing, expectAllowed };
}
