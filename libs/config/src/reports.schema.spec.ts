import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.loader';

function write(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'krypton-cfg-'));
  writeFileSync(join(dir, 'k.yaml'), yaml);
  return join(dir, 'k.yaml');
}

describe('reports configuration', () => {
  it('defaults to the shipped template and the region’s time zone', () => {
    expect(loadConfig(write(''), {}).reports).toEqual({ templatesDir: 'config/reports', timeZone: 'Europe/Paris' });
  });

  it('names a time zone that does not exist', () => {
    expect(() => loadConfig(write('reports:\n  timeZone: Europe/Lutece\n'), {})).toThrow(/reports\.timeZone: not an IANA time zone/);
  });
});
