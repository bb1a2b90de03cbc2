/** The tag's entry (IIFE `tp.js`): reads its script element, starts, drains the stub queue `touchpoint.q`. */

import { boot } from './boot.ts';
import { fromScript } from './config.ts';

boot(fromScript());
