/**
 * One process per PGlite data folder. PGlite has no postmaster lock: two collectors opening the
 * same folder would each run their own PostgreSQL over the same files and corrupt them. The
 * first takes `touchpoint.lock` (created exclusively); a second one refuses to start.
 */
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock file's name inside the data folder. */
export const LOCK_FILE = 'touchpoint.lock';

/** The holder refreshes the file's time this often… */
const HEARTBEAT_MS = 5_000;
/** …so a lock left this long untouched belongs to a process that is gone (on any host). */
const STALE_MS = 30_000;

/** Folders this process holds: a second open here is refused like one from another process. */
const held = new Set<string>();

interface Holder {
  pid: number;
  host: string;
  token: string;
  since: string;
}

/** Another process holds the data folder: the message says which and what to do. */
export class DataDirLocked extends Error {
  override name = 'DataDirLocked';
}

/**
 * Takes the data folder's lock (creating the folder, private to this user: it holds personal
 * data), or throws {@link DataDirLocked}. A lock whose process is gone is taken over: on this
 * host when its pid no longer runs, from any host once it is {@link STALE_MS} old. Returns
 * `release`.
 *
 * @example const release = lockDataDir('.touchpoint'); … release();
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  privateFolder(dir);
  const real = realpathSync(dir);
  const file = join(real, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    since: new Date().toISOString(),
  };
  if (held.has(real)) throw locked(real, me);
  if (!create(file, me)) {
    const other = readHolder(file);
    if (!stale(file, other)) throw locked(real, other);
    // Gone: remove what we judged stale (if it is still that file) and race for a fresh one.
    if (readHolder(file)?.token === other?.token) unlinkQuietly(file);
    if (!create(file, me)) throw locked(real, readHolder(file));
  }
  held.add(real);
  const beat = setInterval(() => {
    try {
      utimesSync(file, new Date(), new Date());
    } catch {
      // The folder went away: nothing left to protect.
    }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    held.delete(real);
    if (readHolder(file)?.token === me.token) unlinkQuietly(file);
  };
}

/** Group and others lose access to the folder (PostgreSQL's own rule for its data folder). */
function privateFolder(dir: string): void {
  const st = statSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
  if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(dir, 0o700);
}

/** Creates the lock file if there is none (atomically: `wx`); false when one exists. */
function create(file: string, me: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined; // gone, or half written by a process killed while writing it
  }
}

function stale(file: string, h: Holder | undefined): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return true;
  }
  if (age > STALE_MS) return true;
  // Unreadable: being written this instant, or left half written by a process killed then.
  if (!h) return age > 1_000;
  if (h.host !== hostname()) return false;
  // Our own pid in a lock we do not hold: a previous life of this container (pid 1 again).
  if (h.pid === process.pid) return true;
  return !alive(h.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function locked(dir: string, h: Holder | undefined): DataDirLocked {
  const who = h ? `process ${h.pid} on ${h.host} since ${h.since}` : 'another process';
  return new DataDirLocked(
    `the data folder ${dir} is in use by ${who}; one collector per PGlite folder ` +
      `(stop the other, or set DATABASE_URL to share a PostgreSQL database between collectors)`,
  );
}
