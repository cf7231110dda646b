// The command line: `npm run cli -- <command>` or `npx allmenning <command>`.
import { billingCli } from './dues.js';
import { main } from './main.js';
import { paymentsCli } from './payments.js';

const argv = process.argv.slice(2);
// `dues …` and `invoices …` live in dues.ts, `payments …` in payments.ts; everything else
// in main.ts.
process.exitCode = (await billingCli(argv)) ?? (await paymentsCli(argv)) ?? (await main(argv));
