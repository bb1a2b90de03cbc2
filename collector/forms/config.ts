/** The public site config the tag reads: forms, settings and, per visitor, which fields are known. */
import { createHash } from 'node:crypto';
import type {
  FormDefinition,
  FormTargeting,
  SiteConfig,
  VisitorKnowledge,
} from '../../shared/forms.ts';
import { type Device, targetingMatches } from '../../shared/forms-rules.ts';
import { globMatcher } from '../../shared/scoring.ts';
import { identifiersOf } from '../identity/index.ts';
import type { Site } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';
import { listForms } from './definitions.ts';

/** How many of a browser's latest submissions and identify signals are read for its knowledge. */
const RECENT = 20;

const filled = (v: unknown) => v !== '' && v !== null && v !== undefined;

/**
 * Which of the site's form field names already have a value for this visitor, and whether the
 * visitor is identified. Only names the site's forms use are reported, and never a value: the
 * page learns what to skip, not what is stored.
 *
 * Both come only from what this anonymous id itself sent: its accepted submissions and its
 * identify signals (`identify`, a captured site form, a trusted event naming a userId). Never
 * from the lead it is stitched to: anyone can submit someone else's email from a fresh browser,
 * and the lead's traits gathered elsewhere would then tell them whether that email is a lead and
 * what it holds (PRODUCT: no email-existence oracle). A returning visitor on the same browser
 * still has its fields skipped.
 *
 * @example await visitorKnowledge(db, siteId, 'anon-1', forms) // { known: { email: true }, identified: true }
 */
export async function visitorKnowledge(
  db: Queryable,
  siteId: string,
  anonymousId: string,
  forms: FormDefinition[],
): Promise<VisitorKnowledge> {
  const names = new Set(forms.flatMap((f) => f.fields.map((x) => x.name)));
  const known: Record<string, boolean> = {};
  let identified = false;
  for (const values of await submittedValues(db, siteId, anonymousId)) {
    for (const [k, v] of Object.entries(values)) if (filled(v)) known[k] = true;
    if (values.email) identified = true;
  }
  for (const s of await identifySignals(db, siteId, anonymousId)) {
    for (const [k, v] of Object.entries(s.traits)) if (filled(v)) known[k] = true;
    const userId = s.traits.userId ?? s.userId;
    if (identifiersOf({ email: s.traits.email, userId }).length > 0) identified = true;
  }
  for (const k of Object.keys(known)) if (!names.has(k)) delete known[k];
  return { known, identified };
}

/** The values of this browser's latest accepted submissions (quarantined ones never count). */
async function submittedValues(db: Queryable, siteId: string, anonymousId: string) {
  const { rows } = await db.query<{ field_values: Record<string, unknown> }>(
    `select field_values from form_submissions
      where site_id = $1 and anonymous_id = $2 and status = 'accepted'
      order by created_at desc limit ${RECENT}`,
    [siteId, anonymousId],
  );
  return rows.map((r) => r.field_values ?? {});
}

/**
 * This browser's latest identify signals, the same events identity stitching reads (see
 * `identityProcessor`): their traits, and a trusted event's userId.
 */
async function identifySignals(db: Queryable, siteId: string, anonymousId: string) {
  const { rows } = await db.query<{ traits: Record<string, unknown> | null; user_id: unknown }>(
    `select traits, context->'userId' as user_id from events
      where site_id = $1 and anonymous_id = $2
        and (type = 'identify' or (type = 'form_submit' and traits is not null)
             or (trusted and jsonb_typeof(context->'userId') = 'string'))
      order by ts desc limit ${RECENT}`,
    [siteId, anonymousId],
  );
  return rows.map((r) => ({ traits: r.traits ?? {}, userId: r.user_id }));
}

/**
 * `targetingMatches` (shared/forms-rules.ts, what the forms chunk applies) with the collector's
 * linear, compiled glob matcher: the chunk's small matcher can cost literal × text on a crafted
 * glob, affordable on one visitor's page but not here, on the public config route and on every
 * pageview batch, where one site's globs would take every site's time. Same rules: a glob starting
 * with `/` is also tried on the path and on the path with its query, the hash never counts.
 * `device` absent: any device. (Its only difference from the chunk's is the matcher.)
 *
 * @example targetsPage({ include: ['/pricing*'] }, 'https://a.com/pricing?x=1') // true
 */
export const targetsPage = (t: FormTargeting | undefined, url: string, device?: Device) =>
  targetingMatches(t, url, device, (glob, text) => globMatcher(glob)(text));

/** The page the tag asks for: only forms that may show there come back (inline ones always). */
export interface ConfigPage {
  url: string;
  /** Absent: any device. */
  device?: Device;
}

/**
 * The config body for a site, and its ETag (a hash of the body). With `page`, popups, slide-ins
 * and bars that do not target that page and device are left out, so the tag loads the forms
 * chunk only where one may show (the chunk still applies targeting itself).
 */
export async function siteConfig(
  db: Queryable,
  site: Site,
  anonymousId?: string,
  page?: ConfigPage,
): Promise<{ body: SiteConfig; etag: string }> {
  const forms = (await listForms(db, site.id)).filter(
    (f) => !page || f.kind === 'inline' || targetsPage(f.targeting, page.url, page.device),
  );
  const body: SiteConfig = {
    forms,
    settings: { captureForms: site.settings.captureForms === true },
    ...(anonymousId ? { visitor: await visitorKnowledge(db, site.id, anonymousId, forms) } : {}),
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
  return { body, etag: `"${hash}"` };
}
