// A row's nullable columns read as optional fields: left out where null, kept where any other value (0, '', false).
import { expect, it } from 'vitest';
import { nonNull } from '../../src/util/object.js';

it('leaves out only the null fields', () => {
  const row = { name: 'demo', pid: 0, error: '', agent: null as string | null, done: false };
  expect(nonNull(row)).toStrictEqual({ name: 'demo', pid: 0, error: '', done: false });
});
