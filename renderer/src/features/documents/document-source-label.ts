import type { TFunction } from 'i18next';
import type { DocumentSourceInfo } from '../../../../electron/contract/documents';

/** Where a document came from, short: the web server's name, or "mail attachment" / "added by you". */
export function documentSourceLabel(source: DocumentSourceInfo, t: TFunction): string {
  if (source.kind === 'url') {
    try {
      return new URL(source.ref).hostname || source.ref;
    } catch {
      return source.ref;
    }
  }
  return source.kind === 'message' ? t('documents.source.message') : t('documents.source.upload');
}
