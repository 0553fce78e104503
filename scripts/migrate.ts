import { loadConfig } from '@krypton/config';
import { migrate } from '@krypton/database';

/** Creates the database if missing and applies pending migrations (npm run migration:run). */
async function main(): Promise<void> {
  const cfg = loadConfig();
  const ran = await migrate(cfg.database.url);
  process.stdout.write(JSON.stringify({ level: 'info', app: 'migrate', msg: `database ready, ${ran} migration(s) applied` }) + '\n');
}

main().catch((e) => {
  process.stderr.write(JSON.stringify({ level: 'fatal', app: 'migrate', msg: e.message }) + '\n');
  process.exit(1);
});
