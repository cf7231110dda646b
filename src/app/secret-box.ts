import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Secrets Allmenning must present to others (a service's admin API token, a webhook or
// DiscourseConnect shared secret, the OIDC private keys) cannot be hashed; they are
// encrypted with AES-256-GCM under a key derived from the app secret. Secrets Allmenning
// only verifies (passwords, client secrets, API tokens) are hashed instead.

const VERSION = 'v1';

function keyOf(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'allmenning', 'secret-box v1', 32));
}

export type SecretBox = { seal(plain: string): string; open(sealed: string): string };

export function secretBox(appSecret: string): SecretBox {
  const key = keyOf(appSecret);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        VERSION,
        iv.toString('base64url'),
        tag.toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined)
        throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
