import type { MailAddress } from '../../../../electron/contract/mail-sync';

/**
 * A sender as the list shows it: the display name, or the address when there is none. When the name holds
 * another address than the real one (issue #19 item 4: `"ratsbuero@stadt.example" <attacker@evil.example>`,
 * decided by the service) the real address comes first, with a warning mark, as Thunderbird does; the claimed
 * name follows in brackets, so a narrow column cuts the name and never the address. Every part is
 * isolated (`<bdi>`, issue #19 item 5): a right-to-left name cannot reorder what stands around it.
 * `warning` is the mark's label (`mail.misleadingSender`), looked up once by the list for all its rows rather
 * than by a translation hook in each of them (#15 target 4: the first paint of a long inbox).
 */
export function SenderName({ from, misleads, warning }: { from: MailAddress; misleads: boolean; warning: string }) {
  if (!misleads) return <bdi>{from.name || from.address}</bdi>;
  return (
    <>
      <span className="sender-warning" role="img" aria-label={warning} title={warning}>
        ⚠
      </span>{' '}
      <bdi className="real-address">{from.address}</bdi> <bdi className="claimed-name">({from.name})</bdi>
    </>
  );
}
