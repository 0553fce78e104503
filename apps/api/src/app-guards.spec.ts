import 'reflect-metadata';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from '@krypton/access';
import { AuthGuard } from '@krypton/auth';
import { AppModule } from './app.module';

type Provider = { provide?: unknown; useClass?: unknown };

/** Every APP_GUARD the api's module tree registers, in registration order (imports first, as Nest scans). */
function appGuards(mod: unknown, seen = new Set<unknown>()): unknown[] {
  if (!mod || seen.has(mod)) return [];
  seen.add(mod);
  const dynamic = typeof mod === 'object' && 'module' in (mod as object) ? (mod as { module: unknown; imports?: unknown[]; providers?: Provider[] }) : null;
  const cls = dynamic ? dynamic.module : mod;
  const imports = [...((Reflect.getMetadata('imports', cls as object) as unknown[]) ?? []), ...(dynamic?.imports ?? [])];
  const providers = [...((Reflect.getMetadata('providers', cls as object) as Provider[]) ?? []), ...(dynamic?.providers ?? [])];
  return [...imports.flatMap((m) => appGuards(m, seen)), ...providers.filter((p) => p?.provide === APP_GUARD).map((p) => p.useClass)];
}

describe('the api guards', () => {
  it('authenticates once per request, then decides access', () => {
    expect(appGuards(AppModule)).toEqual([AuthGuard, AccessGuard]);
  });
});
