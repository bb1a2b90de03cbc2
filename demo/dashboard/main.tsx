/** The marketer dashboard: a client of the public API only (DESIGN §6). */
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);
