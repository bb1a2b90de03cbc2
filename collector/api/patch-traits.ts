/** `PATCH /v1/leads/{id}`: a marketer edits traits; an email edit is an identifier change. */
import type { Props } from '../../shared/wire.ts';
import { HttpProblem } from '../http/problem.ts';
import { audit } from '../identity/audit.ts';
import { lockKeys, lockLive, nameOf, normalizeEmail } from '../identity/index.ts';
import { refreshSearchEmails } from '../identity/search-emails.ts';
import type { Queryable } from '../store/index.ts';

/**
 * Merges `traits` into the lead's (a `null` value removes the trait) and keeps `name`/`email` in
 * sync. A new `email` must be a valid address owned by no other lead (else 400 / 409): it
 * becomes one of the lead's identifiers, under the same per-identifier lock as identify.
 * Returns the live lead id, or null when the lead does not exist.
 *
 * @example await updateTraits(tx, siteId, 'lead_abc', { company: 'Acme', title: null }, now);
 */
export async function updateTraits(
  tx: Queryable,
  siteId: string,
  id: string,
  traits: Props,
  now: Date,
): Promise<string | null> {
  const patch: Props = { ...traits };
  let email: string | null = null;
  if (patch.email !== undefined && patch.email !== null) {
    email = normalizeEmail(patch.email);
    if (!email) {
      throw new HttpProblem(400, 'invalid', 'The email is not an address', [
        { path: 'traits.email', message: 'not an email address' },
      ]);
    }
    patch.email = email;
    await lockKeys(tx, siteId, [`email|${email}`]);
  }
  const live = (await lockLive(tx, siteId, [id])).get(id);
  if (!live) return null;
  if (email) {
    const { rows } = await tx.query<{ lead_id: string }>(
      `select lead_id from identities where site_id = $1 and kind = 'email' and value = $2`,
      [siteId, email],
    );
    const owner = rows[0]?.lead_id;
    if (owner && owner !== live) {
      throw new HttpProblem(409, 'email-taken', 'Another lead has this email; merge them instead', [
        { path: 'traits.email', message: 'belongs to another lead' },
      ]);
    }
    if (!owner) {
      await tx.query(
        `insert into identities (site_id, kind, value, lead_id, created_at) values ($1, 'email', $2, $3, $4)`,
        [siteId, email, live, now.toISOString()],
      );
      // The address replaced stays an identity: `q=` finds the lead by both.
      await refreshSearchEmails(tx, siteId, [live]);
      // Audited like every identifier added to a lead (source `api`: a marketer's edit).
      await audit(tx, siteId, now, [
        { leadId: live, action: 'identifier', kind: 'email', value: email, source: 'api' },
      ]);
    }
  }
  const removed = Object.keys(patch).filter((k) => patch[k] === null);
  for (const k of removed) delete patch[k];
  const { rows } = await tx.query<{ traits: Props }>(
    `update leads set traits = (traits - $3::text[]) || $4::jsonb, updated_at = $5
      where site_id = $1 and lead_id = $2 returning traits`,
    [siteId, live, removed, JSON.stringify(patch), now.toISOString()],
  );
  const merged = rows[0]!.traits;
  await tx.query('update leads set name = $3, email = $4 where site_id = $1 and lead_id = $2', [
    siteId,
    live,
    nameOf(merged),
    typeof merged.email === 'string' ? merged.email : null,
  ]);
  return live;
}
