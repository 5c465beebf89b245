import { describe, expect, it } from 'vitest';
import { serviceOrSkip } from './required-service.ts';

describe('tests that need a service of the machine', () => {
  const missing = 'The NATS tests need nats-server -js on 127.0.0.1:4222.';

  it('run when the service is there, under CI or not', () => {
    expect(serviceOrSkip(true, missing, { CI: 'true' })).toBe(true);
    expect(serviceOrSkip(true, missing, {})).toBe(true);
  });

  it('fail under CI when it is missing, saying what is missing', () => {
    for (const CI of ['true', '1', 'yes'])
      expect(() => serviceOrSkip(false, missing, { CI })).toThrow(
        `${missing} Under CI these tests fail instead of skipping.`,
      );
  });

  it('skip on a developer machine', () => {
    for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }])
      expect(serviceOrSkip(false, missing, env)).toBe(false);
  });
});
