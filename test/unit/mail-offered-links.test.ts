import { describe, expect, test } from 'vitest';
import { isOfferedLink } from '../../renderer/src/features/mail/offered-links';

// Issue #19 item 8: the reading pane's link list offers to open only https links to named hosts and mailto:;
// everything else stays visible as text without a button.
describe('links a mail may offer to open', () => {
  test.each([
    'https://www.stadt.example/haushalt',
    'https://ratsinfo.stadt.example/bi/vo020.asp?VOLFDNR=4711',
    'mailto:ratsbuero@stadt.example?subject=Frage',
    'HTTPS://WWW.STADT.EXAMPLE/',
  ])('offered: %s', (url) => {
    expect(isOfferedLink(url)).toBe(true);
  });

  test.each([
    'http://www.stadt.example/',
    'https://127.0.0.1/admin',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://192.168.178.1/',
    'https://[::1]:8443/',
    'https://[fd00::1]/',
    'https://localhost:9000/',
    'https://drucker.localhost/',
    'ftp://dateien.stadt.example/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'kein Link',
  ])('shown as text only: %s', (url) => {
    expect(isOfferedLink(url)).toBe(false);
  });
});
