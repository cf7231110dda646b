import { z } from 'zod';

/**
 * Every configuration variable Allmenning reads. The README's table is written from
 * this list; keep the two in step.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  BASE_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  DATABASE_FILE: z.string().default('./data/allmenning.sqlite'),
  APP_SECRET: z.string().min(32).optional(),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Allmenning <noreply@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
});

export type Config = {
  port: number;
  host: string;
  baseUrl: string;
  databaseUrl: string | undefined;
  databaseFile: string;
  appSecret: string | undefined;
  trustProxy: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  sessionDays: number;
  loginMaxPerAccount: number;
  loginMaxPerIp: number;
  loginWindowMinutes: number;
  worker: boolean;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL || undefined,
    databaseFile: e.DATABASE_FILE,
    appSecret: e.APP_SECRET,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    sessionDays: e.SESSION_DAYS,
    loginMaxPerAccount: e.LOGIN_MAX_PER_ACCOUNT,
    loginMaxPerIp: e.LOGIN_MAX_PER_IP,
    loginWindowMinutes: e.LOGIN_WINDOW_MINUTES,
    worker: e.WORKER,
  };
}

/** A configuration for tests: nothing from the environment leaks in. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ APP_SECRET: 'test-secret-test-secret-test-secret-0123', WORKER: 'false' }),
    logLevel: 'silent',
    ...overrides,
  };
}
