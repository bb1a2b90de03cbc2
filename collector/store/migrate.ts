/** Versioned SQL migrations, applied at start-up, safe when several processes start at once. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './types.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any constant: every process takes the same advisory lock before migrating. */
const MIGRATION_LOCK = 727_001;

/** The migration files in order: `NNN_name.sql`. */
export function migrationFiles(): { version: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction under one advisory lock,
 * so a second process starting at the same moment waits and then finds nothing left to do.
 */
export async function migrate(store: Store): Promise<string[]> {
  const applied: string[] = [];
  for (const m of migrationFiles()) {
    const done = await store.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.query(
        'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
      );
      const seen = await tx.query('select 1 from schema_migrations where version = $1', [
        m.version,
      ]);
      if (seen.rows.length > 0) return false;
      await execScript(tx, m.sql);
      await tx.query('insert into schema_migrations (version) values ($1)', [m.version]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/**
 * Runs a multi-statement script one statement at a time (the extended protocol takes one).
 * Statements end with `;` at the end of a line, except inside `$$ … $$` (function bodies).
 */
async function execScript(tx: { query: Store['query'] }, sql: string): Promise<void> {
  const statements: string[] = [];
  let current = '';
  sql
    .replace(/--[^\n]*/g, '')
    .split('$$')
    .forEach((part, i) => {
      if (i % 2 === 1) {
        current += `$$${part}$$`;
        return;
      }
      const [head, ...rest] = part.split(/;\s*(?:\n|$)/);
      current += head;
      for (const next of rest) {
        statements.push(current);
        current = next;
      }
    });
  statements.push(current);
  for (const s of statements.map((x) => x.trim()).filter(Boolean)) await tx.query(s);
}
