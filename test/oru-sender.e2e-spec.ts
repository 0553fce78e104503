/**
 * The outbound ORU^R01 path the pathway will use (buildOruR01 + sendMllp), against a receiver
 * written by someone else: Debian's python3-hl7 MLLP server (test/support/mllp-listener.py).
 */
import { join } from 'node:path';
import { MllpConnectionRefusedError, MllpPeerClosedError, ORU_OBSERVATIONS, OruInput, buildOruR01, loadOruTemplate, parseHl7, sendMllp } from '@krypton/hl7';
import { ROOT } from './support/env';
import { MllpListener } from './support/mllp-listener';
import { freePort } from './support/ports';

jest.setTimeout(30_000);

const template = loadOruTemplate(join(ROOT, 'config/hl7'));
const FINDINGS = ['Opacité | lobaire ^ droite & gauche ~ 3\\4 cm', '', 'Échelle: 10\\20 — « stable »'];

const input = (messageControlId: string): OruInput => ({
  messageControlId,
  sendingApplication: 'KRYPTON',
  sendingFacility: 'REGION',
  receivingApplication: 'DPI',
  receivingFacility: 'CHU-NORD',
  patient: { ins: '279035121518989', identifiers: [{ value: '12345', issuer: 'CHU-NORD' }], familyName: 'DUPONT', givenName: 'Hélène', birthDate: '19790312', sex: 'F' },
  placerOrderNumber: 'CMD-1001',
  fillerOrderNumber: 'KR00ORU001',
  procedure: { code: 'ZBQK002', label: 'Radiographie du thorax', codingSystem: 'CCAM' },
  referrer: { rpps: '10003456789', name: 'Paul LEGRAND' },
  observationDateTime: '2026-01-15T09:30:00Z',
  report: {
    status: 'F',
    findings: FINDINGS.join('\r\n'),
    conclusion: 'Pas d’anomalie | à suivre.',
    radiologist: { name: 'Anne MARTIN', rpps: '10001234567' },
    signedAt: '2026-01-15T10:05:00Z',
  },
  studyInstanceUid: '2.25.299792458',
});

describe('ORU^R01 over MLLP (sendMllp against python3-hl7)', () => {
  let listener: MllpListener | undefined;
  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
  });

  it('gets AA, and the receiver reads the accession number and the report text with every special character', async () => {
    listener = await MllpListener.start();
    const ack = await sendMllp('127.0.0.1', listener.port, buildOruR01(input('ORU-AA-1'), { template }), { timeoutMs: 10_000 });
    expect(ack).toMatchObject({ code: 'AA', controlId: 'ORU-AA-1' });

    const [got] = listener.received();
    expect(got).toMatchObject({ controlId: 'ORU-AA-1', messageType: 'ORU^R01^ORU_R01', fillerOrder: 'KR00ORU001', placerOrder: 'CMD-1001', answer: 'AA' });
    const section = (code: string) => got.obx.filter((o) => o.id === code.split('^')[0]).map((o) => o.value);
    expect(section(ORU_OBSERVATIONS.findings)).toEqual(FINDINGS);
    expect(section(ORU_OBSERVATIONS.conclusion)).toEqual(['Pas d’anomalie | à suivre.']);
    expect(section(ORU_OBSERVATIONS.studyInstanceUid)).toEqual(['2.25.299792458']);

    // The hub's own parser agrees with the other implementation on what was sent.
    const m = parseHl7(Buffer.from(got.raw, 'utf8'));
    expect([m.first('OBR')!.value(3), m.first('PID')!.value(5, 2), m.all('OBX')[1].value(5)]).toEqual(['KR00ORU001', 'Hélène', FINDINGS[0]]);
  });

  it('returns the AE to the caller, and the resend with the same MSH-10 gets AA', async () => {
    listener = await MllpListener.start({ aeFirst: 1 });
    const message = buildOruR01(input('ORU-AE-1'), { template });
    const first = await sendMllp('127.0.0.1', listener.port, message, { timeoutMs: 10_000 });
    expect(first).toMatchObject({ code: 'AE', controlId: 'ORU-AE-1', text: 'listener answers AE to message 1' });
    expect(await sendMllp('127.0.0.1', listener.port, message, { timeoutMs: 10_000 })).toMatchObject({ code: 'AA', controlId: 'ORU-AE-1' });
    expect(listener.received().map((r) => [r.controlId, r.answer])).toEqual([
      ['ORU-AE-1', 'AE'],
      ['ORU-AE-1', 'AA'],
    ]);
  });

  it('throws MllpConnectionRefusedError when no receiver listens', async () => {
    const port = await freePort();
    const e = await sendMllp('127.0.0.1', port, buildOruR01(input('ORU-NONE-1'), { template }), { timeoutMs: 5_000 }).catch((x) => x);
    expect(e).toBeInstanceOf(MllpConnectionRefusedError);
    expect(e).toMatchObject({ port, controlId: 'ORU-NONE-1' });
  });

  it('throws MllpPeerClosedError when the receiver closes without acknowledging, after it read the message', async () => {
    listener = await MllpListener.start({ closeWithoutAck: true });
    const e = await sendMllp('127.0.0.1', listener.port, buildOruR01(input('ORU-CLOSE-1'), { template }), { timeoutMs: 10_000 }).catch((x) => x);
    expect(e).toBeInstanceOf(MllpPeerClosedError);
    expect(listener.received().map((r) => [r.controlId, r.answer])).toEqual([['ORU-CLOSE-1', 'none']]);
  });
});
