/** Forms: marketer CRUD, public site config, public submissions (DESIGN §5). */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function formRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
