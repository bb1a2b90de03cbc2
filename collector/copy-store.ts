/**
 * `npm run copy-store -- --to postgres://…`: moves the collector's embedded data (the PGlite
 * folder `npm start` uses) into an empty PostgreSQL database, which `DATABASE_URL` then points at.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, readEnv, redact } from './config.ts';
import { copyStore } from './store/copy.ts';
import { DataDirLocked, migrate, openPGlite, openPostgres, type Store } from './store/index.ts';

const USAGE = `usage: npm run copy-store -- --to postgres://user:password@host:5432/database

Copies every table of the PGlite data folder (TOUCHPOINT_DATA_DIR, default ./.touchpoint) into
the empty PostgreSQL database --to, in one transaction. Stop the collector first.`;

/** What the operator got wrong on the command line: usage on stderr, exit 2. */
class UsageError extends Error {}

const opened: Store[] = [];
let password = '';

try {
  await main(process.argv.slice(2));
  await closeAll();
  process.exit(0);
} catch (err) {
  await closeAll();
  const usage = err instanceof UsageError || err instanceof ConfigError;
  console.error(`copy-store: ${message(err)}`);
  if (err instanceof UsageError) console.error(USAGE);
  process.exit(usage ? 2 : 1);
}

async function main(argv: string[]): Promise<void> {
  let args: { to?: string; help?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!args.to) throw new UsageError('--to is required');
  password = passwordOf(args.to);
  // The target is checked as the collector checks DATABASE_URL, and the data folder resolved as
  // it resolves it (TOUCHPOINT_DATA_DIR or ./.touchpoint).
  let dataDir: string;
  try {
    ({ dataDir } = readEnv({ ...process.env, DATABASE_URL: args.to }));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.message.replace('DATABASE_URL:', '--to:'));
  }
  const target = redact(args.to);
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    throw new Error(
      `no PGlite database in ${dataDir} (set TOUCHPOINT_DATA_DIR to the collector's data folder)`,
    );

  console.log(`copy-store: from PGlite ${dataDir} to ${target}`);
  const from = await openPGlite(dataDir).catch((err: unknown) => {
    if (err instanceof DataDirLocked) throw new Error(`stop the collector first: ${err.message}`);
    throw err;
  });
  opened.push(from);
  const to = openPostgres(args.to, 2);
  opened.push(to);
  await migrate(to).catch((err: unknown) => {
    throw new Error(`cannot migrate the target ${target}: ${message(err)}`);
  });
  // Both at this collector's schema version: the source as the collector would on start-up
  // (after the target answered, so an unreachable target leaves the source untouched).
  const upgraded = await migrate(from);
  if (upgraded.length > 0) console.log(`source migrated: ${upgraded.join(', ')}`);

  const result = await copyStore(from, to, {
    log: {
      info: (msg, f) => {
        if (msg === 'copying') console.log(`  ${f?.table}: ${f?.rows} rows so far…`);
      },
    },
  });
  // Planner statistics now, not whenever autovacuum gets to the new tables: the reports' plans
  // depend on them from the first request.
  await to.query('analyze');
  const width = Math.max(...result.tables.map((t) => t.table.length));
  for (const t of result.tables)
    console.log(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(10)} rows  ${t.ms} ms`);
  const seconds = result.ms / 1000;
  console.log(
    `copied ${result.rows} rows in ${result.tables.length} tables in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.rows / Math.max(seconds, 0.001))} rows/s); ` +
      `start the collector with DATABASE_URL=${target}`,
  );
}

async function closeAll(): Promise<void> {
  await Promise.all(opened.map((s) => s.close().catch(() => {})));
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** An error's message with its code, on one line, with the target's password never in it. */
function message(err: unknown): string {
  const e = err as { message?: string; code?: string } | undefined;
  let text = (e?.message || String(err)).replace(/\s+/g, ' ').trim();
  if (e?.code && !text.includes(e.code)) text = `${text} (${e.code})`;
  return password ? text.split(password).join('***') : text;
}
