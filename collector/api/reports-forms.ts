/** The forms report: views → submissions → conversion per form, counted from the event log. */
import { ratio } from '../../shared/funnel.ts';
import { browserAnonymousIdSql } from '../identity/index.ts';
import type { Queryable } from '../store/index.ts';
import type { FormsReport } from './reports-schema.ts';

// The type list matches the partial index events_forms (migration 005) so it is used. Views,
// submissions and dismissals are events (a server may report them too); viewers are browsers.
const FORMS_SQL = `select name as form_id,
       count(*) filter (where type = 'form_view')::int as views,
       count(distinct anonymous_id)
         filter (where type = 'form_view' and ${browserAnonymousIdSql('anonymous_id')})::int as viewers,
       count(*) filter (where type = 'form_submit')::int as submissions,
       count(*) filter (where type = 'form_dismiss')::int as dismissals
  from events
 where site_id = $1 and type in ('form_view', 'form_submit', 'form_dismiss')
   and ts >= $2 and ts < $3 and not is_bot and name is not null
 group by name
 order by submissions desc, views desc, name
 limit 500`;

/**
 * Per form id (the `name` of `form_*` events): views, distinct viewers, submissions, dismissals.
 *
 * @example const { forms } = await formsReport(store, site.id, window);
 */
export async function formsReport(
  db: Queryable,
  siteId: string,
  window: { from: Date; to: Date },
): Promise<FormsReport> {
  const { rows } = await db.query<{
    form_id: string;
    views: number;
    viewers: number;
    submissions: number;
    dismissals: number;
  }>(FORMS_SQL, [siteId, window.from.toISOString(), window.to.toISOString()]);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    forms: rows.map((r) => ({
      formId: r.form_id,
      views: r.views,
      viewers: r.viewers,
      submissions: r.submissions,
      dismissals: r.dismissals,
      // A visitor may send a form again from one view (or send it on a page the form was
      // shown on before the window): a rate over 100% tells nothing more, and the schema caps it.
      conversionRate: ratio(Math.min(r.submissions, r.views), r.views),
    })),
  };
}
