// The command line: `npm run cli -- <command>` or `npx allmenning <command>`.
import { billingCli } from './dues.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
// `dues …` and `invoices …` live in dues.ts; everything else in main.ts.
process.exitCode = (await billingCli(argv)) ?? (await main(argv));
