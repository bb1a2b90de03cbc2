/** Forms (DESIGN §5): what other features may use. */
export { siteConfig, visitorKnowledge } from './config.ts';
export { getForm, listForms } from './definitions.ts';
export { DEMO_FORMS, seedDemoForms } from './demo.ts';
export { formRoutes } from './routes.ts';
export { MIN_FILL_MS, quarantineReason } from './submissions.ts';
