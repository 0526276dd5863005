import { describe, expect, test } from 'vitest';
import { startAreaFrom } from '../../renderer/src/app/navigation-store';

describe('the area a window opens with', () => {
  test('is the mail without an area in the address', () => {
    expect(startAreaFrom('')).toBe('mail');
    expect(startAreaFrom('#')).toBe('mail');
    expect(startAreaFrom('#message=12')).toBe('mail');
  });

  test('is the area named by #area=<id>', () => {
    expect(startAreaFrom('#area=ris')).toBe('ris');
    expect(startAreaFrom('#area=documents')).toBe('documents');
  });

  test('takes nothing but a short lower-case id (anything else opens the mail)', () => {
    expect(startAreaFrom('#area=')).toBe('mail');
    expect(startAreaFrom('#area=RIS')).toBe('mail');
    expect(startAreaFrom('#area=ris&x=1')).toBe('mail');
    expect(startAreaFrom(`#area=${'a'.repeat(21)}`)).toBe('mail');
    expect(startAreaFrom('#area=../settings')).toBe('mail');
  });
});
