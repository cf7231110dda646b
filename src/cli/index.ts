// The command line: `npm run cli -- <command>` or `npx allmenning <command>`.
import { billingCli } from './dues.js';
import { main } from './main.js';
import { paymentsCli } from './payments.js';
import { ssoCli } from './sso.js';
import { financeCli } from './finance.js';

const argv = process.argv.slice(2);
// `dues …` and `invoices …` live in dues.ts, `payments …` in payments.ts, `sso …` and
// `services …` in sso.ts, `journal …` and `finance …` in finance.ts; everything else in main.ts.
process.exitCode =
  (await billingCli(argv)) ??
  (await paymentsCli(argv)) ??
  (await ssoCli(argv)) ??
  (await financeCli(argv)) ??
  (await main(argv));
