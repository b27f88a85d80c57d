// Password hashing (scrypt) and the password rules.
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, needsRehash, passwordProblems, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('verifies the right password only, with a salt per hash', async () => {
    const a = await hashPassword('correct horse battery', 10);
    const b = await hashPassword('correct horse battery', 10);
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });
  it('treats the same text in another Unicode form as the same password', async () => {
    const hash = await hashPassword('Café au lait 42', 10);
    expect(await verifyPassword('Cafe\u0301 au lait 42', hash)).toBe(true);
  });
  it('never matches a malformed or foreign hash', async () => {
    for (const stored of ['', 'plain text', 'scrypt$99$8$1$abc$def', '$2b$10$abcdefghijklmnopqrstuv', 'scrypt$10$8$1$c2FsdA$']) {
      expect(await verifyPassword('plain text', stored)).toBe(false);
    }
  });
  it('asks for a re-hash when the configured cost went up', async () => {
    const hash = await hashPassword('some pass phrase', 10);
    expect(needsRehash(hash, 10)).toBe(false);
    expect(needsRehash(hash, 12)).toBe(true);
    expect(needsRehash('garbage', 10)).toBe(true);
  });
});

describe('password rules', () => {
  const rules = { minLength: 12, username: 'jane.doe', displayName: 'Jane Doe' };
  it('accepts a long passphrase', () => {
    expect(passwordProblems('violet harbour lanterns', rules)).toEqual([]);
  });
  it('refuses short, common, repeated, sequential and name-based passwords', () => {
    expect(passwordProblems('short1!', rules)).toEqual(['use at least 12 characters']);
    expect(passwordProblems('Password1234', rules)).toEqual(['this password is too common or predictable']);
    expect(passwordProblems('zzzzzzzzzzzzzz', rules)).toEqual(['this password is too common or predictable']);
    expect(passwordProblems('abcdefghijklmn', rules)).toEqual(['this password is too common or predictable']);
    expect(passwordProblems('hello jane.doe here', rules)).toEqual(['do not use your name or user name in the password']);
    expect(passwordProblems('DOE family holidays', rules)).toEqual([]); // "doe" is under 4 letters: too short to count
    expect(passwordProblems('janes garden party', rules)).toEqual(['do not use your name or user name in the password']);
  });
  it('generates readable passwords that pass the rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^([a-km-zA-HJ-NP-Z2-9]{5}-){3}[a-km-zA-HJ-NP-Z2-9]{5}$/);
      expect(passwordProblems(password, { minLength: 12, username: 'admin' })).toEqual([]);
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});
