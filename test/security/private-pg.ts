/**
 * A private PostgreSQL server in a temporary folder on a free port, which a test may stop and
 * start at will (never the machine's shared server: other suites use it).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** True when a private server can be run here (PostgreSQL binaries and a `postgres` user). */
export const canRunPrivatePostgres = (() => {
  if (!existsSync(join(BIN, 'initdb'))) return false;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return process.getuid?.() === 0 || process.env.USER === 'postgres';
  } catch {
    return false;
  }
})();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the `postgres` user (it refuses to run as root). */
function asPostgres(cmd: string, args: string[]): string {
  const full = join(BIN, cmd);
  const argv =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
  return execFileSync(argv[0] as string, argv[1] as string[], { encoding: 'utf8', stdio: 'pipe' });
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** `pg_ctl stop`: `fast` disconnects clients cleanly, `immediate` is a crash (no checkpoint). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Stops the server and deletes its folder. */
  dispose(): void;
}

/**
 * initdb + pg_ctl start in a new temporary folder owned by `postgres`.
 *
 * @example const pg = await startPrivatePostgres(); … pg.stop('immediate'); pg.start(); … pg.dispose();
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-pg-'));
  const data = join(dir, 'data');
  const { uid, gid } = pgIds();
  chownSync(dir, uid, gid);
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const self: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
    },
    stop(mode = 'fast') {
      asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    dispose() {
      try {
        self.stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  self.start();
  return self;
}

function pgIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
