/**
 * Path aliases (@krypton/*) for the `krypton` CLI. `-r tsconfig-paths/register` reads the
 * process's own `--project` argument as a tsconfig path, which swallows `krypton deid --project`;
 * registering with explicit parameters makes it leave the command line alone.
 */
const { loadConfig, register } = require('tsconfig-paths');
const root = require('node:path').join(__dirname, '..');
const config = loadConfig(root);
if (config.resultType !== 'success') throw new Error(`tsconfig paths: ${config.message}`);
register({ baseUrl: config.absoluteBaseUrl, paths: config.paths, cwd: root });
