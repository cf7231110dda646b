import { describe, expect, it } from 'vitest';
import { secretBox } from './secret-box.js';

describe('secretBox', () => {
  const box = secretBox('a'.repeat(40));

  it('opens what it sealed, and seals the same text differently each time', () => {
    const a = box.seal('mastodon-admin-token');
    const b = box.seal('mastodon-admin-token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('mastodon');
    expect(box.open(a)).toBe('mastodon-admin-token');
  });

  it('refuses a tampered or foreign box', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => secretBox('b'.repeat(40)).open(sealed)).toThrow();
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });
});
