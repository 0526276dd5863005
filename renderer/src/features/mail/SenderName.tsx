import { useTranslation } from 'react-i18next';
import type { MailAddress } from '../../../../electron/contract/mail-sync';

/**
 * A sender as the list shows it: the display name, or the address when there is none. When the name holds
 * another address than the real one (issue #19 item 4: `"ratsbuero@stadt.example" <attacker@evil.example>`,
 * decided by the service) the real address comes first, with a warning mark, as Thunderbird does; the claimed
 * name follows in brackets, so a narrow column cuts the name and never the address. Every part is
 * isolated (`<bdi>`, issue #19 item 5): a right-to-left name cannot reorder what stands around it.
 */
export function SenderName({ from, misleads }: { from: MailAddress; misleads: boolean }) {
  const { t } = useTranslation();
  if (!misleads) return <bdi>{from.name || from.address}</bdi>;
  return (
    <>
      <span
        className="sender-warning"
        role="img"
        aria-label={t('mail.misleadingSender')}
        title={t('mail.misleadingSender')}
      >
        ⚠
      </span>{' '}
      <bdi className="real-address">{from.address}</bdi> <bdi className="claimed-name">({from.name})</bdi>
    </>
  );
}
