/**
 * @module
 * V8 settings for every `vigil` command, applied on import (first in `vigil.ts`, before other
 * modules allocate).
 *
 * Allocation-site pretenuring is off. V8 allocates objects straight into the old generation
 * once most objects from their allocation site have survived young collections. Node's Buffer
 * constructor is one site for every Buffer, short- or long-lived, so in a long-running server
 * the site is soon pretenured, and then every transient buffer (a scrape's inflated body, ~72
 * KiB, 67 times a second at 1 000 targets) went into the old generation and counted as external
 * memory that only a full collection frees. V8 starts a full collection for every 64 MiB of
 * such growth: with a million series in the heap, one every ~14 s, each several CPU-seconds of
 * marking. With pretenuring off those buffers die in young collections (measured on `vigil
 * server` scraping 1 000 targets × 1 000 series: no full collection in 100 s, against seven).
 */

import v8 from 'node:v8';

v8.setFlagsFromString('--no-allocation-site-pretenuring');
