import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateProtocol } from './protocol-validator';

const refs = { destinations: ['ORTHANC'], sites: ['chu-nord', 'clinique-sud'], pools: ['neuro'], aes: ['MODALITY1'] };

describe('validateProtocol', () => {
  it('accepts the shipped protocol', () => {
    const text = readFileSync(join(__dirname, '../../../config/protocols/neuro-emergency.yaml'), 'utf8');
    const r = validateProtocol(text, refs);
    expect(r.ok).toBe(true);
  });

  it('reports every error with its path, not only the first', () => {
    const r = validateProtocol(
      `id: Bad_Id
name: x
rules:
  - name: a
    match: { modalities: [], priorities: [soon], timeWindow: { from: "25:00" }, colour: red }
    actions: { route: [{ destination: ORTHANC }] }
  - name: b
    actions: {}
`,
      refs,
    );
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.issues.map((i) => i.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['id', 'rules[0].match.modalities', 'rules[0].match.priorities[0]', 'rules[0].match.timeWindow.from', 'rules[0].match', 'rules[1].actions']));
  });

  it('names unknown destinations, sites, pools and AEs by path once the shape is right', () => {
    const r = validateProtocol(
      {
        id: 'p',
        name: 'p',
        rules: [{ name: 'r', match: { sourceSites: ['nowhere'], sourceAes: ['X'] }, actions: { route: [{ destination: 'MARS' }], share: [{ pool: 'zz' }] } }],
      },
      refs,
    );
    expect(!r.ok && r.issues).toEqual([
      { path: 'rules[0].match.sourceSites[0]', message: 'unknown site "nowhere"' },
      { path: 'rules[0].match.sourceAes[0]', message: 'unknown AE title "X"' },
      { path: 'rules[0].actions.route[0].destination', message: 'unknown destination "MARS"' },
      { path: 'rules[0].actions.share[0].pool', message: 'unknown reading pool "zz"' },
    ]);
  });

  it('reports YAML syntax errors with their line, and bad patterns and duplicate rule names', () => {
    const syntax = validateProtocol('id: p\nrules: [\n');
    expect(!syntax.ok && syntax.issues[0].message).toMatch(/YAML line \d+/);
    const r = validateProtocol({
      id: 'p',
      name: 'p',
      rules: [
        { name: 'r', match: { studyDescription: '(' }, actions: { fetchPriors: true } },
        { name: 'r', actions: { fetchPriors: true } },
      ],
    });
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual(['rules[0].match.studyDescription', 'rules[1].name']);
    const dup = validateProtocol({
      id: 'p',
      name: 'p',
      rules: [
        { name: 'r', actions: { fetchPriors: true } },
        { name: 'r', actions: { fetchPriors: true } },
      ],
    });
    expect(!dup.ok && dup.issues).toEqual([{ path: 'rules[1].name', message: 'duplicate rule name "r"' }]);
  });
});
