import { at } from './agreement.fixture.js';
import { consentRecordProblems } from './consent.js';

describe('consent records', () => {
  it('lists every problem with a consent record', () => {
    const problems = consentRecordProblems({
      id: 'c-1',
      subject: '',
      purpose: 'safeguarding',
      state: 'given',
      scope: [],
      recordedBy: 'worker-1',
      evidenceRef: ' ',
      at: at('2025-03-01'),
      expiresAt: at('2025-02-01'),
    });
    expect(problems).toEqual([
      'Say whose consent this is.',
      'Scope must be "all" or a list of agencies.',
      'Give a reference to the evidence of consent.',
      'expiresAt, when given, must be a date after at.',
    ]);
  });
});
