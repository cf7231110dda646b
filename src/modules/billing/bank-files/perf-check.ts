/**
 * Quick performance check, not a test: writes 100 000-payment OCR giro and camt files
 * to a temporary folder, then reads each back with the streaming parsers in a fresh
 * child process (so the peak RSS is the parser's, not the generator's) and prints the
 * time and peak RSS. Run: npx tsx src/modules/billing/bank-files/perf-check.ts [count]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBankFile } from './detect.js';
import { camtXmlChunks, ocrGiroLines, samplePayment, writeGenerated } from './generate.js';
import type { PaymentSpec } from './generate.js';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function measure(path: string): Promise<void> {
  const size = (await stat(path)).size;
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const parser = parseBankFile(createReadStream(path, { highWaterMark: 64 * 1024 }));
  let transactions = 0;
  for (;;) {
    const step = await parser.next();
    if (step.done) {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const s = step.value;
      console.log(
        `${s.format}: ${(size / 1e6).toFixed(1)} MB, ${transactions} transactions ` +
          `(${s.skippedEntries} entries skipped) in ${seconds.toFixed(2)} s; ` +
          `RSS ${mib(baseline)} before, peak ${mib(peak)}`,
      );
      return;
    }
    transactions++;
    if (transactions % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'parse') return measure(process.argv[3]!);
  const count = Number(process.argv[2] ?? 100_000);
  const incoming = (i: number): PaymentSpec => {
    const p = samplePayment(i);
    return p.kind === 'outgoing' ? { ...p, kind: 'credit' } : p;
  };
  const dir = await mkdtemp(join(tmpdir(), 'bank-files-perf-'));
  try {
    const files = {
      ocr: join(dir, 'ocr.txt'),
      camt053: join(dir, 'camt053.xml'),
      camt054: join(dir, 'camt054-one-batch.xml'),
    };
    await writeGenerated(
      files.ocr,
      ocrGiroLines({ count, payment: incoming, perAssignment: 10_000 }),
      'latin1',
    );
    await writeGenerated(files.camt053, camtXmlChunks({ format: 'camt.053', count }), 'utf8');
    // One settlement entry carrying every KID payment, as many banks report OCR payments.
    await writeGenerated(
      files.camt054,
      camtXmlChunks({ format: 'camt.054', count, payment: incoming, batchSize: count }),
      'utf8',
    );
    for (const file of Object.values(files)) {
      const self = fileURLToPath(import.meta.url);
      execFileSync(process.execPath, [...process.execArgv, self, 'parse', file], {
        stdio: 'inherit',
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
