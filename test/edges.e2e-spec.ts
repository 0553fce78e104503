import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { MllpConnection, ackFields, mllpFrame, sendOne } from './support/mllp';
import { freePort } from './support/ports';
import { makeTestPki, TestPki } from './support/test-ca';
import { waitFor } from './support/wait-for';

jest.setTimeout(180_000);

const seg = (...s: string[]) => s.join('\r');
const order = (app: string, facility: string, controlId: string, placer: string) =>
  seg(
    `MSH|^~\\&|${app}|${facility}|KRYPTON|REGION|20260115120000||ORM^O01|${controlId}|P|2.5`,
    'PID|1||EDGE-1^^^E2E^PI||TEST^Patient||19800101|F',
    `ORC|NW|${placer}`,
    `OBR|1|${placer}||ZBQK002^Radiographie du thorax^CCAM||||||||||||10003456789^LEGRAND^Paul`,
  );

/**
 * The hub's edges with TLS (a test CA made by openssl): DICOM over TLS on its own port with
 * client certificates required (dcmtk echoscu/storescu +tls), the api over HTTPS, MLLP over TLS
 * (Node's TLS client), and the HL7 sender allowlist on both MLLP listeners.
 */
describe('Hardened edges: TLS on DICOM, HTTPS, MLLP; HL7 sender allowlist', () => {
  const hub = new Hub({ name: 'edges', redisDb: 13 });
  let pki: TestPki;
  let dicomTlsPort = 0;
  let hl7TlsPort = 0;

  const https = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: hub.httpPort, path, headers, ca: readFileSync(pki.ca) }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const tlsScu = (...files: string[]) => ['+tls', pki.clientKey, pki.clientCert, '+cf', pki.ca, '-aet', 'MODALITY1', '-aec', 'KRYPTON', '127.0.0.1', String(dicomTlsPort), ...files];

  beforeAll(async () => {
    await hub.prepare();
    pki = makeTestPki(join(hub.dir, 'pki'));
    dicomTlsPort = await freePort();
    hl7TlsPort = await freePort();
    const cfg = parse(readFileSync(hub.configFile, 'utf8'));
    const files = { cert: pki.serverCert, key: pki.serverKey };
    cfg.http = { ...cfg.http, tls: files };
    cfg.dicom = { ...cfg.dicom, tls: { ...files, ca: pki.ca, requireClientCert: true, port: dicomTlsPort } };
    cfg.hl7 = {
      ...cfg.hl7,
      tls: { ...files, port: hl7TlsPort },
      allowedSenders: [
        { application: 'DPI', facility: 'CHU-NORD', addresses: ['127.0.0.0/8', '::1'] },
        { application: 'RIS', addresses: ['10.9.9.9'] },
      ],
    };
    writeFileSync(hub.configFile, stringify(cfg));
    for (const app of ['api', 'worker', 'dicom-gateway', 'hl7-gateway'] as const) hub.startApp(app);
    await waitFor(`hub healthy over HTTPS (logs in ${hub.dir})`, async () => (await https('/health').catch(() => ({ status: 0 }))).status === 200, 90_000, 300);
  });

  afterAll(async () => {
    await hub.stop();
  });

  it('DICOM over TLS: echoscu and storescu with a client certificate of the CA are served; stored objects are indexed', async () => {
    const echo = dcmtk('echoscu', tlsScu());
    expect({ status: echo.status, stderr: echo.stderr }).toEqual({ status: 0, stderr: '' });
    const dir = join(hub.dir, 'ct');
    const studyUid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, '2', '--seed', '3', '--patient-id', 'TLS-1'], { encoding: 'utf8' }).trim();
    const store = dcmtk('storescu', tlsScu(...readdirSync(dir).map((f) => join(dir, f))));
    expect({ status: store.status, stderr: store.stderr }).toEqual({ status: 0, stderr: '' });
    await waitFor(
      'study indexed',
      async () => (await hub.sql('SELECT 1 FROM instance i JOIN series s ON s.id = i.series_fk JOIN study t ON t.id = s.study_fk WHERE t.study_uid = $1', [studyUid])).length === 2,
    );
  });

  it('DICOM over TLS refuses a peer without a client certificate, and plain DICOM on the TLS port; the plain port still serves', () => {
    expect(dcmtk('echoscu', ['+tla', '+cf', pki.ca, '-aet', 'MODALITY1', '-aec', 'KRYPTON', '127.0.0.1', String(dicomTlsPort)]).status).not.toBe(0);
    expect(dcmtk('echoscu', ['-to', '5', '-aet', 'MODALITY1', '-aec', 'KRYPTON', '127.0.0.1', String(dicomTlsPort)], 20_000).status).not.toBe(0);
    expect(dcmtk('echoscu', hub.scu()).status).toBe(0);
  });

  it('the api answers over HTTPS with the configured certificate', async () => {
    const res = await https('/dicomweb/studies?PatientID=TLS-1', { Authorization: 'Bearer demo-admin-token' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveLength(1);
    await expect(fetch(`http://127.0.0.1:${hub.httpPort}/health`)).rejects.toThrow();
  });

  it('MLLP over TLS: an allowed sender gets AA; unlisted application, facility or address get AR naming MSH-3, MSH-4 or the address', async () => {
    const ca = readFileSync(pki.ca);
    const c = await MllpConnection.openTls(hl7TlsPort, { ca, servername: 'localhost' });
    try {
      c.write(mllpFrame(order('DPI', 'CHU-NORD', 'TLS-OK', 'P-TLS-OK')));
      expect(ackFields((await c.waitAcks(1))[0])).toMatchObject({ code: 'AA', controlId: 'TLS-OK' });
      c.write(mllpFrame(order('INTRUS', 'CHU-NORD', 'TLS-APP', 'P-TLS-APP')));
      c.write(mllpFrame(order('DPI', 'CLINIQUE-X', 'TLS-FAC', 'P-TLS-FAC')));
      c.write(mllpFrame(order('RIS', 'CHU-NORD', 'TLS-ADDR', 'P-TLS-ADDR')));
      const [, app, facility, address] = (await c.waitAcks(4)).map(ackFields);
      expect(app).toMatchObject({ code: 'AR', controlId: 'TLS-APP', errLocation: 'MSH^1^3', errCode: '103' });
      expect(app.text).toContain('sending application "INTRUS" (MSH-3) is not an allowed sender');
      expect(facility).toMatchObject({ code: 'AR', controlId: 'TLS-FAC', errLocation: 'MSH^1^4' });
      expect(address).toMatchObject({ code: 'AR', controlId: 'TLS-ADDR' });
      expect(address.text).toMatch(/source address 127\.0\.0\.1 is not allowed for RIS@CHU-NORD/);
    } finally {
      c.close();
    }
    // Refused senders are journaled, and nothing of theirs was applied.
    expect(await hub.sql(`SELECT control_id, status, ack_code FROM hl7_message WHERE control_id LIKE 'TLS-%' ORDER BY control_id`)).toEqual([
      { control_id: 'TLS-ADDR', status: 'rejected', ack_code: 'AR' },
      { control_id: 'TLS-APP', status: 'rejected', ack_code: 'AR' },
      { control_id: 'TLS-FAC', status: 'rejected', ack_code: 'AR' },
      { control_id: 'TLS-OK', status: 'applied', ack_code: 'AA' },
    ]);
    expect(await hub.sql(`SELECT placer_order_number FROM exam_request WHERE placer_order_number LIKE 'P-TLS-%'`)).toEqual([{ placer_order_number: 'P-TLS-OK' }]);
    // The allowlist holds on the plain listener too.
    expect(ackFields(await sendOne(hub.hl7Port, order('INTRUS', 'CHU-NORD', 'PLAIN-APP', 'P-PLAIN-APP')))).toMatchObject({ code: 'AR', errLocation: 'MSH^1^3' });
  });
});
