/** The forms chunk: loaded with a dynamic import() only when a form will show. */
import type { MountForms } from '../../shared/forms-host.ts';

export const mount: MountForms = () => {};
