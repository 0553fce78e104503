import { DEMO_TOKEN_HASHES, verifyPassword } from '@krypton/config';
import { main } from '../main';
import { hashPasswordCommand, hashTokenCommand } from './auth-hash.command';

async function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const commands = [hashPasswordCommand(async () => stdin), hashTokenCommand(async () => stdin)];
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) }, commands);
  return { code, out: out.trim(), err };
}

describe('krypton auth hash-password / hash-token', () => {
  it('hashes a password from standard input so that it verifies', async () => {
    const { code, out } = await run(['auth', 'hash-password'], 's3cret\n');
    expect(code).toBe(0);
    expect(verifyPassword('s3cret', out)).toBe(true);
  });

  it('hashes a token as the configuration stores it', async () => {
    const { out } = await run(['auth', 'hash-token', 'demo-admin-token']);
    expect(DEMO_TOKEN_HASHES.has(out)).toBe(true);
  });

  it('refuses an empty secret', async () => {
    expect((await run(['auth', 'hash-token'], '\n')).code).toBe(2);
  });
});
