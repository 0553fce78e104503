import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { Client } from 'pg';
import { CATALOG_ENTITIES } from '@krypton/catalog';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: CATALOG_ENTITIES,
    migrations: MIGRATIONS,
    // The schema changes only through migrations.
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: 20 },
  };
}

/** Creates the database named in the URL when it does not exist yet (first start on a new machine). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and underscores`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Creates the database if needed and applies pending migrations; returns how many ran. */
export async function migrate(url: string): Promise<number> {
  await ensureDatabase(url);
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.length;
  } finally {
    await ds.destroy();
  }
}
