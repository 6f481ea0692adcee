/**
 * @module
 * The registry of every PromQL function this engine implements, one family per file. The
 * parser's table (`parser/functions.ts`) decides what may be called; this registry decides how.
 * `info()` is the one experimental function left out: it needs metadata joins the storage does
 * not offer.
 */

import { ABSENT_FUNCTIONS } from './absent.js';
import { HISTOGRAM_FUNCTIONS } from './histogram.js';
import { LABEL_FUNCTIONS } from './labels.js';
import { MATH_FUNCTIONS } from './math.js';
import { MISC_FUNCTIONS } from './misc.js';
import { OVER_TIME_FUNCTIONS } from './over-time.js';
import { PREDICT_FUNCTIONS } from './predict.js';
import { RATE_FUNCTIONS } from './rate.js';
import { FunctionRegistry } from './registry.js';
import { SORT_FUNCTIONS } from './sort.js';
import { TIME_FUNCTIONS } from './time.js';

export const FUNCTION_REGISTRY = new FunctionRegistry([
  ...RATE_FUNCTIONS,
  ...OVER_TIME_FUNCTIONS,
  ...PREDICT_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...MISC_FUNCTIONS,
  ...LABEL_FUNCTIONS,
  ...SORT_FUNCTIONS,
  ...ABSENT_FUNCTIONS,
  ...HISTOGRAM_FUNCTIONS,
]);
