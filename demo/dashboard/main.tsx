/** The marketer dashboard: a client of the public API only. */
import { render } from 'preact';

render(<main>Touchpoint dashboard</main>, document.getElementById('app')!);
