/** What this browser remembers about forms (localStorage): the only storage the chunk touches. */
import type { FormsHost } from '../../shared/forms-host.ts';
import type { FormMemory } from '../../shared/forms-rules.ts';

interface Saved {
  /** Per form: shown, dismissed, submitted. */
  f: Record<string, FormMemory>;
  /** Field names this browser has submitted (progressive profiling before the config catches up). */
  k: Record<string, boolean>;
  /** Page views counted by the chunk when the core does not count them. */
  p: number;
}

/**
 * A small typed view of one localStorage key; storage failures (private mode, quota) are ignored.
 * Every change re-reads the key first, so what other tabs stored since is kept, not overwritten.
 */
export function memory(host: Pick<FormsHost, 'site' | 'forgets'>) {
  const key = `tp_forms_${host.site}`;
  // Before consent (or under DNT) nothing is written: frequency holds for this page only.
  const save = () => {
    try {
      if (!host.forgets?.()) localStorage.setItem(key, JSON.stringify(m.data));
    } catch {
      // storage unavailable: frequency falls back to this page's lifetime
    }
  };
  const m = {
    data: { f: {}, k: {}, p: 0 } as Saved,
    /** Takes what this and other tabs stored (nothing stored: keeps this page's own memory). */
    load() {
      try {
        const raw = localStorage.getItem(key);
        if (raw) m.data = { f: {}, k: {}, p: 0, ...JSON.parse(raw) };
      } catch {
        // unreadable: keep what this page knows
      }
    },
    form: (id: string): FormMemory => m.data.f[id] ?? {},
    update(id: string, patch: FormMemory) {
      m.load();
      m.data.f[id] = { ...m.data.f[id], ...patch };
      save();
    },
    learn(names: string[]) {
      m.load();
      for (const n of names) m.data.k[n] = true;
      save();
    },
    pageview(): number {
      m.load();
      m.data.p++;
      save();
      return m.data.p;
    },
  };
  m.load();
  return m;
}

export type Memory = ReturnType<typeof memory>;
