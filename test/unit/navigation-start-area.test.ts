import { describe, expect, test } from 'vitest';
import { startAreaFrom } from '../../renderer/src/app/navigation-store';

describe('the area a window opens with', () => {
  test('is the start page "Heute" without an area in the address', () => {
    expect(startAreaFrom('')).toBe('today');
    expect(startAreaFrom('#')).toBe('today');
    expect(startAreaFrom('#message=12')).toBe('today');
  });

  test('is the area named by #area=<id>', () => {
    expect(startAreaFrom('#area=ris')).toBe('ris');
    expect(startAreaFrom('#area=documents')).toBe('documents');
  });

  test('takes nothing but a short lower-case id (anything else opens Heute)', () => {
    expect(startAreaFrom('#area=')).toBe('today');
    expect(startAreaFrom('#area=RIS')).toBe('today');
    expect(startAreaFrom('#area=ris&x=1')).toBe('today');
    expect(startAreaFrom(`#area=${'a'.repeat(21)}`)).toBe('today');
    expect(startAreaFrom('#area=../settings')).toBe('today');
  });
});
