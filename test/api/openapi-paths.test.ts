/** OpenAPI 3.1: two path templates that differ only in their parameters' names must not both exist. */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../collector/openapi/index.ts';

describe('OpenAPI path templates', () => {
  it('name each path parameter one way only', () => {
    const byShape = new Map<string, Set<string>>();
    for (const r of ROUTES) {
      const shape = r.path.replace(/\{\w+\}/g, '{}');
      byShape.set(shape, (byShape.get(shape) ?? new Set()).add(r.path));
    }
    const clashes = [...byShape.values()].filter((p) => p.size > 1).map((p) => [...p]);
    expect(clashes).toEqual([]);
    // The submissions of a form, read and written, as DESIGN §5 names them.
    expect(ROUTES.filter((r) => r.path.endsWith('/submissions')).map((r) => r.path)).toEqual([
      '/v1/forms/{formId}/submissions',
      '/v1/forms/{formId}/submissions',
    ]);
  });
});
