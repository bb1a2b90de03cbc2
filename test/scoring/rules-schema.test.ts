import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_LABELS_VI, DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import { scoringRulesSchema } from '../../shared/scoring-schema.ts';

describe('scoring rules schema', () => {
  it('accepts the DESIGN example and the defaults', () => {
    const example = {
      mqlThreshold: 50,
      halfLifeDays: 30,
      caps: { fit: 50, engagement: 100, total: 100 },
      fit: [
        {
          id: 'work-email',
          label: 'Work email',
          trait: 'email',
          op: 'freeEmailDomain',
          value: false,
          points: 10,
        },
        {
          id: 'title',
          label: 'Decision maker',
          trait: 'title',
          op: 'contains',
          value: ['director', 'head', 'vp'],
          points: 15,
        },
      ],
      engagement: [
        {
          id: 'pricing',
          label: 'Viewed pricing',
          event: { type: 'pageview', url: '*/pricing*' },
          points: 10,
          max: 30,
        },
        {
          id: 'demo',
          label: 'Asked for a demo',
          event: { type: 'form_submit', form: 'demo' },
          points: 30,
          once: true,
        },
        {
          id: 'careers',
          label: 'Job seeker',
          event: { type: 'pageview', url: '*/careers*' },
          points: -15,
          once: true,
        },
      ],
    };
    expect(scoringRulesSchema.safeParse(example).success).toBe(true);
    expect(scoringRulesSchema.safeParse(DEFAULT_RULES).success).toBe(true);
  });

  it('has a Vietnamese label for every default rule (the dashboard shows it on Vietnamese pages)', () => {
    const ids = [...DEFAULT_RULES.fit, ...DEFAULT_RULES.engagement].map((r) => r.id).sort();
    expect(Object.keys(DEFAULT_RULE_LABELS_VI).sort()).toEqual(ids);
  });

  it('rejects unknown operators, unknown keys, bad values and duplicate ids with paths', () => {
    const res = scoringRulesSchema.safeParse({
      fit: [
        { id: 'a', label: 'A', trait: 'x', op: 'regex', value: '.*', points: 1 },
        { id: 'b', label: 'B', trait: 'x', op: 'gte', value: 'ten', points: 1 },
      ],
      engagement: [
        { id: 'a', label: 'dup', event: { type: 'pageview' }, points: 1 },
        { id: 'c', label: 'C', event: { tipe: 'pageview' }, points: 1 },
        { id: 'd', label: 'D', event: { type: 'pageview' }, points: 1, max: -5 },
      ],
    });
    expect(res.success).toBe(false);
    const paths = res.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['fit.0.op', 'fit.1.value', 'engagement.1.event', 'engagement.2.max']),
    );
  });
});
