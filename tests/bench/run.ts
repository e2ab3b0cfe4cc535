/** `npm run bench`: every benchmark, figures beside the peers'. Never part of `npm test`. */
import { runVCardBench } from './vcard.bench';

runVCardBench();
