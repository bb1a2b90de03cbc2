/** What this browser remembers about forms (localStorage): the only storage the chunk touches. */
import type { FormMemory } from '../../shared/forms-rules.ts';

interface Saved {
  /** Per form: shown, dismissed, submitted. */
  f: Record<string, FormMemory>;
  /** Field names this browser has submitted (progressive profiling before the config catches up). */
  k: Record<string, boolean>;
  /** Page views counted by the chunk when the core does not count them. */
  p: number;
}

/** A small typed view of one localStorage key; storage failures (private mode, quota) are ignored. */
export function memory(site: string) {
  const key = `tp_forms_${site}`;
  let data: Saved = { f: {}, k: {}, p: 0 };
  try {
    data = { ...data, ...JSON.parse(localStorage.getItem(key) || '{}') };
  } catch {
    // unreadable: start afresh
  }
  const save = () => {
    try {
      localStorage.setItem(key, JSON.stringify(data));
    } catch {
      // storage unavailable: frequency falls back to this page's lifetime
    }
  };
  return {
    data,
    form: (id: string): FormMemory => data.f[id] ?? {},
    update(id: string, patch: FormMemory) {
      data.f[id] = { ...data.f[id], ...patch };
      save();
    },
    learn(names: string[]) {
      for (const n of names) data.k[n] = true;
      save();
    },
    pageview(): number {
      data.p++;
      save();
      return data.p;
    },
  };
}

export type Memory = ReturnType<typeof memory>;
