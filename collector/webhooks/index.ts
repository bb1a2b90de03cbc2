/** Webhooks (DESIGN §9): outbox, endpoints, signed deliveries with retries. */
export { backoffMs, deliverDue, drainDeliveries, fanOut, RETRY_WINDOW_MS } from './deliver.ts';
export { WEBHOOK_TYPES } from './endpoints.ts';
export { enqueueWebhook, type WebhookType } from './outbox.ts';
export { signatureHeader, verifySignature } from './sign.ts';
